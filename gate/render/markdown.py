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

#: a message longer than this is cut (``…``) in the Markdown report, which then says so in a
#: note; the JSON report has it whole
_LIMIT = 1000
_WHOLE = 1 << 62
CUT_NOTE = f"Messages ending in … are longer than {_LIMIT} characters and cut here: the JSON report has them whole."

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


def escape(text: str, limit: int = _LIMIT) -> str:
    """Untrusted text as inert Markdown, one line: `` `x` `` pairs as code spans, the rest with
    HTML entities and Markdown punctuation backslashed, mentions in code spans."""
    t = one_line(text, limit)
    pieces = t.split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: the last one is plain text
        pieces[-2:] = [pieces[-2] + "`" + pieces[-1]]
    return "".join(code(p) if n % 2 and p.strip() else _plain(p if n % 2 == 0 else f"`{p}`")
                   for n, p in enumerate(pieces))


def cell(text: str) -> str:
    """Untrusted text in a table cell: :func:`escape`, and a ``|`` inside a code span escaped too
    (GitHub splits a row at every unescaped ``|``, code spans included: a service named
    ``x`| ✓ ready |`y`` would have shifted its row's cells and shown a verdict it does not have)."""
    return re.sub(r"(?<!\\)\|", r"\\|", escape(text))


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
                f"| {cell(s.name)} | {sh.mark} {sh.words} | {c['fail']} | {c['pending']} | {c['manual']} | {c['unverified']} | {c['waived']} |"
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
    if any(_cut_text(it) for it in _shown(report)) or any(len(one_line(n, _WHOLE)) > _LIMIT for n in report.notes):
        out.append(f"> Note: {escape(CUT_NOTE)}")
        out.append("")
    return "\n".join(out) + "\n"


def _shown(report: Report) -> list[ItemResult]:
    """The items whose findings the Markdown report prints."""
    out = list(selected(report.items))
    for s in report.services:
        items = selected(s.items)
        out += attention(tuple(items)) + [i for i in s.items if i.status == Status.WAIVED]
    return out


def _cut_text(it: ItemResult) -> bool:
    return any(len(one_line(t, _WHOLE)) > _LIMIT for t in (it.title, it.reason, *(f.message for f in it.findings)))


#: the lines of a report that name a finding (``  - ``) or an item (``- ``)
_ITEM, _FINDING = "- ", "  - "
_NOTE = "> Note: "
_DETAILS_OPEN, _DETAILS_CLOSE = "<details><summary>", "</details>"


def cut(markdown: str, limit: int, pointer: str) -> str:
    """The report ``markdown`` in at most ``limit`` UTF-8 bytes: whole when it fits; else its
    longest prefix of whole lines, then the report's notes (the verdict, annotations not shown:
    they end the report and must survive the cut), then ``pointer`` with how many findings and
    items the cut leaves out. A ``<details>`` block the cut opens is closed before the pointer,
    which would otherwise be folded away inside it. Nothing is left out without being counted."""
    if len(markdown.encode("utf-8")) <= limit:
        return markdown
    lines = markdown.rstrip("\n").split("\n")
    start = len(lines)
    while start > 0 and (lines[start - 1] == "" or lines[start - 1].startswith(_NOTE)):
        start -= 1
    body, notes = lines[:start], [ln for ln in lines[start:] if ln]
    tail = "\n\n".join(notes)
    if len(tail.encode("utf-8")) > limit // 4:  # notes are short; a pathological list is cut too
        tail = _prefix(tail, limit // 4) + " …"
    kept: list[str] = []
    used = len(tail.encode("utf-8")) + len(pointer.encode("utf-8")) + 400  # the counts, the closing tags
    for ln in body:
        size = len(ln.encode("utf-8")) + 1
        if used + size > limit:
            break
        kept.append(ln)
        used += size
    if not kept and body:  # a first line longer than the budget: its prefix
        kept = [_prefix(body[0], limit - used)]
    dropped = body[len(kept):]
    findings = sum(1 for ln in dropped if ln.startswith(_FINDING))
    items = sum(1 for ln in dropped if ln.startswith(_ITEM))
    opened = sum(ln.startswith(_DETAILS_OPEN) for ln in kept) - sum(ln == _DETAILS_CLOSE for ln in kept)
    out = kept + [""] + [_DETAILS_CLOSE, ""] * max(opened, 0)
    out.append(f"{pointer} Left out here: {findings} finding line(s) of {items} item(s), "
               f"{len(dropped)} line(s) in all.")
    if tail:
        out += ["", tail]
    return "\n".join(out) + "\n"


def _prefix(text: str, limit: int) -> str:
    return text.encode("utf-8")[: max(limit, 0)].decode("utf-8", "ignore")
