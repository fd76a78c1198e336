"""Repo half: `on_call.pagerduty_schedule` is set and shaped like a PagerDuty id (`P` followed by 6 to 13 upper-case letters or digits, e.g. `P1A2B3C`). Live half (the `pagerduty` provider, [providers.md](../providers.md)): the schedule exists, the primary and secondary are on it, and an escalation policy using it has at least two levels; without a provider a repo-proven item is `pass` with the reason "schedule id set (not checked live: no PagerDuty provider)" outside `promote`, and `unverified` in `promote`.

## Evidence

repo: service.yaml; live: the `pagerduty` provider.

## How to fix

Copy the schedule id from the schedule's PagerDuty URL into `on_call.pagerduty_schedule`.
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
