"""The prod-ready badges: a self-contained SVG (``prod-ready | ✓`` green when proven ready,
``prod-ready | ✗`` red when an item fails, ``prod-ready | ?`` grey when nothing fails but this run
could not prove every item) and the shields.io endpoint JSON, one pair per service.

The SVG needs nothing from outside (no fonts, no images, no scripts, no ids that could clash
when inlined). It is accessible: ``role="img"``, a ``<title>`` and an ``aria-label`` saying
the verdict in words, and the mark itself (✓ or ✗) tells the verdict without the colour.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from gate.model import Report, ServiceReport
from gate.site.common import LABEL, V_READY, V_UNPROVEN, badge_file, badge_text, mark, state_of, verdict

HEIGHT = 20
PAD = 6  # horizontal padding each side of a text
LABEL_BG = "#555555"
#: white text on these has a contrast ratio above 4.5:1 (WCAG AA)
READY_BG = "#1a7f37"
NOT_READY_BG = "#cf222e"
UNPROVEN_BG = "#656d76"
FONT = "Verdana,Geneva,'DejaVu Sans',sans-serif"

#: advance widths of Verdana at 11px (the badge font), in px
_WIDTHS: dict[str, float] = {
    " ": 3.9, "-": 4.7, "_": 7.0, ".": 3.9, ":": 4.7,
    "a": 6.7, "b": 6.9, "c": 5.8, "d": 6.9, "e": 6.6, "f": 3.9, "g": 6.9, "h": 7.0, "i": 3.0,
    "j": 3.8, "k": 6.5, "l": 3.0, "m": 10.7, "n": 7.0, "o": 6.7, "p": 6.9, "q": 6.9, "r": 4.7,
    "s": 5.7, "t": 4.3, "u": 7.0, "v": 6.5, "w": 8.9, "x": 6.5, "y": 6.5, "z": 5.8,
    "✓": 9.0, "✗": 9.0, "?": 6.0,
}
_DIGIT = 7.0
_UPPER = 7.6
_OTHER = 8.0
_WIDE = 11.0


def text_width(text: str) -> float:
    """The width of ``text`` in the badge font (an estimate that errs wide for unknown glyphs)."""
    total = 0.0
    for ch in text:
        if ch in _WIDTHS:
            total += _WIDTHS[ch]
        elif ch.isdigit():
            total += _DIGIT
        elif ch.isupper():
            total += _UPPER
        elif ord(ch) >= 0x1100:
            total += _WIDE
        else:
            total += _OTHER
    return total


def _colour(ready: bool | str) -> str:
    state = state_of(ready)
    return READY_BG if state == V_READY else UNPROVEN_BG if state == V_UNPROVEN else NOT_READY_BG


def svg(ready: bool | str) -> str:
    """The badge SVG for a service's verdict (``True``/``False`` or a :func:`verdict`)."""
    label, message = LABEL, mark(ready)
    lw = round(text_width(label) + 2 * PAD)
    mw = round(text_width(message) + 2 * PAD)
    width = lw + mw
    colour = _colour(ready)
    words = badge_text(ready)
    lt = round(text_width(label))
    mt = round(text_width(message))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-label={quoteattr(words)}>'
        f"<title>{escape(words)}</title>"
        f'<g shape-rendering="crispEdges">'
        f'<rect width="{lw}" height="{HEIGHT}" fill="{LABEL_BG}"/>'
        f'<rect x="{lw}" width="{mw}" height="{HEIGHT}" fill="{colour}"/>'
        f"</g>"
        f'<g fill="#ffffff" text-anchor="middle" font-family="{FONT}" font-size="11" aria-hidden="true">'
        f'<text x="{lw / 2:g}" y="14" textLength="{lt}" lengthAdjust="spacingAndGlyphs">{escape(label)}</text>'
        f'<text x="{lw + mw / 2:g}" y="14" textLength="{mt}" lengthAdjust="spacingAndGlyphs" '
        f'font-weight="bold">{escape(message)}</text>'
        f"</g></svg>\n"
    )


def endpoint(ready: bool | str) -> str:
    """The shields.io endpoint JSON (https://shields.io/badges/endpoint-badge)."""
    data = {
        "schemaVersion": 1,
        "label": LABEL,
        "message": mark(ready),
        "color": _colour(ready).lstrip("#"),
        "labelColor": LABEL_BG.lstrip("#"),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def service_badges(s: ServiceReport) -> dict[str, str]:
    v = verdict(s)
    return {badge_file(s.name, "svg"): svg(v), badge_file(s.name, "json"): endpoint(v)}


def render(report: Report) -> dict[str, str]:
    """Every badge of the report: path relative to the output folder → content."""
    out: dict[str, str] = {}
    for s in report.services:
        out.update(service_badges(s))
    return out
