"""promotion.prod-monitor: Manual prod deploy triggered + monitored for 30 minutes.

Judged after the promotion (``prodgate promote --after-deploy``, or the catalog run): the
deployment of the promoted commit to the prod environment (``deployments.environment`` with
``{stage}`` = ``prod``) has the status ``success`` and went live at least
``deployments.monitor_minutes`` (default 30) before the gate's clock. Before that it is
``pending`` (not deployed yet, or still being monitored, with how long remains); a failed prod
deployment → ``fail``. "Still the live one" is computed from the environment's deployments, not
from an ``inactive`` status (GitHub does not mark production deployments inactive): a newer
deployment to the environment created before the monitor window ended replaced the promoted
commit before it was monitored → ``fail`` (one whose status could not be read counts as
replacing it: fail closed; one that failed does not). The live half (no alarm fired while monitored) comes from the
CloudWatch provider (``gate.providers``; docs/providers.md), combined with ``gate.providers.combine``. Never part of ``ready``.
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
from gate.model import Finding, Result, failed, passed, pending
from gate.providers import combine

LIVE = "alarms not checked: no live alarm provider configured (providers.aws)"
BEFORE = "judged after the prod deploy (`prodgate promote --after-deploy`)"


def check(ctx: Ctx) -> Result:
    run = ctx.run
    got = stage_deployments(run, ctx.service.name, "prod")
    if isinstance(got, Result):
        return got
    env, ev, deps = got.env, got.evidence, got.deployments
    sha = ev.sha or (run.pr.head_sha if run.pr else "")
    if deps is None:
        return pending(f"not promoted yet: {BEFORE}")
    mine = [d for d in deps if sha and d.sha == sha]
    if not mine:
        return pending(f"commit {short(sha)} has not been deployed to {env} yet: {BEFORE}")
    d = mine[0]
    state = (d.state or "").lower()
    what = f"deployment #{d.id} of {short(sha)} to {env}"
    if state in ("failure", "error"):
        link = f": {d.url}" if d.url else ""
        return failed(Finding(f"{what} ended in {state}{link}: roll back or fix forward (RUNBOOK.md Rollback)"))
    minutes = run.config.deployments.monitor_minutes
    need = dt.timedelta(minutes=minutes)
    live = since(d)
    ends = live + need
    replaced = [n for n in deps if (n.created_at, n.id) > (d.created_at, d.id) and n.created_at < ends
                and not (n.status_read and (n.state or "").lower() in ("failure", "error"))]
    if replaced:
        n = min(replaced, key=lambda x: (x.created_at, x.id))
        return failed(Finding(f"{what} was replaced by deployment #{n.id} of {short(n.sha)} at {stamp(n.created_at)}, "
                              f"before its {minutes:g}-minute monitor window ended ({stamp(ends)}): the promoted "
                              "commit was not monitored in prod; redeploy it and monitor it, or promote the commit "
                              "that is live"))
    if state == "inactive":
        return failed(Finding(f"{what} is inactive: a newer deployment replaced it before it was monitored "
                              "(rolled back?)"))
    if state != "success":
        return pending(f"{what} is {state.replace('_', ' ') or 'without a status yet'}")
    age = run.now - live
    if age < need:
        return pending(f"{what} succeeded at {stamp(live)}; monitored {duration(age)} of "
                       f"{minutes:g} minutes, {duration(need - age)} remain").until(
            live + need, f"the prod monitoring of {ctx.service.name} completes")
    ok = f"{what} succeeded at {stamp(live)} and ran {duration(age)} (≥ {minutes:g} minutes)"
    return combine(ctx, passed(f"{ok}; {LIVE}"), providers.live(ctx).alarm_history("prod", live), ok)
