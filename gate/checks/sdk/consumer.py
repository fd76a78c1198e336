"""sdk.consumer: At least one consumer (canary, internal app) imports + calls successfully."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
