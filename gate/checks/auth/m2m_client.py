"""When another service lists this one in `contracts.consumes`, that caller has a client in `services/identity/m2m-clients.yaml` (`clients: [{client_id: <caller>, scopes: [...]}]`) whose scopes include one of this service's scopes. No caller → `skip`.

Fail closed: another service's `service.yaml` that cannot be read (invalid YAML), or whose `contracts.consumes` is not a list, may be a caller the gate cannot see; the item fails with a finding at that file (it is never `skip` because of it).

## Evidence

repo (cross-service): every service.yaml and identity's m2m-clients.yaml.

## How to fix

Add `{client_id: <caller>, scopes: [<one of this service's scopes>]}` to `clients`.
"""

from typing import Any

from gate.checks._code_rules import declared_scopes
from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict
from gate.workspace import SourceProblem


def _consumers(ctx: Ctx) -> tuple[list[str], list[Finding]]:
    """The other services whose ``contracts.consumes`` names this one, and a finding for each
    service.yaml that could not be read (or whose ``contracts.consumes`` is not a list): whether
    that service calls this one is unknown, so the item cannot be skipped."""
    out: list[str] = []
    unknown: list[Finding] = []
    for svc in ctx.run.all_services:
        if svc.name == ctx.service.name:
            continue
        try:
            doc = ctx.ws.yaml(svc.manifest_path)
        except SourceProblem as e:
            f = e.finding
            unknown.append(Finding(f"{f.message}: whether {svc.name} calls {ctx.service.name} (its contracts.consumes) "
                                   f"cannot be read; fix {svc.manifest_path}", f.path or svc.manifest_path,
                                   f.line, f.end_line))
            continue
        if doc is None:
            continue
        consumes = doc.get(["contracts", "consumes"], [])
        if consumes is None:
            continue
        if not isinstance(consumes, list):
            line = doc.line(["contracts", "consumes"])
            unknown.append(Finding(f"{svc.manifest_path}: contracts.consumes is not a list: whether {svc.name} calls "
                                   f"{ctx.service.name} cannot be read; write it as a list of "
                                   "`{service: <name>, fallback: ...}`", svc.manifest_path, line, line))
            continue
        for c in consumes:
            name = c.get("service") if isinstance(c, dict) else c
            if name == ctx.service.name:
                out.append(svc.name)
                break
    return out, unknown


def check(ctx: Ctx) -> Result:
    callers, unknown = _consumers(ctx)
    if not callers:
        if unknown:
            return verdict(unknown, "")
        return skipped("no other service lists this one in contracts.consumes")
    root = ctx.config.path("services")
    rel = f"{root}/identity/m2m-clients.yaml" if root else "identity/m2m-clients.yaml"
    mine = sorted(declared_scopes(ctx))
    doc = ctx.ws.yaml(rel)
    if doc is None:
        return verdict(
            [*unknown, Finding(f"{rel} is missing: register {', '.join(callers)} as M2M client(s) with one of the scopes "
                     f"{', '.join(mine) or '(this service declares none)'}", rel)], "")
    clients: Any = doc.get(["clients"], [])
    if not isinstance(clients, list):
        clients = []
    out: list[Finding] = list(unknown)
    for caller in callers:
        idx = next((i for i, c in enumerate(clients) if isinstance(c, dict) and c.get("client_id") == caller), None)
        if idx is None:
            line = doc.line(["clients"])
            out.append(Finding(f"{caller} calls {ctx.service.name} but has no M2M client: add "
                               f"{{client_id: {caller}, scopes: [{mine[0] if mine else ctx.service.name + ':read'}]}} to clients",
                               rel, line, line))
            continue
        scopes = clients[idx].get("scopes")
        have = {s for s in scopes if isinstance(s, str)} if isinstance(scopes, list) else set()
        if not have & set(mine):
            line = doc.line(["clients", idx, "scopes"])
            out.append(Finding(f"M2M client {caller} has none of {ctx.service.name}'s scopes: add one of "
                               f"{', '.join(mine) or '(none declared)'} to its scopes", rel, line, line))
    return verdict(out, f"{len(callers)} calling service(s) registered with a scope of {ctx.service.name}: {', '.join(callers)}")
