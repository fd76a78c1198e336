"""Helpers shared by the renderers."""

from __future__ import annotations

import re

from gate.model import Finding, ItemResult, Status

DOCS_BASE = "docs/checks"

ICON: dict[Status, str] = {
    Status.PASS: "✓",
    Status.FAIL: "✗",
    Status.WARN: "!",
    Status.PENDING: "…",
    Status.UNVERIFIED: "?",
    Status.MANUAL: "✋",
    Status.WAIVED: "~",
    Status.SKIP: "-",
}


def docs_link(item_id: str) -> str:
    """The docs page of an item (relative to the prodgate repository)."""
    return f"{DOCS_BASE}/{item_id}.md"


def location(f: Finding) -> str:
    if f.path is None:
        return ""
    if f.line is None:
        return f.path
    return f"{f.path}:{f.line}"


def attention(items: tuple[ItemResult, ...]) -> list[ItemResult]:
    """Items a reader must act on, worst first within catalog order kept per status."""
    order = [Status.FAIL, Status.PENDING, Status.MANUAL, Status.UNVERIFIED, Status.WARN]
    return [i for s in order for i in items if i.status == s]


#: terminal escape sequences: CSI (``ESC [ … final``), OSC (``ESC ] … BEL`` or ``ESC \\``), and
#: two-character escapes; the 8-bit C1 forms (U+009B CSI, U+009D OSC) too
_ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_]"
)


def one_line(text: str, limit: int = 1000) -> str:
    """Untrusted text made safe for a single line: terminal escape sequences removed, other
    control characters (newlines included) turned into spaces, length capped."""
    out = "".join(ch if ch.isprintable() else " " for ch in _ANSI.sub("", text))
    return out if len(out) <= limit else out[: limit - 1] + "…"
