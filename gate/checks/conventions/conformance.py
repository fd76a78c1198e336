"""conventions.conformance: Conformance tests pass (audit, brand scoping, scope enforcement)."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
