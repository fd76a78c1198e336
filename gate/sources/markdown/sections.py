"""Finding the sections a convention names in a Markdown document (README.md, RUNBOOK.md).

Sections are headings of any level, matched case-insensitively by containment ("Recent
incidents" matches "## Recent incidents (last 90 days)"). The document's title (its first
heading, when it is the only level-1 heading) is never taken for a section, nor is a heading that
does not show on the rendered page (inside a hidden element: :attr:`MarkdownDoc.hidden_headings`;
:func:`hidden_section` finds it to say so). When several
headings match, an exact match is preferred, then the first non-empty one. A section counts only
by what it renders to (:func:`shows`).
"""

from __future__ import annotations

import re

from gate.sources.markdown.parse import (
    MarkdownDoc,
    Section,
    visible_body,
    visible_fences,
    visible_list_items,
)


def _is_title(doc: MarkdownDoc, s: Section) -> bool:
    first = doc.headings[0] if doc.headings else None
    if first is None or s.heading != first or first.level != 1 or len(doc.headings) == 1:
        return False
    return sum(1 for h in doc.headings if h.level == 1) == 1


def section(doc: MarkdownDoc, *names: str) -> Section | None:
    """The section named by any of ``names`` (see the module doc), or None."""
    found = [s for s in doc.find_sections(*names) if not _is_title(doc, s)]
    if not found:
        return None
    wanted = {n.lower() for n in names}
    exact = [s for s in found if s.heading.text.strip().lower() in wanted]
    pool = exact or found
    return next((s for s in pool if shows(s)), pool[0])


def hidden_section(doc: MarkdownDoc, *names: str) -> Section | None:
    """The first section named by any of ``names`` whose heading does not show on the rendered
    page (it is inside a hidden element), or None."""
    found = [s for s in doc.find_sections(*names, hidden=True) if not _is_title(doc, s)]
    return found[0] if found else None


def hidden_message(s: Section) -> str:
    """Why a section whose heading does not show is not taken for the section."""
    return (f"its heading '{s.heading.text}' (line {s.heading.line}) does not show on the rendered page "
            "(inside an element that is not shown, such as <div hidden> or display: none): move it out")


def shows(s: Section) -> str:
    """The section's text as a reader sees it rendered, beyond the titles of its sub-sections
    (empty: the section says nothing; HTML comments, hidden elements, link definitions,
    zero-width characters and headings are not text)."""
    return visible_body(s.text) if s.text else ""


#: a fence opening a line, also inside block quotes and list items (``> ```sh``, ``- ```sh``)
_FENCE = re.compile(r"^(?:[ \t]*(?:>|[-+*]|\d{1,9}[.)])(?=[ \t]|```|~~~))*[ \t]*(```|~~~)", re.MULTILINE)


def fenced_blocks(s: Section) -> int:
    """Fenced code blocks (```` ``` ```` or ``~~~``) in a section that hold something to read;
    indented blocks do not count."""
    if not (s.fences and _FENCE.search(s.text)):
        return 0
    return visible_fences(s.text)


def escalation_levels(s: Section) -> int:
    """How many escalation levels a section lists (its top-level list items that show text)."""
    if not s.list_items:
        return 0
    return visible_list_items(s.text)
