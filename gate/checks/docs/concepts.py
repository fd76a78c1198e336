"""docs.concepts: Concept pages exist for any new domain primitive this service introduces."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
