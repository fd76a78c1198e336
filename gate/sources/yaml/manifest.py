"""service.yaml as the checks read it: a value of the wrong JSON type is refused first.

The JSON Schema (``gate/schemas/service.schema.json``) says which type each key holds. A check
reads keys expecting those types; a list where a name belongs (``contracts.consumes[0].service:
[a]``) must never reach it. :func:`checked` validates a manifest's types once per run and raises
:class:`~gate.workspace.SourceProblem` at the first wrong one's line, so every item that reads
the manifest fails closed there, and ``artifacts.service-yaml`` (which reads the manifest
unchecked) lists every schema error.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from gate.model import Finding
from gate.sources.yaml.parse import Key, YamlDoc
from gate.workspace import SourceProblem, Workspace


@cache
def schema() -> dict[str, Any]:
    """The published JSON Schema of service.yaml."""
    text = resources.files("gate.schemas").joinpath("service.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def dotted(keys: list[Key] | tuple[Key, ...]) -> str:
    """``contracts.consumes[0].service``: a key path as service.yaml's findings write it."""
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out or "(top level)"


_JSON_TYPE = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number",
              type(None): "null"}


@cache
def _valid() -> Any:
    """jsonschema-rs's check of the schema (a yes or no, in microseconds; loading jsonschema costs
    30 ms of every run): the schema has no combinator, so a manifest it finds valid has no value of
    a wrong type for jsonschema either."""
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(schema()).is_valid


def type_errors(data: Any) -> list[tuple[list[Key], str]]:
    """Every value of ``data`` whose JSON type the schema refuses: (key path, what it should be)."""
    try:
        if _valid()(data):
            return []
    except Exception:  # a value jsonschema-rs cannot take (an integer past 64 bits): jsonschema says
        pass
    import jsonschema

    out: list[tuple[list[Key], str]] = []
    for err in jsonschema.Draft202012Validator(schema()).iter_errors(data):
        for e in (err, *(err.context or ())):
            if e.validator == "type":
                keys = [k for k in e.absolute_path if isinstance(k, (str, int))]
                want = e.validator_value if isinstance(e.validator_value, str) else " or ".join(e.validator_value)
                out.append((keys, f"{want}, not {_JSON_TYPE.get(type(e.instance), type(e.instance).__name__)}"))
                break
    return sorted(out, key=lambda x: [str(k) for k in x[0]])


def checked(ws: Workspace, rel: str) -> YamlDoc | None:
    """The manifest at ``rel`` (None when absent), :class:`SourceProblem` when it cannot be read or
    holds a value of the wrong type (at the first one's line)."""
    doc = ws.yaml(rel)
    if doc is None or not isinstance(doc.data, dict):
        return doc

    def guard() -> bool:
        bad = type_errors(doc.data)
        if bad:
            keys, want = bad[0]
            more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
            line = doc.line(keys)
            raise SourceProblem(Finding(
                f"service.yaml: `{dotted(keys)}` must be of type {want}{more}: fix it (see artifacts.service-yaml); "
                "nothing is judged from a manifest holding values of the wrong type", rel, line, line))
        return True

    ws.derive("manifest.types", rel, guard)
    return doc
