"""data.expand-contract: Migrations follow expand-only or expand–contract pattern."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
