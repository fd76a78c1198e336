"""auth.public-paths: Public paths explicitly allow-listed in publicPaths (healthz, well-known only)."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
