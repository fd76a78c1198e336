"""Each page of a service this one consumes (`contracts.consumes`, services of this repository), each page of a service that consumes this one (read from every service's service.yaml), and each concept page of its `domain_primitives` has a relative link to `docs/services/<name>.md`. Nothing related → `skip`.

## Evidence

repo (cross-service).

## How to fix

Add a relative link to the service's page, one a reader sees: a link inside a hidden element (`<div hidden>`, `display: none`, a comment) or with no text to click (`[](../services/payments.md)`) is not one. A page without the link is reported at its title heading; a related page that does not exist, at the service.yaml entry that relates it.

## How to waive

```yaml
targets: [docs/services/identity.md]   # optional: only findings on these paths (with an optional :line)
```
"""

from __future__ import annotations

import functools

from gate.context import Ctx
from gate.model import Finding, Result, skipped, verdict
from gate.sources.markdown import links as doclinks
from gate.sources.markdown.parse import shown_links
from gate.sources.yaml.consumers import consumers_of


def check(ctx: Ctx) -> Result:
    name = ctx.service.name
    mine = ctx.docs("services", f"{name}.md")
    docs_root = ctx.config.path("docs")
    known = {s.name for s in ctx.run.all_services}
    # (page, why it is related, where to report a missing page: (path, line))
    related: list[tuple[str, str, str, int]] = []
    for i, e in enumerate(ctx.spec_list("contracts", "consumes")):
        if isinstance(e, dict) and e.get("service") in known and e["service"] != name:
            related.append((ctx.docs("services", f"{e['service']}.md"), f"{name} consumes {e['service']}",
                            ctx.service.manifest_path, ctx.spec_line("contracts", "consumes", i, "service")))
    for c in consumers_of(ctx.ws, ctx.run.all_services, name):
        related.append((ctx.docs("services", f"{c.consumer}.md"), f"{c.consumer} consumes {name}", c.path, c.line))
    for i, p in enumerate(ctx.spec_list("domain_primitives")):
        if isinstance(p, str):
            related.append((ctx.docs("concepts", f"{p}.md"), f"{name} introduces {p}",
                            ctx.service.manifest_path, ctx.spec_line("domain_primitives", i)))
    if not related:
        return skipped("no related service (consumed or consuming) and no domain primitive: no page must link here")
    findings: list[Finding] = []
    seen: set[str] = set()
    for page, why, at_path, at_line in related:
        if page in seen:
            continue
        seen.add(page)
        doc = ctx.ws.markdown(page)
        if doc is None:
            findings.append(Finding(f"{page} does not exist, so it cannot link back to {mine} ({why}): add the page "
                                    f"with a link to {mine}", at_path, at_line, at_line))
            continue
        shown = ctx.ws.derive("markdown.shown-links", page, functools.partial(shown_links, doc.text))
        if not any(doclinks.links_to(ctx.ws, page, href, docs_root, mine) for href in shown):
            line = doc.title_line
            findings.append(Finding(f"{page} does not link to {mine} ({why}): add a relative link to the "
                                    f"{name} page", page, line, line))
    return verdict(findings, f"{len(seen)} related page(s) link to {mine}")
