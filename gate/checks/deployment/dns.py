"""deployment.dns: Cloudflare DNS configured for *.platform.loop.health per stage."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
