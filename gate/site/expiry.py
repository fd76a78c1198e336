"""Evidence that expires, per service: the waivers in use and the attestations that count, with
the instant each stops counting, soonest first (``catalog.json`` ``expiring``, and a table on the
catalog page). A pure function of the report: the waivers come from the waived items, the
attestations from the boundaries (``changes_at``) of the attestation items that pass."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gate.catalog import ATTESTABLE
from gate.model import Report, ServiceReport, Status
from gate.readiness import waiver_ends
from gate.validity import iso


def entries(s: ServiceReport, now: dt.datetime) -> list[dict[str, Any]]:
    """``{item, kind, ends_at, days_left, detail}`` for each waiver in use and each attestation
    that counts, the soonest to end first."""
    out: list[tuple[dt.datetime, dict[str, Any]]] = []
    for it in s.items:
        ends: dt.datetime | None = None
        if it.status == Status.WAIVED and it.waiver is not None:
            ends = waiver_ends(it.waiver, now.tzinfo or dt.UTC)
            kind = "waiver"
            detail = f"approved by {it.waiver.approved_by}, expires {it.waiver.expires}: {it.waiver.reason}"
        elif it.id in ATTESTABLE and it.status == Status.PASS and it.changes_at is not None:
            ends = it.changes_at.at
            kind = "attestation"
            detail = it.changes_at.why
        if ends is None:
            continue
        days = (ends - now).total_seconds() / 86400
        out.append((ends, {"item": it.id, "kind": kind, "ends_at": iso(ends), "days_left": max(0, int(days)),
                           "detail": detail}))
    out.sort(key=lambda e: (e[0], e[1]["item"]))
    return [e for _, e in out]


def for_report(report: Report, s: ServiceReport) -> list[dict[str, Any]]:
    return entries(s, report.generated_at)


def table_html(rows: list[dict[str, Any]]) -> str:
    """The catalog page's table of the entries (empty when there are none)."""
    import html

    from gate.render.common import one_line

    if not rows:
        return ""

    def esc(text: str) -> str:
        return html.escape(one_line(text, 500), quote=True)

    body = "".join(
        f'<tr><th scope="row"><code>{esc(r["item"])}</code></th><td>{esc(r["kind"])}</td>'
        f'<td><time datetime="{esc(r["ends_at"])}">{esc(r["ends_at"][:10])}</time> '
        f'({esc(_left(r["days_left"]))})</td><td>{esc(r["detail"])}</td></tr>'
        for r in rows
    )
    return (f'<table class="expiring"><caption>Waivers and attestations, soonest to expire first ({len(rows)})'
            '</caption><thead><tr><th scope="col">Item</th><th scope="col">Kind</th><th scope="col">Stops '
            f'counting</th><th scope="col">Details</th></tr></thead><tbody>{body}</tbody></table>')


def _left(days: int) -> str:
    return "less than a day" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
