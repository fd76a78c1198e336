"""The latest deployment (newest by creation) of the GitHub environment `deployments.environment` with `{stage}` = `dev` (default `<service>-dev`) has the status `success`.

| situation | status |
|---|---|
| latest dev deployment succeeded | `pass` |
| it ended in `failure`/`error`, or is `inactive` | `fail` (with the deployment's link) |
| queued, in progress, or without a status yet | `pending` |
| no deployment to that environment at all | `fail` |
| no GitHub evidence, or GitHub did not answer for the deployments | `unverified` |

The live half (GET the dev `/healthz` → 200, TLS verified) comes from the `http` provider ([providers.md](../providers.md)): a non-200 answer fails the item; without a provider or an answer the item is `unverified` in `promote`, and elsewhere the `pass` reason says the live half was not checked. A promotion-time item: reported on a PR, judged strictly by `promote`.

## Evidence

github: `GET /repos/{o}/{r}/deployments?environment=<env>` and the latest deployment's status.

## How to fix

Make the deploy workflow create GitHub deployments for the dev environment (e.g. the job's `environment: payments-dev`), fix the failing deploy and deploy again. If your environments are named differently, set `deployments.environment` (placeholders `{service}`, `{stage}`).
"""

from __future__ import annotations

from gate.checks._github import short, stage_deployments, stamp
from gate.context import Ctx
from gate.model import Finding, Result, failed, passed, pending, unverified
from gate.providers import combine, live

LIVE = "live GET /healthz not checked: no live HTTP provider configured (providers.http)"


def check(ctx: Ctx) -> Result:
    run = ctx.run
    got = stage_deployments(run, ctx.service.name, "dev")
    env, deps = got.env, got.deployments
    if deps is None:
        return unverified(f"the deployments of {env} were not read in this run")
    if not deps:
        return failed(Finding(f"no deployment to the GitHub environment {env}: deploy {ctx.service.name} to dev "
                              "(the deploy workflow must create GitHub deployments for that environment, see "
                              "deployments.environment)"))
    d = deps[0]
    state = (d.state or "").lower()
    what = f"the latest deployment to {env} (#{d.id}, commit {short(d.sha)}, {stamp(d.created_at)})"
    if state == "success":
        return combine(ctx, passed(f"{what} succeeded; {LIVE}"), live(ctx).healthz(), f"{what} succeeded")
    if state in ("failure", "error"):
        link = f": {d.url}" if d.url else ""
        return failed(Finding(f"{what} ended in {state}{link}: fix the deploy and deploy to dev again"))
    if state == "inactive":
        return failed(Finding(f"{what} is inactive (the environment was torn down or replaced): deploy to dev again"))
    return pending(f"{what} is {state.replace('_', ' ') or 'without a status yet'}")
