"""idempotency.event-dedupe: Event handlers dedupe by event ID + handler scope."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
