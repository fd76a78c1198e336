"""The pull request adds or changes a changeset: a `*.md` file directly under `paths.changesets` (default `.changeset/`; `README.md` is not a changeset; removed files do not count), in the changesets format:

```md
---
"@platform/payments": minor
"@platform/sdk-payments": minor
---

Partners can now issue partial refunds with `POST /payments/{id}/refunds`.
```

- its front matter names the service's package (the `name` of `services/<name>/package.json`, by default `@platform/<name>`) or its SDK package `@platform/sdk-<name>`, with a bump type `major`, `minor`, `patch` (or `none`);
- its summary (the Markdown after the front matter) is user-facing: non-empty; at least `changeset.min_words` (default 4) words, where ticket references (`ABC-123`, `#123`, `org/repo#123`, `GH-12`), URLs and Markdown markup are not words; not only a ticket reference or link; not a placeholder (every word one of `changeset.placeholders` — default `wip`, `update`, `fix`, `changes`, `todo` — or filler such as "minor", "stuff"). Text counts by what it renders to (`gate/sources/markdown/parse.py` `visible_text`): HTML comments, hidden elements (`hidden`, `aria-hidden`, `display: none`, `<template>`), link reference definitions and characters that show nothing (zero-width, BOM, soft hyphen) do not make it non-empty.

Every changeset of the PR that names the service is judged (each becomes a changelog entry). Findings point at the summary's first line (the closing `---` for an empty one), at the package's key for a wrong bump type, at the front matter for a changeset naming only other packages.

| situation | status |
|---|---|
| a changeset of the PR names the package, every such summary user-facing | `pass` |
| none names it, a summary is not user-facing, a bump type is wrong, the front matter is broken | `fail` |
| the PR's changeset files are absent from the evaluated commit (consumed by `changeset version` before a promotion) | `unverified` |
| no pull request (plain `check`) | `unverified`: "no pull request: cannot tell which changeset belongs to this change" — judging every changeset in the folder would pass a service on an old entry |

## Evidence

repo + PR diff: the PR's changed files (`PullRequestEvidence.changed_files`, all pages, or git when the API caps the list) and the changeset files at the evaluated commit.

## How to fix

Run `pnpm changeset`, pick the service's package (and its SDK if the API changed), and write one or two sentences saying what changes for the service's users — not a ticket number.
"""

from __future__ import annotations

import json

from gate.checks._github import NO_PR
from gate.context import Ctx
from gate.model import Finding, Result, failed, passed, unverified
from gate.sources.markdown import changeset as cs


def packages(ctx: Ctx) -> tuple[str, str]:
    """(the service's package name, its SDK package name)."""
    name = f"@platform/{ctx.service.name}"
    text = ctx.ws.text(ctx.path("package.json"))
    if text is not None:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("name"), str) and data["name"].strip():
            name = data["name"].strip()
    return name, f"@platform/sdk-{ctx.service.name}"


def check(ctx: Ctx) -> Result:
    folder = ctx.config.path("changesets")
    pkg, sdk = packages(ctx)
    wanted = f"{pkg} or {sdk}"
    example = (f"add {folder}/<slug>.md: front matter `\"{pkg}\": minor` (and/or `\"{sdk}\"`), then a sentence "
               "telling users what changed")
    pr = ctx.run.pr
    if pr is None:
        return unverified(f"{NO_PR}: cannot tell which changeset belongs to this change (the PR's diff says which)")
    paths = [p for p in pr.changed_files
             if cs.is_changeset(p, folder) and pr.file_status.get(p, "modified") != "removed"]
    mine: list[cs.Changeset] = []
    others: list[cs.Changeset] = []
    absent: list[str] = []
    broken: list[Finding] = []
    for p in paths:
        c = cs.read(ctx.ws, p)
        if c is None:
            absent.append(p)
            continue
        if c.problem is not None:
            broken.append(Finding(f"changeset {p} {c.problem[0]}", p, c.problem[1], c.problem[1]))
            continue
        (mine if c.names(pkg, sdk) else others).append(c)
    if not mine:
        if broken:
            return failed(*broken, reason=f"no readable changeset of this PR names {wanted}")
        if absent:
            return unverified(f"the PR's changeset(s) {', '.join(absent)} are not in the evaluated commit "
                              "(consumed by `changeset version`?): cannot judge them")
        if others:
            return failed(*(Finding(f"changeset {c.path} names {', '.join(pk.name for pk in c.packages) or 'no package'}"
                                    f", not {wanted}: {example}", c.path, c.front_line, c.front_line)
                            for c in others))
        return failed(Finding(f"pull request #{pr.number} adds no changeset naming {wanted}: {example}"))
    findings: list[Finding] = []
    min_words = ctx.config.changeset.min_words
    holders = list(ctx.config.changeset.placeholders)
    for c in mine:
        for pk in c.packages:
            if pk.name in (pkg, sdk) and (not isinstance(pk.bump, str) or pk.bump not in cs.BUMPS):
                findings.append(Finding(f"changeset {c.path} gives {pk.name} the bump {pk.bump!r}: use major, minor "
                                        "or patch", c.path, pk.line, pk.line))
        why = cs.summary_problem(c.summary, min_words, holders)
        if why is not None:
            findings.append(Finding(f"changeset {c.path} names {wanted} but {why}: write what changes for the "
                                    "service's users (it becomes the changelog entry)",
                                    c.path, c.summary_line, c.summary_line))
    if findings:
        return failed(*findings)
    first = mine[0]
    return passed(f"{first.path} names {', '.join(pk.name for pk in first.packages if pk.name in (pkg, sdk))} with a "
                  f"user-facing summary ({len(cs.words(first.summary))} words)"
                  + (f"; {len(mine) - 1} more changeset(s) too" if len(mine) > 1 else ""))
