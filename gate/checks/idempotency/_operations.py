"""The service's OpenAPI operations matched to its routes (``idempotency.mutation-key``): a route
and an operation match when their methods are equal and their templates have the same segments,
parameters in the same places (:func:`gate.sources.ts.routes.paths.normal_template`).
"""

from __future__ import annotations

from gate.context import Ctx
from gate.sources.openapi import document as oa
from gate.sources.ts.routes.paths import normal_template
from gate.sources.ts.routes.table import Route


def spec_operations(ctx: Ctx) -> tuple[str, list[oa.Operation]]:
    """The service's OpenAPI document and its operations."""
    path = oa.spec_path(ctx.ws, ctx.service.dir, ctx.manifest)
    return path, oa.operations(ctx.ws, path)


def operation_index(ops: list[oa.Operation]) -> dict[tuple[str, str], oa.Operation]:
    """Operations by (METHOD, normalised template): ``/a/{id}`` and ``/a/:x`` share a key."""
    out: dict[tuple[str, str], oa.Operation] = {}
    for op in ops:
        out.setdefault((op.method.upper(), normal_template(op.path)), op)
    return out


def operation_for(ops: list[oa.Operation] | dict[tuple[str, str], oa.Operation], route: Route) -> oa.Operation | None:
    index = ops if isinstance(ops, dict) else operation_index(ops)
    return index.get((route.method, normal_template(route.path)))
