"""deployment.dev-healthz: Deploys to dev succeed, healthz returns 200."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
