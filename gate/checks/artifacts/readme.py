"""`services/<name>/README.md` exists and has a heading (any level) containing "run locally", "running locally" or "local development" (case-insensitive), followed by at least one fenced code block with something in it before the next heading of the same or higher level. A block inside an HTML comment or a hidden element does not count. A heading that does not show on the rendered page (inside a hidden element opened before it, such as `<div hidden>` … `</div>` around the section) is not a section: the finding is at that heading. Text counts by what it renders to (`gate/sources/markdown/parse.py` `visible_text`): HTML comments, hidden elements (`hidden`, `aria-hidden`, `display: none`, `<template>`), link reference definitions and characters that show nothing (zero-width, BOM, soft hyphen) do not make it non-empty.

## Evidence

repo: README.md parsed as CommonMark (markdown-it-py).

## How to fix

Add a `## Run locally` section with the commands in a fenced block (```` ```sh ````). A missing section is reported at the README's title heading; a section without code at its own heading.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, failed, passed
from gate.sources.markdown.sections import fenced_blocks, hidden_message

NEEDLES = ("run locally", "running locally", "local development")


def check(ctx: Ctx) -> Result:
    path = ctx.path("README.md")
    doc = ctx.ws.markdown(path)
    if doc is None:
        return failed(Finding("README.md is missing: add it at the service root with a '## Run locally' "
                              "section holding the commands in a fenced code block", path))
    found = doc.find_sections(*NEEDLES)
    if not found:
        hidden = doc.find_sections(*NEEDLES, hidden=True)
        if hidden:
            line = hidden[0].heading.line
            return failed(Finding(f"README.md has no run-locally section that shows: {hidden_message(hidden[0])}",
                                  path, line, line))
        line = doc.title_line
        return failed(Finding("README.md has no run-locally instructions: add a '## Run locally' section "
                              "with the commands in a fenced code block", path, line, line))
    for s in found:
        n = fenced_blocks(s)
        if n:
            return passed(f"README.md '{s.heading.text}' (line {s.heading.line}) has {n} code block(s)")
    s = found[0]
    line = s.heading.line
    return failed(Finding(f"README.md section '{s.heading.text}' has no code block: add the commands to run "
                          "the service locally in a fenced code block (```sh ... ```)", path, line, line))
