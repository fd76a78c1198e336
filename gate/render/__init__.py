"""Renderers: each output is a function of one :class:`gate.model.Report`."""

from __future__ import annotations

from collections.abc import Callable

from gate.model import Report

FORMATS: tuple[str, ...] = ("text", "json", "markdown", "sarif")
EXTENSIONS: dict[str, str] = {"text": "txt", "json": "json", "markdown": "md", "sarif": "sarif"}


def renderer(fmt: str) -> Callable[[Report], str]:
    if fmt == "text":
        from gate.render.text import render as text

        return text
    if fmt == "json":
        from gate.render.json import render as json_

        return json_
    if fmt == "markdown":
        from gate.render.markdown import render as markdown

        return markdown
    if fmt == "sarif":
        from gate.render.sarif import render as sarif

        return sarif
    raise ValueError(f"unknown format {fmt!r}")
