"""Code↔spec route parity for ``artifacts.openapi`` ("every route in code is in the spec and
vice versa").

This is the hook where the TypeScript layer plugs in: it will compare the service's route table
(Hono routes read with tree-sitter) with the operations of its OpenAPI document. Until it does,
the parity half contributes no finding, and ``artifacts.openapi`` judges the document alone
(validity, descriptions, examples).
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding
from gate.sources.openapi import Operation


def route_parity_findings(ctx: Ctx, ops: list[Operation]) -> list[Finding]:
    """Findings for routes in code missing from ``ops`` and operations with no route in code.

    ``ops`` are the operations of the service's OpenAPI document
    (:func:`gate.sources.openapi.operations`). The TypeScript layer fills this in; each finding
    should point at the route call's first line (route missing from the spec) or at the
    operation's line in openapi.yaml (operation with no route).
    """
    return []
