"""`services/<name>/infra.ts` constructs exactly one `new sst.aws.Service(...)` whose options give, in each of dev, staging and prod:

- a hostname: `loadBalancer.domain.name` (or a string `loadBalancer.domain`);
- `scaling`: an object (a per-stage map indexed by `$app.stage`, or one literal for all stages); when `min` and `max` are given they are numbers and `min ≤ max`;
- the service is constructed unconditionally at infra.ts's top level (not under an `if`/`?:` that leaves a stage out, a condition that cannot be evaluated statically, or inside a function): a finding at the construction names the stages without it;
- a load-balancer health check on `/healthz`: every entry of `loadBalancer.health` (`{ "3000/http": { path: "/healthz" } }`) has `path: "/healthz"` (an entry without a path, or no `health` at all, would probe `/`).

## Evidence

repo. infra.ts is evaluated statically, once per stage (`dev`, `staging`, `prod`) with `$app.stage` bound to that stage: object and array literals, strings, numbers, booleans, template strings, `const` bindings of the same file, `map[$app.stage]` and `obj.key` lookups, spreads of known objects, `??`/`||`, equality and `cond ? a : b`. Nothing is executed. A value computed by a call or imported from another file is reported as such ("scaling is computed by a call (scalingFor(...)); cannot be verified statically"), never guessed: make it literal in infra.ts, or waive. A problem found in every stage is reported once; one found in some stages names them ("scaling has no value for staging"). Findings point at the property's line in infra.ts (for a value read from a per-stage map, at the map's entry; a stage missing from a map is reported at the property, and the message names the map's line, where the key goes).

## How to fix

Follow the conventions' infra.ts: `scaling: scaling[$app.stage]` with a `scaling` map holding `dev`, `staging` and `prod`; `` domain: { name: `<name>.${$app.stage}.platform.loop.health`, dns: sst.cloudflare.dns() } ``; `health: { "3000/http": { path: "/healthz" } }`.

## How to waive

```yaml
targets: [services/<name>/infra.ts:19]   # optional: only that finding
```
"""

from __future__ import annotations

from typing import Any

from gate.checks._infra import infra_model
from gate.context import Ctx
from gate.model import Finding, Result, failed, verdict
from gate.sources.ts import parse as ts
from gate.sources.ts.infra import (
    STAGES,
    Infra,
    StageFindings,
    describe,
    missing_infra,
    no_service,
    stages_text,
    unknown_text,
)

HEALTH_PATH = "/healthz"


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def hostname(infra: Infra, stage: str) -> tuple[Any, int, str]:
    """The hostname in ``stage``: (value, line, property name)."""
    dom = infra.prop(stage, "loadBalancer", "domain")
    if isinstance(dom.value, ts.Obj):
        p = infra.prop(stage, "loadBalancer", "domain", "name")
        return p.value, p.line, "loadBalancer.domain.name"
    return dom.value, dom.line, "loadBalancer.domain"


def p_map(infra: Infra, stage: str, prop: str) -> str:
    return infra.prop(stage, *prop.split(".")).add_to_map()


def check(ctx: Ctx) -> Result:
    infra = infra_model(ctx)
    if infra.file is None:
        return failed(missing_infra(infra))
    if infra.service is None:
        return failed(*infra.errors, no_service(infra))
    findings: list[Finding] = list(infra.errors)
    if len(infra.services) > 1:
        lines = ", ".join(str(ts.line_of(n)) for n in infra.services)
        findings.append(infra.finding(f"infra.ts constructs {len(infra.services)} sst.aws.Service resources "
                                      f"(lines {lines}): keep one service per infra.ts",
                                      ts.line_of(infra.services[1])))
    stages, why = infra.reach.get(infra.service.start_byte, (STAGES, None))
    if len(stages) < len(STAGES):
        missing = [s for s in STAGES if s not in stages]
        findings.append(infra.finding(f"new sst.aws.Service(...) is {why}: infra.ts does not surely construct it in "
                                      f"{stages_text(missing)}; construct it unconditionally at the top level",
                                      infra.service_line))
        return failed(*findings)
    sf = StageFindings(infra)
    hosts: dict[str, str] = {}
    for stage in STAGES:
        _hostname(infra, sf, stage, hosts)
        _scaling(infra, sf, stage)
        _health(infra, sf, stage)
    findings.extend(sf.findings())
    shown = ", ".join(f"{s}: {h}" for s, h in hosts.items())
    return verdict(findings, f"one sst.aws.Service with hostname, scaling and a {HEALTH_PATH} health check in "
                             f"dev, staging and prod ({shown})")


def _hostname(infra: Infra, sf: StageFindings, stage: str, hosts: dict[str, str]) -> None:
    v, line, prop = hostname(infra, stage)
    if isinstance(v, str) and v.strip():
        hosts[stage] = v
    elif isinstance(v, ts.Missing):
        sf.add(stage, f"{prop} has no value{{where}}{p_map(infra, stage, prop)}: give the service a hostname "
                      "(loadBalancer.domain.name = `<name>.${$app.stage}.platform.loop.health`)", line)
    elif isinstance(v, ts.Unknown):
        sf.add(stage, unknown_text(prop, v), line)
    else:
        sf.add(stage, f"{prop} is {describe(v)}{{where}} (must be a hostname string)", line)


def _scaling(infra: Infra, sf: StageFindings, stage: str) -> None:
    p = infra.prop(stage, "scaling")
    v = p.value
    if isinstance(v, ts.Missing):
        if p.map_line:
            sf.add(stage, f"scaling has no value{{where}}{p.add_to_map()}", p.line)
        else:
            sf.add(stage, "scaling has no value{where}: set scaling for dev, staging and prod "
                          "(a map keyed by stage indexed by $app.stage, or one object for all)", p.line)
        return
    if isinstance(v, ts.Unknown):
        sf.add(stage, unknown_text("scaling", v), p.line)
        return
    if not isinstance(v, ts.Obj):
        sf.add(stage, f"scaling is {describe(v)}{{where}} (must be an object such as {{ min: 1, max: 2 }})", p.line)
        return
    bounds: dict[str, float] = {}
    for key in ("min", "max"):
        b = infra.prop(stage, "scaling", key)
        if isinstance(b.value, ts.Missing):
            continue
        if isinstance(b.value, ts.Unknown):
            sf.add(stage, unknown_text(f"scaling.{key}", b.value), b.line)
        elif not _number(b.value):
            sf.add(stage, f"scaling.{key} is {describe(b.value)}{{where}} (must be a number)", b.line)
        else:
            bounds[key] = b.value
    if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
        line = infra.prop(stage, "scaling", "min").line
        sf.add(stage, f"scaling.min {describe(bounds['min'])} is above scaling.max {describe(bounds['max'])}"
                      "{where}", line)


def _health(infra: Infra, sf: StageFindings, stage: str) -> None:
    p = infra.prop(stage, "loadBalancer", "health")
    v = p.value
    add = (f"add a health check on {HEALTH_PATH} "
           f'(loadBalancer.health: {{ "3000/http": {{ path: "{HEALTH_PATH}" }} }})')
    if isinstance(v, ts.Missing) or (isinstance(v, ts.Obj) and not v and not v.opaque):
        sf.add(stage, f"loadBalancer.health has no health check{{where}} (the load balancer would probe /): {add}",
               p.line)
        return
    if isinstance(v, ts.Unknown):
        sf.add(stage, unknown_text("loadBalancer.health", v), p.line)
        return
    if not isinstance(v, ts.Obj):
        sf.add(stage, f"loadBalancer.health is {describe(v)}{{where}} (must map \"<port>/<protocol>\" to "
                      f"{{ path: \"{HEALTH_PATH}\" }})", p.line)
        return
    for u in v.opaque:
        sf.add(stage, unknown_text("loadBalancer.health", ts.Unknown(f"extended by {u.why}")), p.line)
    for key in v:
        e = infra.prop(stage, "loadBalancer", "health", key, "path")
        path = e.value
        if isinstance(path, ts.Missing):
            sf.add(stage, f"health check {key} has no path{{where}} (the load balancer would probe /): "
                          f'set path: "{HEALTH_PATH}"', e.line)
        elif isinstance(path, ts.Unknown):
            sf.add(stage, unknown_text(f"health check {key} path", path), e.line)
        elif path != HEALTH_PATH:
            shown = path if isinstance(path, str) else describe(path)
            sf.add(stage, f"health check {key} is on {shown}{{where}} (must be {HEALTH_PATH})", e.line)
