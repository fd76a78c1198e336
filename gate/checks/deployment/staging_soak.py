"""deployment.staging-soak: Soaked in staging for ≥ 24 hours with no alarms.

GitHub evidence (Deployments API): a deployment of the evaluated commit to the staging
environment (``deployments.environment`` with ``{stage}`` = ``staging``) whose status is
``success`` and that went live at least ``deployments.soak_hours`` (default 24) before the gate's
clock (measured from its success status, else from its creation). Younger → ``pending`` with how
long remains; failed → ``fail``; superseded (``inactive``) → it no longer runs in staging. The
live half (no alarm of the service entered ALARM since) comes from the CloudWatch provider
(``gate.providers``; docs/providers.md), combined with ``gate.providers.combine``. A promotion-time item: on a PR, a commit not (yet) deployed to staging is
``pending``; ``promote`` fails it.
"""

from __future__ import annotations

import datetime as dt

from gate import providers
from gate.checks.promotion._github import (
    duration,
    short,
    since,
    stage_deployments,
    stamp,
)
from gate.context import Ctx
from gate.model import Finding, Result, failed, passed, pending, unverified
from gate.providers import combine

LIVE = "alarms since then not checked: no live alarm provider configured (providers.aws)"


def check(ctx: Ctx) -> Result:
    run = ctx.run
    got = stage_deployments(run, ctx.service.name, "staging")
    if isinstance(got, Result):
        return got
    env, ev, deps = got.env, got.evidence, got.deployments
    if deps is None:
        return unverified(f"the deployments of {env} were not read in this run")
    sha = ev.sha or (run.pr.head_sha if run.pr else "")
    hours = run.config.deployments.soak_hours
    need = dt.timedelta(hours=hours)
    mine = [d for d in deps if sha and d.sha == sha]
    if not mine:
        latest = f" (latest there: {short(deps[0].sha)})" if deps else ""
        msg = f"commit {short(sha)} has not been deployed to {env}{latest}"
        if run.mode == "promote":
            return failed(Finding(f"{msg}: deploy it to staging and let it soak {hours:g}h before promoting"))
        return pending(f"{msg}; it must soak there {hours:g}h before promotion")
    d = mine[0]
    state = (d.state or "").lower()
    what = f"deployment #{d.id} of {short(sha)} to {env}"
    if state in ("failure", "error"):
        link = f": {d.url}" if d.url else ""
        return failed(Finding(f"{what} ended in {state}{link}: fix it and deploy again"))
    if state == "inactive":
        msg = f"{what} is inactive: a newer deployment replaced it, so this commit no longer soaks in staging"
        if run.mode == "promote":
            return failed(Finding(f"{msg}: promote the commit running in staging instead"))
        return pending(msg)
    if state != "success":
        return pending(f"{what} is {state.replace('_', ' ') or 'without a status yet'}; the soak starts when it "
                       "succeeds")
    live = since(d)
    age = run.now - live
    if age < need:
        return pending(f"{what} has soaked {duration(age)} of {hours:g}h (live since {stamp(live)}); "
                       f"{duration(need - age)} remain").until(live + need, f"the staging soak of {ctx.service.name} "
                                                               "completes")
    ok = f"{what} live since {stamp(live)}, soaked {duration(age)} (≥ {hours:g}h)"
    return combine(ctx, passed(f"{ok}; {LIVE}"), providers.live(ctx).alarm_history("staging", live), ok)
