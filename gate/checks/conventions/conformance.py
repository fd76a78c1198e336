"""conventions.conformance: Conformance tests pass (audit, brand scoping, scope enforcement).

GitHub evidence: every check run or commit status on the head commit whose name matches a glob
of ``ci.conformance`` (default ``conformance*``) and that was created by the app
``ci.conformance_app`` (default ``github-actions``) concluded ``success`` (``neutral``/``skipped``
prove nothing; a check run of another app or a commit status of that name proves nothing either:
anyone who can write statuses or install an app could name one "conformance"); one finding per other conclusion, with its link; ``pending`` while any is queued
or running; ``fail`` when none ran. The conformance suite runs once per repository: every
service reads the same checks. Without GitHub evidence (plain ``check``) → ``unverified``;
check runs GitHub did not return → ``fail`` (closed).
"""

from __future__ import annotations

from gate.checks.promotion._github import evidence, judge_named, no_github
from gate.context import Ctx
from gate.model import Result


def check(ctx: Ctx) -> Result:
    missing = no_github(ctx.run, "the conformance checks of the head commit")
    if missing is not None:
        return missing
    ev = evidence(ctx.run)
    assert ev is not None
    patterns = list(ctx.config.ci.conformance)
    app = ctx.config.ci.conformance_app
    return judge_named(ctx.run, ev, patterns, "conformance", "conformance", strict=True, app=app)
