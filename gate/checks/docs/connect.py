"""docs.connect: Connect docs updated if this service exposes new partner-facing scopes."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
