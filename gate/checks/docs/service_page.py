"""`docs/services/<name>.md` front matter has `title`, `description` (each showing text: a zero-width character or an HTML comment is no title), `status` (equal to service.yaml's), `owner` (equal to service.yaml's; when service.yaml has no `status` or `owner`, equality cannot be proven and the item fails at service.yaml) and `dashboards` (a non-empty list of http(s) URLs).

## Evidence

repo: the page and service.yaml.

## How to fix

Findings are at the front matter key's line (a missing key: the opening `---`). Keep status and owner in step with service.yaml.
"""

from __future__ import annotations

import re
from typing import Any

from gate.context import Ctx
from gate.model import Finding, Result, failed, verdict
from gate.sources.markdown.frontmatter import key_line
from gate.sources.markdown.parse import visible_text

_URL = re.compile(r"^https?://\S+$")


def check(ctx: Ctx) -> Result:
    path = ctx.docs("services", f"{ctx.service.name}.md")
    doc = ctx.ws.markdown(path)
    if doc is None:
        return failed(Finding(f"{path} is missing: add the service page with front matter title, description, "
                              "status, owner and dashboards", path))
    if doc.front_matter_error is not None:
        line = doc.front_matter_error.line or 1
        return failed(Finding(f"front matter is not valid YAML ({doc.front_matter_error.message}): fix it",
                              path, line, line))
    fm: Any = doc.front_matter
    if not isinstance(fm, dict):
        return failed(Finding("the page has no front matter: start it with a --- block holding title, description, "
                              "status, owner and dashboards", path, 1, 1))
    findings: list[Finding] = []

    def add(msg: str, *keys: str) -> None:
        line = key_line(doc, *keys)
        findings.append(Finding(msg, path, line, line))

    for key in ("title", "description"):
        v = fm.get(key)
        if not isinstance(v, str) or not visible_text(v):
            add(f"front matter has no {key}: add `{key}:` to the page's front matter", key)
    for key in ("status", "owner"):
        want = ctx.spec(key)
        v = fm.get(key)
        if not isinstance(want, str) or not want.strip():
            # nothing to be equal to: the page's value cannot be proven right
            findings.append(ctx.spec_finding(f"service.yaml has no {key}, so the service page's {key} cannot be "
                                             f"checked against it: set `{key}` in service.yaml", key))
        elif v is None or (isinstance(v, str) and not v.strip()):
            add(f"front matter has no {key}: add `{key}: {want}` (as in service.yaml)", key)
        elif str(v) != str(want):
            add(f"front matter {key} is {v!r} but service.yaml says {want!r}: make them equal", key)
    dash = fm.get("dashboards")
    if not isinstance(dash, list) or not dash:
        add("front matter has no dashboards: add `dashboards:` with the dashboard URLs (a list)", "dashboards")
    else:
        for i, u in enumerate(dash):
            if not isinstance(u, str) or not _URL.match(u.strip()):
                line = key_line(doc, "dashboards", i)
                findings.append(Finding(f"dashboards entry {u!r} is not a URL: write the dashboard's https:// URL",
                                        path, line, line))
    return verdict(findings, f"{path} front matter has title, description, status, owner (as in service.yaml) "
                             "and dashboards")
