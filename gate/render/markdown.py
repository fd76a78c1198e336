"""The Markdown report: the check run's summary and the job summary.

Every piece of text that comes from the repository or the PR is escaped: it cannot add
Markdown structure or raw HTML to the page.
"""

from __future__ import annotations

import re

from gate import validity
from gate.model import ItemResult, Report, ServiceReport, Status, counts
from gate.render.common import ICON, attention, docs_link, location, one_line

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape(text: str, limit: int = 1000) -> str:
    """Untrusted text as inert Markdown: HTML entities, Markdown punctuation backslashed,
    one line."""
    t = one_line(text, limit)
    t = t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    t = _MD_SPECIAL.sub(r"\\\1", t)
    t = t.replace("@", "@\u200b")  # no mentions
    return t


def code(text: str, limit: int = 300) -> str:
    """Untrusted text in an inline code span that it cannot close."""
    t = one_line(text, limit).replace("`", "ˋ")
    return f"`{t}`"


def _counts(c: dict[str, int]) -> str:
    return " · ".join(f"{n} {k}" for k, n in c.items() if n)


def _item(it: ItemResult, out: list[str]) -> None:
    out.append(f"- {ICON[it.status]} **{it.id}** `{it.status}` — {escape(it.title)} ([docs]({docs_link(it.id)}))")
    for f in it.findings:
        loc = location(f)
        where = f"{code(loc)} " if loc else ""
        out.append(f"  - {where}{escape(f.message)}")
    if it.reason and (not it.findings or it.status == Status.WAIVED):
        out.append(f"  - _{escape(it.reason)}_")


def service_section(s: ServiceReport) -> list[str]:
    out: list[str] = []
    verdict = "✓ ready" if s.ready else "✗ not ready"
    out.append(f"### {escape(s.name)} — {verdict}")
    out.append("")
    if s.advisory:
        out.append(f"> Advisory: {escape(s.advisory)}")
        out.append("")
    out.append(f"{code(s.path)} · {_counts(counts(s.items))}")
    out.append("")
    todo = attention(s.items)
    if todo:
        for it in todo:
            _item(it, out)
    else:
        out.append("Every item passes, is waived or does not apply.")
    waived = [i for i in s.items if i.status == Status.WAIVED]
    if waived:
        out.append("")
        out.append("<details><summary>Waived items</summary>")
        out.append("")
        for it in waived:
            _item(it, out)
        out.append("")
        out.append("</details>")
    out.append("")
    return out


def render(report: Report) -> str:
    out: list[str] = []
    title = "✓ Production-ready" if report.ready else "✗ Not production-ready"
    out.append(f"## prodgate: {title}")
    out.append("")
    out.extend((validity.marker(report), f"_{escape(validity.line(report))}_", ""))
    if report.services:
        out.append("| service | ready | fail | pending | manual | unverified | waived |")
        out.append("|---|---|---|---|---|---|---|")
        for s in report.services:
            c = counts(s.items)
            out.append(
                f"| {escape(s.name)} | {'✓' if s.ready else '✗'} | {c['fail']} | {c['pending']} | {c['manual']} | {c['unverified']} | {c['waived']} |"
            )
        out.append("")
    if report.items:
        out.append("### Change-level items")
        out.append("")
        for it in report.items:
            _item(it, out)
        out.append("")
    for s in report.services:
        out.extend(service_section(s))
    for note in report.notes:
        out.append(f"> Note: {escape(note)}")
        out.append("")
    return "\n".join(out) + "\n"
