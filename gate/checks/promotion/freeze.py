"""promotion.freeze: No merge during a freeze window."""

from gate.context import ChangeCtx
from gate.model import Result, unverified


def check(ctx: ChangeCtx) -> Result:
    return unverified("not evaluated by this version")
