"""`docs/services/<name>.md` parses as Markdown; its YAML front matter, when present, is valid and a mapping; every relative link and image resolves to a file of the repository (relative to the page; a link starting with `/` relative to the docs root; an extension-less link may name `x.md` or a folder's `index.md`/`README.md`; a folder without either is no page: broken); raw HTML links (`<a href>`, `<img src>`, outside comments) are links too, and an anchor may also name an HTML `id`/`name`; every anchor (`#x`, `page.md#x`) names a heading of the target Markdown page (GitHub-style anchors). External links (`https:`, `mailto:`) are not checked. A link that climbs out of the repository, or names a symlink that leaves it, is reported, never followed.

## Evidence

repo: the page and the pages it links to.

## How to fix

Each broken link or anchor is reported at the link's own line: fix the path, the anchor, or add the target.

## How to waive

```yaml
targets: [docs/services/<name>.md:12]   # optional: only findings on these paths (with an optional :line)
```
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, failed, verdict
from gate.sources.markdown import links as doclinks
from gate.workspace import SourceProblem


def check(ctx: Ctx) -> Result:
    path = ctx.docs("services", f"{ctx.service.name}.md")
    doc = ctx.ws.markdown(path)
    if doc is None:
        return failed(Finding(f"{path} is missing: add the service's detail page (front matter title, "
                              "description, status, owner, dashboards, then the page)", path))
    findings: list[Finding] = []
    if doc.front_matter_error is not None:
        line = doc.front_matter_error.line or 1
        findings.append(Finding(f"front matter is not valid YAML ({doc.front_matter_error.message}): fix it",
                                path, line, line))
    elif doc.front_matter is not None and not isinstance(doc.front_matter, dict):
        findings.append(Finding("front matter is not a mapping of keys: write `key: value` lines between "
                                "the --- lines", path, 1, 1))
    docs_root = ctx.config.path("docs")
    for link in doc.links:
        what = "image" if link.image else "link"
        t = doclinks.target(path, link.href, docs_root)
        if t.kind == "external":
            continue
        if t.kind == "outside":
            findings.append(Finding(f"{what} {link.href!r} points outside the repository: link to a page of the "
                                    "docs site", path, link.line, link.line))
            continue
        if t.kind == "self":
            target_file: str | None = path
        else:
            target_file = doclinks.existing(ctx.ws, t.path)
            if target_file is None:
                findings.append(Finding(f"{what} {link.href!r} is broken: {t.path} does not exist (fix the "
                                        "path or add the file)", path, link.line, link.line))
                continue
            try:
                ctx.ws.read_bytes(target_file)  # a symlink out of the repository is reported, never read
            except SourceProblem as exc:
                findings.append(Finding(f"{what} {link.href!r} does not resolve to a page of the repository: "
                                        f"{exc.finding.message}", path, link.line, link.line))
                continue
            if ctx.ws.is_dir(target_file):
                where = target_file or "the repository root"
                findings.append(Finding(f"{what} {link.href!r} is broken: {where} is a folder without index.md or "
                                        "README.md, so the docs site has no page there (link to a page, or add "
                                        "the folder's index.md)", path, link.line, link.line))
                continue
        if t.fragment and target_file is not None and target_file.endswith(".md"):
            tdoc = doc if target_file == path else ctx.ws.markdown(target_file)
            anchors = tdoc.anchors_folded if tdoc is not None else frozenset()
            if t.fragment.lower() not in anchors:
                findings.append(Finding(f"{what} {link.href!r}: {target_file} has no heading with anchor "
                                        f"#{t.fragment} (fix the anchor or the heading)", path, link.line, link.line))
    return verdict(findings, f"{path} parses; front matter valid; {len(doc.links)} link(s) resolve")
