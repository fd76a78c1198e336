"""Each event of `contracts.events.publishes` has `docs/events/<event>.md`. The page must be a readable file of the repository: a folder of that name is no page, and a symlink that leaves the repository is reported, never read. No published event → `skip`.

## Evidence

repo.

## How to fix

Generate and commit the event reference page; the finding is at the event's line in service.yaml.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict


def check(ctx: Ctx) -> Result:
    events = ctx.spec_list("contracts", "events", "publishes")
    if not events:
        return skipped("service.yaml publishes no event (contracts.events.publishes): no event page to require")
    findings: list[Finding] = []
    for i, e in enumerate(events):
        page = ctx.docs("events", f"{e}.md")
        if not isinstance(e, str) or ctx.ws.text(page) is None:
            findings.append(ctx.spec_finding(f"published event {e!r} has no reference page: generate and commit "
                                             f"{page}", "contracts", "events", "publishes", i))
    return verdict(findings, f"reference page for each of {len(events)} published event(s)")
