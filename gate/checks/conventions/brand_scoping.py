"""conventions.brand-scoping: Convention checks: brand scoping."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
