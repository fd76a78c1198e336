"""`on_call.primary` in service.yaml names the primary on-call (a GitHub login).

## Evidence

repo: service.yaml.

## How to fix

Set `on_call.primary: <login>`. A missing key is reported at the `on_call` line (or the top of the file).
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Result, failed, passed


def check(ctx: Ctx) -> Result:
    primary = ctx.spec("on_call", "primary")
    if not isinstance(primary, str) or not primary.strip():
        return failed(ctx.spec_finding("no primary on-call: set `on_call.primary` in service.yaml to the "
                                       "GitHub login of the primary on-call", "on_call", "primary"))
    return passed(f"primary on-call: {primary.strip()}")
