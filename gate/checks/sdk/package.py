"""sdk.package: @platform/sdk-<service> package builds + publishes to GitHub Packages."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
