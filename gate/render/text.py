"""The text report: what a person reads first. Colour only on a TTY, ``NO_COLOR`` respected."""

from __future__ import annotations

import os
import sys

from gate import validity
from gate.catalog import SECTIONS as _SECTION_ORDER
from gate.model import ItemResult, Report, ServiceReport, Status, counts
from gate.render.common import ICON, attention, brief, location, one_line, same_as, selected
from gate.verdict import report_headline, service_headline

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


def _item(it: ItemResult, colour: bool, out: list[str], verbose: bool = False, see: str = "") -> None:
    icon = _c(ICON[it.status], _COLOURS[it.status], colour)
    if see:
        out.append(f"    {icon} {it.id} [{it.status}] see {see}")
        return
    if it.status == Status.UNVERIFIED and not it.findings:
        # one line per item: what evidence was missing; the whole reason with --verbose
        out.append(f"    {icon} {it.id} [{it.status}] {one_line(it.reason) if verbose else brief(it.reason or 'no evidence')}")
        return
    out.append(f"    {icon} {it.id} [{it.status}] {one_line(it.title)}")
    for f in it.findings:
        loc = location(f)
        msg = one_line(f.message) if verbose else brief(f.message)
        out.append(f"        {one_line(loc + '  ') if loc else ''}{msg}")
    if it.reason and (not it.findings or it.status == Status.WAIVED) and not any(it.reason in f.message for f in it.findings):
        out.append(f"        {one_line(it.reason) if verbose else brief(it.reason)}")


def _service(s: ServiceReport, colour: bool, out: list[str], mode: str = "check", strict: bool = False,
             verbose: bool = False, after_deploy: bool = False) -> None:
    head = service_headline(s, mode, strict, after_deploy)
    code = "31;1" if head.blocks else "32;1"
    extra = f" · {one_line(s.status, 100)}" if s.status else ""
    adv = f" · advisory: {one_line(s.advisory)}" if s.advisory else ""
    items = selected(s.items)
    out.append(f"{_c(head.mark, code, colour)} {one_line(s.name, 200)}: {_c(head.words, code, colour)}"
               + (f" — {head.detail}" if head.detail else ""))
    out.append(f"  {one_line(s.path, 300)}{extra} · {_counts(counts(items))}{adv}")
    todo = attention(tuple(items))
    see = same_as(todo)
    section = None
    for it in sorted(todo, key=lambda i: _SECTION_ORDER.index(i.section)):
        if it.section != section:
            section = it.section
            out.append(f"  {section}")
        _item(it, colour, out, verbose, see.get(it.id, ""))
    out.append("")


def render(report: Report, colour: bool = False, verbose: bool = False) -> str:
    out: list[str] = []
    for s in report.services:
        _service(s, colour, out, report.mode, report.strict, verbose, report.after_deploy)
    if not report.services:
        out.append("No service judged (a service is a folder under the services root with a service.yaml).")
        out.append("")
    change = [i for i in selected(report.items) if i.status != Status.SKIP or i.findings]
    if change:
        out.append("change-level items")
        for it in change:
            _item(it, colour, out, verbose)
        out.append("")
    for note in report.notes:
        out.append(f"note: {one_line(note)}")
    until = validity.line(report)
    out.append(one_line(until) if verbose else brief(until))
    if not verbose and any(line.endswith(" …") for line in out):
        out.append("note: messages ending in … are cut; --verbose prints them whole")
    head = report_headline(report)
    ready = sum(1 for s in report.services if s.ready)
    n = len(report.services)
    out.append(f"{head} · {ready} of {n} service{'s' if n != 1 else ''} proven ready ({report.mode} mode)")
    return "\n".join(out) + "\n"
