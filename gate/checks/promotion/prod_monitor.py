"""The last step of a promotion, judged after the deploy (`prodgate promote --after-deploy`, or the catalog run); it is never part of `ready` and never blocks a PR or a promotion before the deploy.

The deployment of the promoted commit to the prod environment (`deployments.environment` with `{stage}` = `prod`, default `<service>-prod`) has the status `success` and went live (its success status's time, else its creation) at least `deployments.monitor_minutes` (default 30) before the gate's clock.

| situation | status |
|---|---|
| no deployment of the commit to prod (before the promotion) | `pending`: "not promoted yet" |
| deployed, still inside the monitoring window, or the deployment in progress | `pending`, with how long remains |
| succeeded and ran `monitor_minutes` | `pass` |
| the deployment failed or errored | `fail` |
| a newer deployment to the environment was created before the monitor window ended (computed from the environment's deployments: GitHub does not mark production deployments `inactive`); a newer one that failed does not count, one whose status could not be read does | `fail`: which deployment replaced it, when |
| no GitHub evidence | `unverified` |

The live half — no CloudWatch alarm of the service was in ALARM in prod since the deployment went live (none entered ALARM, none was in ALARM already then and left it later, none is in ALARM now; a history of more than 50 pages is no answer) — comes from the `aws` provider ([providers.md](../providers.md)); without an answer the item is `unverified` in `promote --after-deploy`.

## Evidence

github: the Deployments API (`GitHubEvidence.deployments`): the environment's deployments and the promoted commit's (read with the `sha` filter, paginated), the newest status of the commit's deployment and of up to 10 newer ones (chosen by time: GitHub does not document the order of the list).

## How to fix

Deploy, watch the dashboards for `monitor_minutes`, then run `prodgate promote --service <name> --after-deploy`. On a failed deploy, roll back (RUNBOOK.md "Rollback") or fix forward.
"""

from __future__ import annotations

import datetime as dt

from gate import providers
from gate.checks._github import duration, short, stage_deployments, stamp
from gate.context import Ctx
from gate.github.reviews import since
from gate.model import Finding, Result, failed, passed, pending
from gate.providers import combine

LIVE = "alarms not checked: no live alarm provider configured (providers.aws)"
BEFORE = "judged after the prod deploy (`prodgate promote --after-deploy`)"


def check(ctx: Ctx) -> Result:
    run = ctx.run
    got = stage_deployments(run, ctx.service.name, "prod")
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
