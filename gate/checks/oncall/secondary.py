"""`on_call.secondary` names a second person: set, and not the primary (compared case-insensitively). A secondary equal to the primary fails this item only.

## Evidence

repo: service.yaml.

## How to fix

Set `on_call.secondary: <another login>`; reported at the `secondary` line (or `on_call` when missing).
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Result, failed, passed


def check(ctx: Ctx) -> Result:
    secondary = ctx.spec("on_call", "secondary")
    if not isinstance(secondary, str) or not secondary.strip():
        return failed(ctx.spec_finding("no secondary on-call: set `on_call.secondary` in service.yaml to the "
                                       "GitHub login of a second person", "on_call", "secondary"))
    primary = ctx.spec("on_call", "primary")
    if isinstance(primary, str) and primary.strip().lower() == secondary.strip().lower():
        return failed(ctx.spec_finding(f"secondary on-call {secondary.strip()} is also the primary: name a "
                                       "different person as secondary", "on_call", "secondary"))
    return passed(f"secondary on-call: {secondary.strip()}")
