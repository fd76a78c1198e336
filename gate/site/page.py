"""``index.html``: the static catalog page, a pure function of a :class:`Report`.

One file, no server, no network: the CSS and the script are inline and pinned by a Content
Security Policy (by hash), images come only from the catalog folder (the badges). Every string
that comes from the repository (service names, owners, statuses, paths, messages) is
HTML-escaped and only ever placed in element text or in quoted attribute values, never in a
URL scheme position, a script or a style.

Filters (owner, readiness) are plain labelled ``<select>`` controls; the script applies them
and mirrors them in the URL hash (``#owner=team-x&ready=false``), so a filtered view is a
shareable link. Without the script every service is shown and the filter form stays hidden.
"""

from __future__ import annotations

import base64
import hashlib
import html
from datetime import UTC, datetime
from urllib.parse import quote

from gate.catalog import PROD_MONITOR
from gate.model import ItemResult, Report, ServiceReport, Status, counts
from gate.render.common import ICON, attention, location, one_line
from gate.site import expiry
from gate.site.common import badge_text, badge_url, readiness_words

#: findings shown per item; the rest are counted (the full list is in the report)
MAX_FINDINGS = 20

CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --card: #f6f8fa;
  --line: #d1d9e0; --bad: #b3261e; --good: #1a7f37; --focus: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #151b23; --line: #3d444d;
    --bad: #ff7b72; --good: #3fb950; --focus: #4493f8; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.25rem 3rem; color: var(--fg); background: var(--bg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
a { color: var(--focus); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -100vw; }
.skip:focus { position: static; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
.summary { color: var(--muted); margin: 0 0 1rem; }
.notes { color: var(--muted); font-size: .9rem; margin: -.5rem 0 1rem; padding-left: 1.2rem; }
form { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: end; padding: .75rem 1rem;
  border: 1px solid var(--line); border-radius: 6px; background: var(--card); margin-bottom: 1rem; }
form[hidden] { display: none; }
.field { display: flex; flex-direction: column; gap: .2rem; }
label { font-weight: 600; }
select, button { font: inherit; padding: .3rem .5rem; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg); color: var(--fg); min-width: 12rem; }
select { max-width: min(24rem, 100%); }
button { min-width: 0; cursor: pointer; }
output { color: var(--muted); margin-left: auto; }
.svc { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin: 0 0 1rem;
  break-inside: avoid; }
.svc[hidden] { display: none; }
.head { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
.svc h2 { font-size: 1.15rem; margin: 0; overflow-wrap: anywhere; }
.head img { display: block; }
.verdict { font-size: .9rem; font-weight: 600; }
.ready .verdict { color: var(--good); }
.not-ready .verdict { color: var(--bad); }
dl { display: flex; flex-wrap: wrap; gap: .1rem 1.5rem; margin: .5rem 0; }
dl div { display: flex; gap: .4rem; }
dt { color: var(--muted); white-space: nowrap; }
dd { margin: 0; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; margin-top: .5rem; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-top: 1px solid var(--line);
  overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 600; }
th .title { color: var(--fg); font-weight: normal; }
tbody th { width: 30%; }
td.status { width: 8rem; }
td ul { margin: 0; padding-left: 1.1rem; }
code { font: .88em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
.status { white-space: nowrap; font-weight: 600; }
.st-fail { color: var(--bad); }
.none { color: var(--muted); }
.empty { padding: 1rem; border: 1px dashed var(--line); border-radius: 6px; }
@media print {
  :root { --fg: #000; --muted: #333; --bg: #fff; --card: #fff; --line: #999; --bad: #000; --good: #000; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  form, .skip { display: none !important; }
  .svc { border-color: #999; page-break-inside: avoid; }
  tr { page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
""".strip()

SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var owner = document.getElementById("f-owner");
  var ready = document.getElementById("f-ready");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("empty");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".svc"));
  function apply() {
    var o = owner.value, r = ready.value, n = 0;
    cards.forEach(function (el) {
      var ok = (o === "" || "o:" + el.getAttribute("data-owner") === o) &&
               (r === "" || el.getAttribute("data-ready") === r);
      el.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = "Showing " + n + " of " + cards.length + (cards.length === 1 ? " service" : " services");
    empty.hidden = n !== 0;
  }
  function fromHash() {
    var raw = location.hash.replace(/^#/, "");
    var p = new URLSearchParams(raw);
    if (raw !== "" && !p.has("owner") && !p.has("ready")) {
      apply();  // an in-page anchor (#services, #svc-NAME): the filters stay as they are
      return;
    }
    var o = p.get("owner"), r = p.get("ready");
    owner.value = o === null ? "" : "o:" + o;
    if (owner.selectedIndex < 0) { owner.value = ""; }
    ready.value = (r === "true" || r === "false") ? r : "";
    apply();
  }
  function toHash() {
    var p = new URLSearchParams();
    if (owner.value !== "") { p.set("owner", owner.value.slice(2)); }
    if (ready.value !== "") { p.set("ready", ready.value); }
    var h = p.toString();
    try {
      history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
    } catch (e) {
      location.hash = h;
    }
    apply();
  }
  owner.addEventListener("change", toHash);
  ready.addEventListener("change", toHash);
  document.getElementById("f-reset").addEventListener("click", function () {
    owner.value = "";
    ready.value = "";
    toHash();
    owner.focus();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  window.addEventListener("hashchange", fromHash);
  form.hidden = false;
  fromHash();
})();
""".strip()


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CSP = (
    "default-src 'none'; img-src 'self'; "
    f"style-src {_csp_hash(CSS)}; script-src {_csp_hash(SCRIPT)}; "
    "base-uri 'none'; form-action 'none'"
)


def esc(text: str, limit: int = 1000) -> str:
    """Untrusted text for element content or a double-quoted attribute value."""
    return html.escape(one_line(text, limit), quote=True)


#: the report icons, with glyphs that common fonts have (no emoji font needed)
_ICON: dict[Status, str] = {**ICON, Status.MANUAL: "⚑"}


def _status_cell(it: ItemResult) -> str:
    return (
        f'<td class="status st-{it.status.value}"><span aria-hidden="true">{esc(_ICON[it.status])} </span>'
        f"{esc(it.status.value)}</td>"
    )


def _item_row(it: ItemResult) -> str:
    cells = [
        f'<th scope="row"><code>{esc(it.id)}</code><br><span class="title">{esc(it.title)}</span></th>',
        _status_cell(it),
    ]
    lines: list[str] = []
    for f in it.findings[:MAX_FINDINGS]:
        loc = location(f)
        where = f"<code>{esc(loc)}</code> — " if loc else ""
        lines.append(f"<li>{where}{esc(f.message)}</li>")
    more = len(it.findings) - MAX_FINDINGS
    if more > 0:
        lines.append(f"<li>… and {more} more (run <code>prodgate check</code> on the service for all)</li>")
    if not it.findings and it.reason:
        lines.append(f"<li>{esc(it.reason)}</li>")
    body = f"<ul>{''.join(lines)}</ul>" if lines else '<span class="none">no details</span>'
    cells.append(f"<td>{body}</td>")
    return f"<tr>{''.join(cells)}</tr>"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _counts(c: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in c.items() if n) or "no items"


def service_card(s: ServiceReport, now: datetime | None = None) -> str:
    ready = s.ready
    cls = "ready" if ready else "not-ready"
    words = readiness_words(ready)
    pm = next((i for i in s.items if i.id == PROD_MONITOR), None)
    anchor = html.escape("svc-" + quote(s.name, safe=""), quote=True)
    meta = [
        ("Owner", esc(s.owner) if s.owner else '<span class="none">none</span>'),
        ("Status", esc(s.status) if s.status else '<span class="none">none</span>'),
        ("Tier", esc(str(s.tier)) if s.tier is not None else '<span class="none">none</span>'),
        ("Path", f"<code>{esc(s.path)}</code>"),
        ("Items", esc(_counts(counts(s.items)))),
    ]
    if pm is not None:
        pm_text = esc(pm.status.value) + (f" — {esc(pm.reason, 300)}" if pm.reason else "")
        meta.append(("Prod monitor", f'<span class="pm pm-{pm.status.value}">{pm_text}</span>'))
    dl = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in meta)
    todo = [i for i in attention(s.items) if i.id != PROD_MONITOR]
    if todo:
        rows = "".join(_item_row(i) for i in todo)
        detail = (
            f'<table><caption>Items to act on ({len(todo)})</caption>'
            f'<thead><tr><th scope="col">Item</th><th scope="col">Status</th>'
            f'<th scope="col">Where and why</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    else:
        detail = "<p>Every item passes, is waived or does not apply.</p>"
    alt = badge_text(ready)
    return (
        f'<section class="svc {cls}" id="{anchor}" data-owner="{esc(s.owner)}" '
        f'data-ready="{"true" if ready else "false"}" aria-labelledby="{anchor}-h">'
        f'<div class="head"><h2 id="{anchor}-h" class="name">{esc(s.name)}</h2>'
        f'<img class="badge" src="{html.escape(badge_url(s.name), quote=True)}" alt="{esc(alt)}" height="20">'
        f'<span class="verdict" aria-hidden="true">{esc(words)}</span></div>'
        f"<dl>{dl}</dl>{detail}{expiry.table_html(expiry.entries(s, now)) if now else ''}</section>"
    )


def render(report: Report) -> str:
    services = report.services
    n_ready = sum(1 for s in services if s.ready)
    # the owner as the filter knows it: one line, the same text in data-owner and the option
    owners = sorted({one_line(s.owner) for s in services}, key=lambda o: (o == "", o.lower(), o))
    owner_opts = "".join(
        f'<option value="o:{esc(o)}">{esc(o) if o else "(no owner)"}</option>' for o in owners
    )
    when = report.generated_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cards = "".join(service_card(s, report.generated_at) for s in services)
    notes = "".join(f"<li>{esc(n)}</li>" for n in report.notes)
    notes_html = f'<ul class="notes" aria-label="Notes about this run">{notes}</ul>' if notes else ""
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP, quote=True)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        "<title>Production readiness catalog</title>"
        f"<style>{CSS}</style></head>\n<body>"
        '<a class="skip" href="#services">Skip to the services</a>'
        "<header><h1>Production readiness catalog</h1>"
        f'<p class="summary">{_plural(len(services), "service")}, {n_ready} ready for prod, '
        f"{len(services) - n_ready} not ready · generated {esc(when)} by prodgate</p>{notes_html}</header>\n"
        '<form id="filters" role="search" aria-label="Filter services" hidden>'
        '<div class="field"><label for="f-owner">Owner</label>'
        f'<select id="f-owner" name="owner"><option value="">All owners</option>{owner_opts}</select></div>'
        '<div class="field"><label for="f-ready">Readiness</label>'
        '<select id="f-ready" name="ready"><option value="">All services</option>'
        '<option value="true">✓ ready</option><option value="false">✗ not ready</option></select></div>'
        '<button type="button" id="f-reset">Show all</button>'
        f'<output id="shown" for="f-owner f-ready" aria-live="polite">Showing {len(services)} of '
        f"{_plural(len(services), 'service')}</output></form>\n"
        f'<main id="services">{cards}'
        '<p id="empty" class="empty" hidden>No service matches these filters.</p>'
        "</main>\n"
        f"<script>{SCRIPT}</script>\n"
        "</body></html>\n"
    )
