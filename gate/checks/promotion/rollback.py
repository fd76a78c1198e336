"""promotion.rollback: Rollback procedure tested OR explicitly documented in RUNBOOK.md."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
