"""When another service lists this one in `contracts.consumes`, that caller has a client in `services/identity/m2m-clients.yaml` (`clients: [{client_id: <caller>, scopes: [...]}]`) whose scopes include one of this service's scopes. No caller → `skip`.

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


def _consumers(ctx: Ctx) -> list[str]:
    out = []
    for svc in ctx.run.all_services:
        if svc.name == ctx.service.name:
            continue
        try:
            doc = ctx.ws.yaml(svc.manifest_path)
        except SourceProblem:
            continue
        if doc is None:
            continue
        consumes = doc.get(["contracts", "consumes"], [])
        for c in consumes if isinstance(consumes, list) else []:
            name = c.get("service") if isinstance(c, dict) else c
            if name == ctx.service.name:
                out.append(svc.name)
                break
    return out


def check(ctx: Ctx) -> Result:
    callers = _consumers(ctx)
    if not callers:
        return skipped("no other service lists this one in contracts.consumes")
    root = ctx.config.path("services")
    rel = f"{root}/identity/m2m-clients.yaml" if root else "identity/m2m-clients.yaml"
    mine = sorted(declared_scopes(ctx))
    doc = ctx.ws.yaml(rel)
    if doc is None:
        return verdict(
            [Finding(f"{rel} is missing: register {', '.join(callers)} as M2M client(s) with one of the scopes "
                     f"{', '.join(mine) or '(this service declares none)'}", rel)], "")
    clients: Any = doc.get(["clients"], [])
    if not isinstance(clients, list):
        clients = []
    out: list[Finding] = []
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
