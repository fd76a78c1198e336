"""Helpers shared by the renderers."""

from __future__ import annotations

from gate.model import Finding, ItemResult, Status, not_selected
from gate.safeio import ANSI

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


def docs_link(item_id: str, base: str = "") -> str:
    """The docs page of an item: ``<docs_url>/checks/<id>.md`` (absolute: the report is read in
    the judged repository, on GitHub or in a terminal, never beside prodgate's own docs)."""
    from gate.config import DOCS_URL

    return f"{(base or DOCS_URL).rstrip('/')}/checks/{item_id}.md"


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


def selected(items: tuple[ItemResult, ...] | list[ItemResult]) -> list[ItemResult]:
    """The items a run restricted with ``--only`` judged (every item otherwise): the text and
    Markdown reports leave the others out, the JSON report keeps them (``skip``, "not selected")."""
    return [i for i in items if not not_selected(i)]


def same_as(items: list[ItemResult]) -> dict[str, str]:
    """Items whose findings repeat those of an earlier item of the same section (the four
    ``sdk.*`` items of a service without an SDK package): id → the id that reports them."""
    first: dict[tuple[str, tuple[tuple[str, str | None, int | None], ...]], str] = {}
    out: dict[str, str] = {}
    for it in items:
        if not it.findings:
            continue
        key = (it.section, tuple((f.message, f.path, f.line) for f in it.findings))
        if key in first:
            out[it.id] = first[key]
        else:
            first[key] = it.id
    return out


def brief(text: str, limit: int = 140) -> str:
    """A message cut to ``limit`` characters for a one-line report: at the last clause boundary
    (``; ``, `` (``, ``: ``) that keeps the parentheses balanced, else at the limit; the
    full text is what ``--verbose`` shows."""
    t = one_line(text)
    if len(t) <= limit and _depth(t) < 2:
        return t
    cut = -1
    for sep in ("; ", " (", ": ", ", "):
        start = 0
        while True:
            k = t.find(sep, start)
            if k < 0 or k > limit - 2:
                break
            if k >= 20 and _balanced(t[:k]) and t[:k].count("`") % 2 == 0:
                cut = max(cut, k)
            start = k + 1
    head = t[:cut] if cut > 0 else t[: limit - 2].rstrip()
    if _depth(head) >= 2 or not _balanced(head):
        head = "".join(ch for ch in head if ch not in "()")
    if head.count("`") % 2:
        head = head.replace("`", "")
    return head + " …"


def _depth(t: str) -> int:
    d = m = 0
    for ch in t:
        if ch == "(":
            d += 1
            m = max(m, d)
        elif ch == ")":
            d = max(d - 1, 0)
    return m


def _balanced(t: str) -> bool:
    return t.count("(") == t.count(")") and _depth(t) < 2


def one_line(text: str, limit: int = 1000) -> str:
    """Untrusted text made safe for a single line: terminal escape sequences removed, other
    control characters (newlines included) turned into spaces, length capped."""
    out = "".join(ch if ch.isprintable() else " " for ch in ANSI.sub("", text))
    return out if len(out) <= limit else out[: limit - 1] + "…"
