"""idempotency.mutation-key: Mutation endpoints accept Idempotency-Key."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
