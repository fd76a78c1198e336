"""`on_call.secondary` names a second person: a GitHub login (a leading `@` is allowed), not a placeholder such as `TBD`, `none`, `n/a` or `someone`, and not the primary (compared case-insensitively, a leading `@` ignored: `@Alice` is `alice`). A secondary equal to the primary fails this item only.

## Evidence

repo: service.yaml.

## How to fix

Set `on_call.secondary: <another login>`; reported at the `secondary` line (or `on_call` when missing).
"""

from __future__ import annotations

from gate.checks.oncall._person import login, problem
from gate.context import Ctx
from gate.model import Result, failed, passed


def check(ctx: Ctx) -> Result:
    secondary = ctx.spec("on_call", "secondary")
    if not isinstance(secondary, str) or not secondary.strip():
        return failed(ctx.spec_finding("no secondary on-call: set `on_call.secondary` in service.yaml to the "
                                       "GitHub login of a second person", "on_call", "secondary"))
    why = problem(secondary)
    if why is not None:
        return failed(ctx.spec_finding(f"on_call.secondary {why}: set it to the GitHub login of a second person",
                                       "on_call", "secondary"))
    primary = ctx.spec("on_call", "primary")
    if isinstance(primary, str) and login(primary) == login(secondary):
        return failed(ctx.spec_finding(f"secondary on-call {secondary.strip()} is also the primary: name a "
                                       "different person as secondary", "on_call", "secondary"))
    return passed(f"secondary on-call: {secondary.strip()}")
