"""The `alarms(...)` call of infra.ts routes `critical` to `"pagerduty"` and `warn` to `"slack"` in every stage (evaluated per stage like `observability.alarms`; a call infra.ts runs only in some stages, under a `$app.stage` condition, leaves the others unrouted and fails at the call). Findings are at the option's line: 'warn is routed to "pagerduty" (must be "slack")'; a missing option at the call's line. Alarms declared only as `new aws.cloudwatch.MetricAlarm` resources fail: their actions are SNS topic ARNs whose destination cannot be verified statically.

## Evidence

repo (infra.ts). infra.ts is evaluated statically, once per stage (`dev`, `staging`, `prod`) with `$app.stage` bound to that stage: object and array literals, strings, numbers, booleans, template strings, `const` bindings of the same file, `map[$app.stage]` and `obj.key` lookups, spreads of known objects, `??`/`||`, equality and `cond ? a : b`. Nothing is executed. A value computed by a call or imported from another file is reported as such ("scaling is computed by a call (scalingFor(...)); cannot be verified statically"), never guessed: make it literal in infra.ts, or waive. A problem found in every stage is reported once; one found in some stages names them ("scaling has no value for staging"). Findings point at the property's line in infra.ts (for a value read from a per-stage map, at the map's entry; a stage missing from a map is reported at the property, and the message names the map's line, where the key goes).

## How to fix

`alarms("<name>", <service>, { ..., critical: "pagerduty", warn: "slack" })`.
"""

from __future__ import annotations

from gate.checks._infra import infra_model
from gate.context import Ctx
from gate.model import Finding, Result, failed, passed
from gate.sources.ts import parse as ts
from gate.sources.ts.infra import (
    STAGES,
    StageFindings,
    alarm_options,
    describe,
    missing_infra,
    option,
    unknown_text,
)

ROUTES: tuple[tuple[str, str], ...] = (("critical", "pagerduty"), ("warn", "slack"))
EXAMPLE = 'alarms("<name>", <service>, { ..., critical: "pagerduty", warn: "slack" })'


def check(ctx: Ctx) -> Result:
    infra = infra_model(ctx)
    if infra.file is None:
        return failed(missing_infra(infra))
    line = infra.service_line or 1
    if not infra.alarm_calls:
        if infra.metric_alarms:
            first = ts.line_of(infra.metric_alarms[0])
            return failed(infra.finding("the alarms are aws.cloudwatch.MetricAlarm resources whose routing cannot be "
                                        f"verified statically: route them with {EXAMPLE}", first))
        return failed(*infra.errors, infra.finding(f"infra.ts sets no alarms, so nothing pages: add {EXAMPLE}", line))
    sf = StageFindings(infra)
    for call in infra.alarm_calls:
        for stage in STAGES:
            if not infra.runs_in(call, stage):
                continue
            opts, cline = alarm_options(infra, call, stage)
            if isinstance(opts, ts.Unknown):
                sf.add(stage, unknown_text("the alarms(...) options", opts), cline)
                continue
            if not isinstance(opts, ts.Obj):
                sf.add(stage, f"alarms(...) has no options object{{where}}: {EXAMPLE}", cline)
                continue
            for key, want in ROUTES:
                p = option(opts, key, cline)
                v = p.value
                if isinstance(v, ts.Missing):
                    sf.add(stage, f'alarms(...) does not route {key}{{where}}: set {key}: "{want}"', p.line)
                elif isinstance(v, ts.Unknown):
                    sf.add(stage, unknown_text(key, v), p.line)
                elif v != want:
                    sf.add(stage, f'{key} is routed to {describe(v)}{{where}} (must be "{want}")', p.line)
    findings: list[Finding] = list(infra.errors) + sf.findings()
    findings += infra.unreached(infra.alarm_calls or infra.metric_alarms,
                                "alarms(...)" if infra.alarm_calls else "the aws.cloudwatch.MetricAlarm")
    findings.sort(key=lambda x: x.line or 0)
    if findings:
        return failed(*findings)
    return passed('alarms(...) routes critical to "pagerduty" and warn to "slack" in dev, staging and prod')
