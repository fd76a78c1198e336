"""In each of dev, staging and prod, the service's hostname (`loadBalancer.domain.name` of its `new sst.aws.Service`) is under `platform.loop.health` — `<name>.${$app.stage}.platform.loop.health`, or a per-stage map covering the three stages — each stage has its own hostname, a hostname of the convention's form (`<x>.<stage>.platform.loop.health`) names this service (`orders.dev.platform.loop.health` in payments' infra.ts fails: "domain orders.dev.platform.loop.health names orders, not this service"), and the domain uses `dns: sst.cloudflare.dns()`. A string `domain` (SST's default adapter is Route 53) or another adapter (`sst.aws.dns()`) fails: "domain payments.dev.platform.loop.health is not under the Cloudflare dns adapter".

## Evidence

repo (infra.ts). infra.ts is evaluated statically, once per stage (`dev`, `staging`, `prod`) with `$app.stage` bound to that stage: object and array literals, strings, numbers, booleans, template strings, `const` bindings of the same file, `map[$app.stage]` and `obj.key` lookups, spreads of known objects, `??`/`||`, equality and `cond ? a : b`. Nothing is executed. A value computed by a call or imported from another file is reported as such ("scaling is computed by a call (scalingFor(...)); cannot be verified statically"), never guessed: make it literal in infra.ts, or waive. A problem found in every stage is reported once; one found in some stages names them ("scaling has no value for staging"). Findings point at the property's line in infra.ts (for a value read from a per-stage map, at the map's entry; a stage missing from a map is reported at the property, and the message names the map's line, where the key goes).

Live (the names resolve) comes from the `dns` provider ([providers.md](../providers.md)): a name that does not resolve fails the item at the domain's line; without an answer it is `unverified` in `promote`.

## How to fix

`` loadBalancer: { domain: { name: `<name>.${$app.stage}.platform.loop.health`, dns: sst.cloudflare.dns() } } ``.
"""

from __future__ import annotations

from gate.checks._infra import infra_model
from gate.context import Ctx
from gate.model import Finding, Result, failed, passed
from gate.providers import combine, live
from gate.sources.ts import parse as ts
from gate.sources.ts.infra import (
    DNS_ADAPTER,
    STAGES,
    Infra,
    StageFindings,
    describe,
    missing_infra,
    no_service,
    stages_text,
    unknown_text,
)

ZONE = "platform.loop.health"
EXAMPLE = "domain: { name: `<name>.${$app.stage}.platform.loop.health`, dns: sst.cloudflare.dns() }"


def under_zone(host: str) -> bool:
    h = host.strip().rstrip(".").lower()
    return h.endswith("." + ZONE) and all(h.split("."))


def check(ctx: Ctx) -> Result:
    infra = infra_model(ctx)
    if infra.file is None:
        return failed(missing_infra(infra))
    if infra.service is None:
        return failed(*infra.errors, no_service(infra))
    sf = StageFindings(infra)
    hosts: dict[str, tuple[str, int]] = {}
    for stage in STAGES:
        _stage(infra, sf, stage, hosts, ctx.service.name)
    findings: list[Finding] = list(infra.errors) + sf.findings()
    by_host: dict[str, list[str]] = {}
    for stage, (host, _) in hosts.items():
        by_host.setdefault(host.lower().rstrip("."), []).append(stage)
    for host, stages in by_host.items():
        if len(stages) > 1:
            line = hosts[stages[0]][1]
            findings.append(infra.finding(f"domain {host} is the same for {stages_text(stages)}: give each stage its "
                                          f"own hostname (<name>.${{$app.stage}}.{ZONE})", line))
    if findings:
        return failed(*sorted(findings, key=lambda f: f.line or 0))
    shown = ", ".join(f"{s}: {h}" for s, (h, _) in hosts.items())
    return combine(ctx, passed(f"{shown}, each under {ZONE} with {DNS_ADAPTER}(); that the names resolve was not checked live"),
                   live(ctx).dns(), f"{shown}, each under {ZONE} with {DNS_ADAPTER}()")


def _stage(infra: Infra, sf: StageFindings, stage: str, hosts: dict[str, tuple[str, int]], name: str) -> None:
    dom = infra.prop(stage, "loadBalancer", "domain")
    v = dom.value
    if isinstance(v, ts.Missing):
        sf.add(stage, f"loadBalancer.domain has no value{{where}}{dom.add_to_map()}: set {EXAMPLE}", dom.line)
        return
    if isinstance(v, ts.Unknown):
        sf.add(stage, unknown_text("loadBalancer.domain", v), dom.line)
        return
    if isinstance(v, str):
        host, host_line = v, dom.line
        dns: object = ts.Missing("a string domain")
        dns_line = dom.line
    elif isinstance(v, ts.Obj):
        n = infra.prop(stage, "loadBalancer", "domain", "name")
        d = infra.prop(stage, "loadBalancer", "domain", "dns")
        if isinstance(n.value, ts.Missing):
            sf.add(stage, f"loadBalancer.domain.name has no value{{where}}{n.add_to_map()}: set {EXAMPLE}", n.line)
            return
        if isinstance(n.value, ts.Unknown):
            sf.add(stage, unknown_text("loadBalancer.domain.name", n.value), n.line)
            return
        if not isinstance(n.value, str):
            sf.add(stage, f"loadBalancer.domain.name is {describe(n.value)}{{where}} (must be a hostname)", n.line)
            return
        host, host_line, dns, dns_line = n.value, n.line, d.value, d.line
    else:
        sf.add(stage, f"loadBalancer.domain is {describe(v)}{{where}}: set {EXAMPLE}", dom.line)
        return
    hosts[stage] = (host, host_line)
    # a hostname that names its stage says where already
    where = "" if stage in host.lower().split(".") else "{where}"
    if not under_zone(host):
        sf.add(stage, f"domain {host} is not under {ZONE}{where}: use <name>.${{$app.stage}}.{ZONE}", host_line)
    else:
        labels = host.strip().rstrip(".").lower().split(".")
        if len(labels) == 2 + len(ZONE.split(".")) and labels[1] == stage and labels[0] != name.lower():
            # the convention's form, <name>.<stage>.platform.loop.health, with another name
            sf.add(stage, f"domain {host} names {labels[0]}, not this service{where}: use "
                          f"{name}.${{$app.stage}}.{ZONE}", host_line)
    if isinstance(dns, ts.Opaque) and dns.callee == DNS_ADAPTER and not dns.is_new:
        return
    if isinstance(dns, ts.Missing):
        sf.add(stage, f"domain {host} is not under the Cloudflare dns adapter{where} (SST defaults to Route 53): "
                      f"set dns: {DNS_ADAPTER}()", dns_line)
    elif isinstance(dns, ts.Opaque) and dns.callee:
        sf.add(stage, f"domain {host} uses {dns.callee}(), not the Cloudflare dns adapter{where}: "
                      f"set dns: {DNS_ADAPTER}()", dns_line)
    elif isinstance(dns, ts.Unknown):
        sf.add(stage, unknown_text("loadBalancer.domain.dns", dns), dns_line)
    else:
        sf.add(stage, f"loadBalancer.domain.dns is {describe(dns)}{{where}}: set dns: {DNS_ADAPTER}()", dns_line)
