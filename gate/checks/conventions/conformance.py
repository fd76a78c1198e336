"""Every check run on the head commit whose name matches a glob of `ci.conformance` (default `conformance*`) and that was created by the app `ci.conformance_app` (default `github-actions`) concluded `success`. A check run of another app or a commit status of a matching name proves nothing (anyone who can set a status or install an app could name one "conformance"): with only those, the item fails saying so. `neutral` or `skipped` prove nothing here and fail; a failure, cancellation or timeout fails with one finding per check (name, conclusion, link); a queued or running one makes the item `pending`; when no check matches, the item fails ("no conformance check ran"). The conformance suite runs once for the repository, so every service reads the same checks.

Without GitHub evidence (plain `check`) the item is `unverified`; check runs that GitHub did not return → `fail` (closed), re-run the gate.

## Evidence

github: check runs and statuses of the head commit (`GitHubEvidence.check_runs`, `statuses`).

## How to fix

Open the failing run's link and fix what it reports (the repo checks `conventions.audit`, `conventions.brand-scoping`, `conventions.scope-enforcement` usually point at the same lines). If the suite is named differently, set `ci.conformance` to its names.
"""

from __future__ import annotations

from gate.checks._github import judge_named, require
from gate.context import Ctx
from gate.model import Result


def check(ctx: Ctx) -> Result:
    ev = require(ctx.run, "the conformance checks of the head commit")
    patterns = list(ctx.config.ci.conformance)
    app = ctx.config.ci.conformance_app
    return judge_named(ctx.run, ev, patterns, "conformance", "conformance", strict=True, app=app)
