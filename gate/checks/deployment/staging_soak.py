"""deployment.staging-soak: Soaked in staging for ≥ 24 hours with no alarms."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
