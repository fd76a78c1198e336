"""data.grants: Postgres role grants verified: append-only audit, no UPDATE/DELETE on ledger."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
