"""observability.log-fields: Structured logs include: request_id, route, status, duration_ms, client_id, brand_id (PHI-safe)."""

from gate.context import Ctx
from gate.model import Result, unverified


def check(ctx: Ctx) -> Result:
    return unverified("not evaluated by this version")
