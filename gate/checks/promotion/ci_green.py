"""promotion.ci-green: No CI failures across all convention checks, typecheck, tests, build, drift checks."""

from gate.context import ChangeCtx
from gate.model import Result, unverified


def check(ctx: ChangeCtx) -> Result:
    return unverified("not evaluated by this version")
