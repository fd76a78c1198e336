"""The text report: what a person reads first. Colour only on a TTY, ``NO_COLOR`` respected."""

from __future__ import annotations

import os
import sys

from gate import validity
from gate.catalog import SECTIONS as _SECTION_ORDER
from gate.model import ItemResult, Report, ServiceReport, Status, counts
from gate.render.common import ICON, attention, location, one_line

_COLOURS = {
    Status.PASS: "32",
    Status.FAIL: "31",
    Status.WARN: "33",
    Status.PENDING: "36",
    Status.UNVERIFIED: "35",
    Status.MANUAL: "33",
    Status.WAIVED: "34",
    Status.SKIP: "2",
}


def use_colour(stream: object = None) -> bool:
    stream = stream if stream is not None else sys.stdout
    if os.environ.get("NO_COLOR", "") != "":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _c(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def _counts(c: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in c.items() if n)


def _item(it: ItemResult, colour: bool, out: list[str]) -> None:
    icon = _c(ICON[it.status], _COLOURS[it.status], colour)
    out.append(f"    {icon} {it.id} [{it.status}] {one_line(it.title)}")
    for f in it.findings:
        loc = location(f)
        out.append(f"        {one_line(loc + '  ') if loc else ''}{one_line(f.message)}")
    if it.reason and (not it.findings or it.status == Status.WAIVED) and not any(it.reason in f.message for f in it.findings):
        out.append(f"        ({one_line(it.reason)})")


def _service(s: ServiceReport, colour: bool, out: list[str]) -> None:
    mark = _c("✓ ready", "32;1", colour) if s.ready else _c("✗ not ready", "31;1", colour)
    extra = f" [{one_line(s.status, 100)}]" if s.status else ""
    adv = f" — advisory: {one_line(s.advisory)}" if s.advisory else ""
    c = counts(s.items)
    out.append(f"{mark}  {one_line(s.name, 200)} ({one_line(s.path, 300)}){extra}: {_counts(c)}{adv}")
    if not s.ready and not (c["fail"] or c["pending"] or c["manual"]):
        out.append(f"  nothing fails here; {c['unverified']} item(s) need evidence this run could not read "
                   "(GitHub, live providers): `prodgate promote` judges them")
    todo = [i for i in attention(s.items) if not (i.status == Status.UNVERIFIED and not i.findings)]
    section = None
    for it in sorted(todo, key=lambda i: _SECTION_ORDER.index(i.section)):
        if it.section != section:
            section = it.section
            out.append(f"  {section}")
        _item(it, colour, out)
    # unverified items without findings: one line per reason, so failures stay in view
    by_reason: dict[str, list[str]] = {}
    for it in s.items:
        if it.status == Status.UNVERIFIED and not it.findings:
            by_reason.setdefault(it.reason or "no evidence", []).append(it.id)
    for reason, ids in by_reason.items():
        icon = _c(ICON[Status.UNVERIFIED], _COLOURS[Status.UNVERIFIED], colour)
        out.append(f"  {icon} unverified ({len(ids)}): {', '.join(ids)} — {one_line(reason)}")
    out.append("")


def render(report: Report, colour: bool = False) -> str:
    out: list[str] = []
    for s in report.services:
        _service(s, colour, out)
    if not report.services:
        out.append("No service found (a service is a folder under the services root with a service.yaml).")
        out.append("")
    change = list(report.items)
    if change:
        out.append("change-level items")
        for it in change:
            _item(it, colour, out)
        out.append("")
    for note in report.notes:
        out.append(f"note: {one_line(note)}")
    ready = sum(1 for s in report.services if s.ready)
    verdict = "READY" if report.ready else "NOT READY"
    out.append(one_line(validity.line(report)))
    out.append(f"{verdict}: {ready} of {len(report.services)} services ready ({report.mode} mode)")
    return "\n".join(out) + "\n"
