"""The check runs and commit statuses of the evaluated commit whose names match a glob of `ci.staging_smoke` (default `smoke*staging*`) concluded `success` (`neutral`/`skipped` prove nothing). A failing one fails with its link; a running one is `pending`. When none has run: `pending` on a pull request (the commit has not been to staging yet), `fail` in `promote` (a commit promoted without a smoke test).

Without GitHub evidence → `unverified`; check runs GitHub did not return → `unverified` with the reason (`promote` blocks on it). In `promote`, when the promoted commit is not the PR's head (a merge or squash commit) and its own check runs and statuses could not be read → `unverified` with a finding saying so (`promote` blocks on it): the PR head's checks never stand in for them, since a smoke run on the PR's head proves nothing about the commit that was merged and deployed. A promotion-time item: reported on a PR, judged strictly by `promote`.

## Evidence

github: check runs and statuses of the commit (`GitHubEvidence.check_runs`, `statuses`); in `promote`, those of the promoted commit: its own (`GitHubEvidence.commit_check_runs`, `commit_statuses`) when it is not the PR's head, and nothing else in their place.

## How to fix

Run the smoke suite against staging after each staging deploy, reporting a check run or status named to match `ci.staging_smoke`, on the deployed commit. When the promoted commit's check runs could not be read, re-run the promotion; the workflow needs `permissions: checks: read, statuses: read`.
"""

from __future__ import annotations

from gate.checks._github import judge_named, require
from gate.context import Ctx
from gate.model import Result


def check(ctx: Ctx) -> Result:
    ev = require(ctx.run, "the staging smoke checks")
    patterns = list(ctx.config.ci.staging_smoke)
    return judge_named(ctx.run, ev, patterns, "staging_smoke", "staging smoke", strict=False, commit=True)
