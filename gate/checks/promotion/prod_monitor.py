"""promotion.prod-monitor: Manual prod deploy triggered + monitored for 30 minutes."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
