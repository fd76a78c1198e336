"""promotion.approved: PR approved by reviewer."""

from gate.context import ChangeCtx
from gate.model import Result, unverified


def check(ctx: ChangeCtx) -> Result:
    return unverified("not evaluated by this version")
