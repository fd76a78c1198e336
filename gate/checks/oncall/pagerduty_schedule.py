"""oncall.pagerduty-schedule: PagerDuty schedule exists.

Repo half: ``on_call.pagerduty_schedule`` is set and shaped like a PagerDuty id (``P`` then
upper-case letters and digits, e.g. ``P1A2B3C``). The live half (the schedule exists in
PagerDuty, with the on-call people and two escalation levels) comes from the PagerDuty provider
(``gate.providers``; docs/providers.md), combined with ``gate.providers.combine``.
"""

from __future__ import annotations

import re

from gate.context import Ctx
from gate.model import Result, failed, passed
from gate.providers import combine, live

PAGERDUTY_ID = re.compile(r"^P[A-Z0-9]{6,13}$")


def check(ctx: Ctx) -> Result:
    sched = ctx.spec("on_call", "pagerduty_schedule")
    if not isinstance(sched, str) or not sched.strip():
        return failed(ctx.spec_finding("no PagerDuty schedule: set `on_call.pagerduty_schedule` in service.yaml "
                                       "to the schedule's id (e.g. P1A2B3C, from the schedule's URL)",
                                       "on_call", "pagerduty_schedule"))
    if not PAGERDUTY_ID.match(sched.strip()):
        return failed(ctx.spec_finding(f"on_call.pagerduty_schedule {sched!r} is not a PagerDuty schedule id "
                                       "(P followed by 6+ upper-case letters/digits, e.g. P1A2B3C): copy it from "
                                       "the schedule's URL", "on_call", "pagerduty_schedule"))
    return combine(ctx, passed(f"schedule id {sched.strip()} set (not checked live: no PagerDuty provider)"),
                   live(ctx).pagerduty(), f"schedule id {sched.strip()} set")
