"""promotion.changeset: Changeset has user-facing summary.

The pull request adds or changes a file under ``paths.changesets`` (default ``.changeset/``,
``*.md`` other than README.md; ``PullRequestEvidence.changed_files``, removed files excepted)
whose front matter names the service's package (the ``name`` of its package.json, by default
``@platform/<name>``) or its SDK package (``@platform/sdk-<name>``) with a bump type (major,
minor, patch, none), and whose summary is user-facing: non-empty, at least
``changeset.min_words`` words (ticket references and URLs not counted), not only a ticket
reference (``ABC-123``, ``#123``, a URL) and not a placeholder (``changeset.placeholders``).
Every changeset of the PR naming the service is judged; a finding points at the summary's
first line (the package's key for a bad bump type).

Without a pull request (plain ``check``) the item is ``unverified``: which changeset belongs to
this change is a property of the PR's diff, and judging every changeset in the folder would pass
a service on an old entry.
"""

from __future__ import annotations

import json

from gate.checks.promotion._github import NO_PR
from gate.context import Ctx
from gate.model import Finding, Result, failed, passed, unverified
from gate.sources import changeset as cs


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
