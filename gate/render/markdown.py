"""The Markdown report: the check run's summary and the job summary.

Every piece of text that comes from the repository or the PR is escaped: it cannot add
Markdown structure or raw HTML to the page, nor mention anyone. Text between backticks in a
message becomes a code span (one it cannot close); an ``@name`` outside one is put in a code
span too, where GitHub does not notify. No invisible character is added: what a reader copies
is what the repository holds.
"""

from __future__ import annotations

import re

from gate import validity
from gate.model import ItemResult, Report, ServiceReport, Status, counts
from gate.render.common import ICON, attention, docs_link, location, one_line, same_as, selected
from gate.verdict import report_headline, service_headline

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


#: ``@name`` where GitHub would see a mention (not inside a word, as in an e-mail address)
_MENTION = re.compile(r"(?<![\w`])@[\w./-]+")


def _plain(t: str) -> str:
    """Text outside code spans: HTML entities, Markdown punctuation backslashed, mentions as code."""
    parts = []
    last = 0
    for m in _MENTION.finditer(t):
        parts.append(_inert(t[last : m.start()]))
        parts.append(code(m.group(0)))
        last = m.end()
    parts.append(_inert(t[last:]))
    return "".join(parts)


def _inert(t: str) -> str:
    t = t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", t)


def escape(text: str, limit: int = 1000) -> str:
    """Untrusted text as inert Markdown, one line: `` `x` `` pairs as code spans, the rest with
    HTML entities and Markdown punctuation backslashed, mentions in code spans."""
    t = one_line(text, limit)
    pieces = t.split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: the last one is plain text
        pieces[-2:] = [pieces[-2] + "`" + pieces[-1]]
    return "".join(code(p) if n % 2 and p.strip() else _plain(p if n % 2 == 0 else f"`{p}`")
                   for n, p in enumerate(pieces))


def code(text: str, limit: int = 300) -> str:
    """Untrusted text in an inline code span that it cannot close."""
    t = one_line(text, limit).replace("`", "ˋ")
    return f"`{t}`"


def _counts(c: dict[str, int]) -> str:
    return " · ".join(f"{n} {k}" for k, n in c.items() if n)


def _item(it: ItemResult, out: list[str], docs_url: str = "", see: str = "") -> None:
    link = f"[docs]({docs_link(it.id, docs_url)})"
    if see:
        out.append(f"- {ICON[it.status]} **{it.id}** `{it.status}` — see {see} · {link}")
        return
    out.append(f"- {ICON[it.status]} **{it.id}** `{it.status}` — {escape(it.title)} · {link}")
    for f in it.findings:
        loc = location(f)
        where = f"{code(loc)} " if loc else ""
        out.append(f"  - {where}{escape(f.message)}")
    if it.reason and (not it.findings or it.status == Status.WAIVED):
        out.append(f"  - _{escape(it.reason)}_")


def service_section(s: ServiceReport, mode: str = "check", strict: bool = False, docs_url: str = "",
                    after_deploy: bool = False) -> list[str]:
    out: list[str] = []
    head = service_headline(s, mode, strict, after_deploy)
    out.append(f"### {escape(s.name)}: {head.mark} {head.words}")
    out.append("")
    if head.detail:
        out.append(head.detail)
        out.append("")
    if s.advisory:
        out.append(f"> Advisory: {escape(s.advisory)}")
        out.append("")
    items = selected(s.items)
    out.append(f"{code(s.path)} · {_counts(counts(items))}")
    out.append("")
    todo = attention(tuple(items))
    see = same_as(todo)
    if todo:
        for it in todo:
            _item(it, out, docs_url, see.get(it.id, ""))
    else:
        out.append("Every item passes, is waived or does not apply.")
    waived = [i for i in s.items if i.status == Status.WAIVED]
    if waived:
        out.append("")
        out.append("<details><summary>Waived items</summary>")
        out.append("")
        for it in waived:
            _item(it, out, docs_url)
        out.append("")
        out.append("</details>")
    out.append("")
    return out


def render(report: Report) -> str:
    out: list[str] = []
    head = report_headline(report)
    out.append(f"## prodgate: {head.mark} {head.words}")
    out.append("")
    out.extend((validity.marker(report), f"_{escape(validity.line(report))}_", ""))
    if head.detail:
        out.append(head.detail)
        out.append("")
    if report.services:
        out.append("| service | verdict | fail | pending | manual | unverified | waived |")
        out.append("|---|---|---|---|---|---|---|")
        for s in report.services:
            c = counts(selected(s.items))
            sh = service_headline(s, report.mode, report.strict, report.after_deploy)
            out.append(
                f"| {escape(s.name)} | {sh.mark} {sh.words} | {c['fail']} | {c['pending']} | {c['manual']} | {c['unverified']} | {c['waived']} |"
            )
        out.append("")
    change = selected(report.items)
    if change:
        out.append("### Change-level items")
        out.append("")
        for it in change:
            _item(it, out, report.docs_url)
        out.append("")
    for s in report.services:
        out.extend(service_section(s, report.mode, report.strict, report.docs_url, report.after_deploy))
    for note in report.notes:
        out.append(f"> Note: {escape(note)}")
        out.append("")
    return "\n".join(out) + "\n"
