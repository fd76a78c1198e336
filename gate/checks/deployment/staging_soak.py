"""A deployment of the evaluated commit to the staging environment (`deployments.environment` with `{stage}` = `staging`) has the status `success`, and went live (its success status's time, else its creation) at least `deployments.soak_hours` (default 24) before the gate's clock.

| situation | status |
|---|---|
| soaked long enough | `pass` (since when, how long) |
| deployed and successful, not long enough | `pending`: "has soaked 5h 12m of 24h … 18h 48m remain" |
| deployment in progress | `pending` |
| the deployment failed or errored | `fail` |
| the commit is not deployed to staging | `pending` on a PR, `fail` in `promote` |
| its deployment is `inactive` (a newer deployment replaced it: it no longer soaks) | `pending` on a PR, `fail` in `promote` ("promote the commit running in staging") |
| a deployment of another commit created after it, while the commit's deployment still shows `success` (computed from the environment's deployments: GitHub marks the older one `inactive` only when the newer one's success status has `auto_inactive`): one that succeeded, or whose status was not read, counts (GitHub shows the older one live until the newer one succeeds: a newer one in flight, failed or inactive does not) | as `inactive`, naming the newer deployment |
| no GitHub evidence / deployments not read | `unverified` |

The live half (no CloudWatch alarm of the service was in ALARM in staging since the deployment went live: none entered ALARM, none was in ALARM already then and left it later, none is in ALARM now; a history of more than 50 pages is no answer) comes from the `aws` provider ([providers.md](../providers.md)): an alarm fails the item with its name and time; without an answer the item is `unverified` in `promote`. A promotion-time item: reported on a PR, judged strictly by `promote`.

## Evidence

github: the Deployments API (the newest deployments of the environment; the status of the newest deployment of the commit).

## How to fix

Deploy the commit to staging and wait; the promotion workflow can be re-run once the remaining time has passed. Promote the commit that is running in staging.
"""

from __future__ import annotations

import datetime as dt

from gate import providers
from gate.checks._github import duration, short, stage_deployments, stamp
from gate.context import Ctx
from gate.github.reviews import since
from gate.model import Finding, Result, failed, passed, pending, unverified
from gate.providers import combine

LIVE = "alarms since then not checked: no live alarm provider configured (providers.aws)"


def check(ctx: Ctx) -> Result:
    run = ctx.run
    got = stage_deployments(run, ctx.service.name, "staging")
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
    # GitHub marks a replaced deployment inactive only when the newer one's success status has
    # auto_inactive (its default): a newer deployment of another commit that went live (or whose
    # status was not read) replaced it as well
    newer = [n for n in deps if n.sha != sha and (n.created_at, n.id) > (d.created_at, d.id)
             and (not n.status_read or (n.state or "").lower() == "success")]
    if newer:
        n = min(newer, key=lambda x: (x.created_at, x.id))
        how = "succeeded" if n.status_read else "its status not read"
        msg = (f"{what} was replaced by deployment #{n.id} of {short(n.sha)} created at {stamp(n.created_at)} "
               f"({how}): this commit no longer soaks in staging")
        if run.mode == "promote":
            return failed(Finding(f"{msg}; promote the commit running in staging instead"))
        return pending(msg)
    live = since(d)
    age = run.now - live
    if age < need:
        return pending(f"{what} has soaked {duration(age)} of {hours:g}h (live since {stamp(live)}); "
                       f"{duration(need - age)} remain").until(live + need, f"the staging soak of {ctx.service.name} "
                                                               "completes")
    ok = f"{what} live since {stamp(live)}, soaked {duration(age)} (≥ {hours:g}h)"
    return combine(ctx, passed(f"{ok}; {LIVE}"), providers.live(ctx).alarm_history("staging", live), ok)
