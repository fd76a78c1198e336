"""`services/<name>/service.yaml` is valid against the published JSON Schema ([`docs/schemas/service.schema.json`](../schemas/service.schema.json), also shipped in the package as `gate/schemas/service.schema.json`), its `name` equals the folder name, and `status` is `stable`.

Required keys: `name`, `owner`, `status`, `brand_scope`, `on_call` (with `primary`), `contracts`. Every key of the conventions is typed (for example `tier` 1..3, `status` one of experimental/beta/stable/deprecated, `cron[].route` `METHOD /path`, `rate_limits` values like `600/min`, waiver items must be catalog ids, attestation items one of `oncall.notified`, `oncall.dashboard-access`, `promotion.rollback`). Unknown keys are errors (typos such as `on-call` would otherwise pass silently); keys starting with `x-` are free extensions.

The schema checks shape, not relations: a secondary equal to the primary is `oncall.secondary`'s business.

A value of the wrong JSON type (a list where `contracts.consumes[].service` names a service, a map as
`cron[].route`) is refused before any other item reads the manifest: every item of the service that
reads service.yaml fails with one finding at that key's line (`… must be of type string, not array …:
fix it`) until it is fixed, and other services' items ignore that manifest (no check ever sees the
wrong type).

## Evidence

repo: service.yaml.

## How to fix

Each schema error is one finding at the offending key's line (a missing key: at its parent key's line, the top of the file for a top-level key), naming the key path and what it should hold. `status is beta; prod needs stable` is reported at the `status` line: set `status: stable` when the service is ready for prod. Point your editor at the schema for completion, e.g. `# yaml-language-server: $schema=../../docs/schemas/service.schema.json`.
"""

from __future__ import annotations

from typing import Any

from gate.context import Ctx
from gate.model import Finding, Result, verdict
from gate.sources.yaml.manifest import dotted as _dotted
from gate.sources.yaml.manifest import schema as schema
from gate.sources.yaml.parse import Key


def _hint(sub: Any) -> str:
    if isinstance(sub, dict) and isinstance(sub.get("description"), str):
        return str(sub["description"])
    return ""


def _message(err: Any) -> tuple[str, list[Key]]:
    """A message saying what to do, and the key path where it belongs."""
    keys: list[Key] = [k for k in err.absolute_path if isinstance(k, (str, int))]
    where = _dotted(keys)
    v = err.validator
    if v == "required":
        missing = next((k for k in err.validator_value if isinstance(err.instance, dict) and k not in err.instance), "?")
        hint = _hint(err.schema.get("properties", {}).get(missing))
        path = _dotted([*keys, missing])
        return f"service.yaml: `{path}` is missing: add it ({hint})" if hint else f"service.yaml: `{path}` is missing: add it", keys
    if v == "additionalProperties":
        extra = [k for k in err.instance if k not in err.schema.get("properties", {})] if isinstance(err.instance, dict) else []
        known = ", ".join(err.schema.get("properties", {}))
        bad = extra[0] if extra else "?"
        return (f"service.yaml: unknown key `{_dotted([*keys, bad])}`: remove it or fix its spelling "
                f"(known keys here: {known}; free extensions start with x-)"), [*keys, bad]
    hint = _hint(err.schema)
    if v == "enum":
        allowed = ", ".join(str(x) for x in err.validator_value)
        return f"service.yaml: `{where}` is {err.instance!r}, not one of {allowed}", keys
    if v == "type":
        return f"service.yaml: `{where}` must be of type {err.validator_value} ({hint})", keys
    if v == "pattern":
        return f"service.yaml: `{where}` is {err.instance!r}, which is not of the expected form ({hint})", keys
    if v in ("minimum", "maximum"):
        return f"service.yaml: `{where}` is {err.instance!r}, out of range ({hint})", keys
    if v in ("minLength", "minItems"):
        return f"service.yaml: `{where}` is empty: fill it in ({hint})" if hint else f"service.yaml: `{where}` is empty: fill it in", keys
    if v == "uniqueItems":
        return f"service.yaml: `{where}` lists a value twice: remove the duplicate", keys
    return f"service.yaml: `{where}`: {err.message}", keys


def check(ctx: Ctx) -> Result:
    import jsonschema

    doc = ctx.manifest_unchecked
    path = ctx.service.manifest_path
    findings: list[Finding] = []
    validator = jsonschema.Draft202012Validator(schema())
    errors = list(validator.iter_errors(doc.data))
    located: list[tuple[int, str]] = []
    for err in errors:
        msg, keys = _message(err)
        located.append((doc.line(keys), msg))
    for line, msg in sorted(set(located)):
        findings.append(Finding(msg, path, line, line))
    bad_paths = {tuple(e.absolute_path)[:1] for e in errors}
    name = doc.get(["name"])
    if isinstance(name, str) and ("name",) not in bad_paths and name != ctx.service.name:
        line = doc.line(["name"])
        findings.append(Finding(f"name is {name!r} but the folder is {ctx.service.name!r}: the name must equal "
                                "the folder name (rename one of them)", path, line, line))
    status = doc.get(["status"])
    if isinstance(status, str) and ("status",) not in bad_paths and status != "stable":
        line = doc.line(["status"])
        findings.append(Finding(f"status is {status}; prod needs stable: set `status: stable` once the "
                                "service is ready for prod", path, line, line))
    findings.sort(key=lambda f: f.line or 0)
    return verdict(findings, "service.yaml is valid against service.schema.json, named after its folder, status stable")
