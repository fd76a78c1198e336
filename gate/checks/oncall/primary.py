"""`on_call.primary` in service.yaml names the primary on-call: a GitHub login (a leading `@` is allowed), not a placeholder such as `TBD`, `none`, `n/a`, `someone` or `unassigned` (a placeholder assigns nobody).

## Evidence

repo: service.yaml.

## How to fix

Set `on_call.primary: <login>`. A missing key is reported at the `on_call` line (or the top of the file).
"""

from __future__ import annotations

from gate.checks.oncall._person import problem
from gate.context import Ctx
from gate.model import Result, failed, passed


def check(ctx: Ctx) -> Result:
    primary = ctx.spec("on_call", "primary")
    if not isinstance(primary, str) or not primary.strip():
        return failed(ctx.spec_finding("no primary on-call: set `on_call.primary` in service.yaml to the "
                                       "GitHub login of the primary on-call", "on_call", "primary"))
    why = problem(primary)
    if why is not None:
        return failed(ctx.spec_finding(f"on_call.primary {why}: set it to the GitHub login of the primary "
                                       "on-call", "on_call", "primary"))
    return passed(f"primary on-call: {primary.strip()}")
