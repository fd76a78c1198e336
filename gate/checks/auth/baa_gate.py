"""auth.baa-gate: BAA gate enforced for any PHI-returning scope."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
