"""deployment.staging-smoke: Smoke test against staging passes.

GitHub evidence: the check runs / commit statuses of the evaluated commit (in ``promote``, the
merged commit when ``GitHubEvidence.commit_check_runs``/``commit_statuses`` were read, else the
PR's head) whose names match
``ci.staging_smoke`` (default ``smoke*staging*``) concluded ``success``. A promotion-time item:
on a PR it is reported (``pending`` until a smoke run exists for the commit), ``promote`` judges
it strictly (none ran → ``fail``). Without GitHub evidence → ``unverified``; check runs GitHub
did not return → ``unverified`` with the reason (``promote`` blocks on it).
"""

from __future__ import annotations

from gate.checks.promotion._github import evidence, judge_named, no_github
from gate.context import Ctx
from gate.model import Result


def check(ctx: Ctx) -> Result:
    missing = no_github(ctx.run, "the staging smoke checks")
    if missing is not None:
        return missing
    ev = evidence(ctx.run)
    assert ev is not None
    patterns = list(ctx.config.ci.staging_smoke)
    return judge_named(ctx.run, ev, patterns, "staging_smoke", "staging smoke", strict=False, commit=True)
