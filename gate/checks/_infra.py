"""What the checks that read ``infra.ts`` are given: the service's evaluated infra
(:func:`gate.sources.ts.infra.model`, one evaluation per service and run)."""

from __future__ import annotations

from gate.context import Ctx
from gate.sources.ts import infra


def infra_model(ctx: Ctx) -> infra.Infra:
    """The service's infra.ts, evaluated per stage (computed once per service)."""
    return infra.model(ctx.ws, ctx.config, ctx.service.dir)
