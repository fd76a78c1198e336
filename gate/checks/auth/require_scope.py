"""auth.require-scope: Every route enforces a scope via requireScope(...)."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
