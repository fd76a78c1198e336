"""The `alarms(...)` call of infra.ts (`alarms("<name>", <service>, { ... })`, the helper of `infra/alarms.ts`) sets, in every stage:

- `errorRatePercent` ≤ 1,
- `latencyP99Ms` ≤ 1000,
- `dlqDepth` = 0.

Without an `alarms(...)` call, `new aws.cloudwatch.MetricAlarm` resources may cover the three: `TargetResponseTime` (seconds, `extendedStatistic: "p99"`) or a `*latency*` metric (milliseconds) ≤ 1 s; an error metric or metric-math expression on errors/5XX ≤ 1; `ApproximateNumberOfMessagesVisible` of a queue named `*dlq*`/`*dead*` with threshold 0 (`GreaterThanThreshold`). Findings are at the option's (or threshold's) line: "latencyP99Ms is 2000 (must be ≤ 1000)"; a threshold looser in some stages names them ("latencyP99Ms is 5000 for dev and staging (must be ≤ 1000)").

An `alarms(...)` call (or MetricAlarm) counts only in the stages where infra.ts surely runs it: one under `if ($app.stage === "prod")` leaves dev and staging without alarms, and one under a condition that cannot be evaluated statically or inside a function infra.ts may never call counts in no stage; a finding at the call names the stages left without alarms.

Every stage is held to the thresholds (the checklist's alarms are one definition, and a looser dev hides regressions before staging); a service that means dev to be looser waives with targets.

## Evidence

repo (infra.ts). infra.ts is evaluated statically, once per stage (`dev`, `staging`, `prod`) with `$app.stage` bound to that stage: object and array literals, strings, numbers, booleans, template strings, `const` bindings of the same file, `map[$app.stage]` and `obj.key` lookups, spreads of known objects, `??`/`||`, equality and `cond ? a : b`. Nothing is executed. A value computed by a call or imported from another file is reported as such ("scaling is computed by a call (scalingFor(...)); cannot be verified statically"), never guessed: make it literal in infra.ts, or waive. A problem found in every stage is reported once; one found in some stages names them ("scaling has no value for staging"). Findings point at the property's line in infra.ts (for a value read from a per-stage map, at the map's entry; a stage missing from a map is reported at the property, and the message names the map's line, where the key goes).

Live (the alarms exist in CloudWatch with the thresholds, in each stage) comes from the `aws` provider ([providers.md](../providers.md)): a missing or loose alarm fails the item at the `alarms(...)` call; without an answer it is `unverified` in `promote`.

## How to fix

`alarms("<name>", <service>, { errorRatePercent: 1, latencyP99Ms: 1000, dlqDepth: 0, critical: "pagerduty", warn: "slack" })`.
"""

from __future__ import annotations

from typing import Any

from gate.checks._infra import infra_model
from gate.context import Ctx
from gate.model import Finding, Result, failed, passed
from gate.providers import combine, live
from gate.sources.ts import parse as ts
from gate.sources.ts.infra import (
    STAGES,
    THRESHOLDS,
    Infra,
    StageFindings,
    alarm_options,
    describe,
    is_number,
    metric_alarm_kind,
    metric_alarm_threshold,
    missing_infra,
    option,
    unknown_text,
)

EXAMPLE = ('alarms("<name>", <service>, { errorRatePercent: 1, latencyP99Ms: 1000, dlqDepth: 0, '
           'critical: "pagerduty", warn: "slack" })')


def judge(sf: StageFindings, stage: str, key: str, value: Any, line: int) -> None:
    limit = next(lim for k, lim, _ in THRESHOLDS if k == key)
    op = next(o for k, _, o in THRESHOLDS if k == key)
    must = f"must be ≤ {limit:g}" if op == "≤" else f"must be {limit:g}"
    if isinstance(value, ts.Missing):
        sf.add(stage, f"alarms(...) sets no {key}{{where}}: set {key}: {limit:g}", line)
    elif isinstance(value, ts.Unknown):
        sf.add(stage, unknown_text(key, value), line)
    elif not is_number(value) or (op == "≤" and value > limit) or (op == "=" and value != limit):
        sf.add(stage, f"{key} is {describe(value)}{{where}} ({must})", line)


def check(ctx: Ctx) -> Result:
    infra = infra_model(ctx)
    if infra.file is None:
        return failed(missing_infra(infra))
    if not infra.alarm_calls and not infra.metric_alarms:
        line = infra.service_line or 1
        return failed(*infra.errors, infra.finding(f"infra.ts sets no alarms: add {EXAMPLE}", line))
    sf = StageFindings(infra)
    if infra.alarm_calls:
        for call in infra.alarm_calls:
            for stage in STAGES:
                if not infra.runs_in(call, stage):
                    continue
                opts, line = alarm_options(infra, call, stage)
                if isinstance(opts, ts.Unknown):
                    sf.add(stage, unknown_text("the alarms(...) options", opts), line)
                    continue
                if not isinstance(opts, ts.Obj):
                    sf.add(stage, f"alarms(...) has no options object{{where}}: {EXAMPLE}", line)
                    continue
                for key, _, _ in THRESHOLDS:
                    p = option(opts, key, line)
                    judge(sf, stage, key, p.value, p.line)
        how = f"{len(infra.alarm_calls)} alarms(...) call(s)"
    else:
        _metric_alarms(infra, sf)
        how = f"{len(infra.metric_alarms)} aws.cloudwatch.MetricAlarm resources"
    findings: list[Finding] = list(infra.errors) + sf.findings()
    findings += infra.unreached(infra.alarm_calls or infra.metric_alarms,
                                "alarms(...)" if infra.alarm_calls else "the aws.cloudwatch.MetricAlarm")
    findings.sort(key=lambda x: x.line or 0)
    if findings:
        return failed(*findings)
    ok = f"{how} set errorRatePercent ≤ 1, latencyP99Ms ≤ 1000 and dlqDepth = 0 in dev, staging and prod"
    return combine(ctx, passed(f"{ok}; that the alarms exist was not checked live"), live(ctx).alarms(), ok)


def _metric_alarms(infra: Infra, sf: StageFindings) -> None:
    for stage in STAGES:
        found: set[str] = set()
        for node in infra.metric_alarms:
            if not infra.runs_in(node, stage):
                continue
            args = [c for c in (node.child_by_field_name("arguments") or node).named_children if c.type != "comment"]
            line = ts.line_of(node)
            o = infra.evaluate(stage, args[1]) if len(args) >= 2 else ts.Missing("no options")
            if isinstance(o, ts.Unknown):
                sf.add(stage, unknown_text(f"the options of the MetricAlarm at line {line}", o), line)
                continue
            if not isinstance(o, ts.Obj):
                continue
            kind = metric_alarm_kind(o)
            if kind is None:
                continue
            found.add(kind)
            value, problem = metric_alarm_threshold(o, kind)
            tline = ts.line_of(o.at["threshold"]) if "threshold" in o.at else line
            if problem is not None:
                sf.add(stage, f"the {kind} MetricAlarm: {problem}{{where}}", line)
            judge(sf, stage, kind, value, tline)
        for key, _, _ in THRESHOLDS:
            if key not in found:
                sf.add(stage, f"no aws.cloudwatch.MetricAlarm implements {key}{{where}}: add one, or use {EXAMPLE}",
                       ts.line_of(infra.metric_alarms[0]))
