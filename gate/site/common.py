"""What the catalog outputs share: where a service's badge lives, which items keep it from
being ready, its ``promotion.prod-monitor`` result."""

from __future__ import annotations

from urllib.parse import quote

from gate.catalog import PROD_MONITOR
from gate.model import NOT_READY, ItemResult, ServiceReport, Status

#: the badges folder inside the catalog output folder (stable: docs pages embed it)
BADGES_DIR = "badges"
LABEL = "prod-ready"
MARK_READY = "✓"
MARK_NOT_READY = "✗"
MARK_UNPROVEN = "?"

#: a service's catalog verdict: proven ready (✓), something fails or waits for a person (✗), or
#: nothing fails but this run could not prove everything (?: evidence it could not read)
V_READY = "ready"
V_NOT_READY = "not-ready"
V_UNPROVEN = "not-proven"
_MARK = {V_READY: MARK_READY, V_NOT_READY: MARK_NOT_READY, V_UNPROVEN: MARK_UNPROVEN}
_WORDS = {V_READY: "ready", V_NOT_READY: "not ready", V_UNPROVEN: "not proven here"}


def badge_file(name: str, ext: str = "svg") -> str:
    """The badge's path relative to the output folder, as a file name: ``badges/<name>.svg``.

    A service name is its folder name, so it is always a valid file name component.
    """
    return f"{BADGES_DIR}/{name}.{ext}"


def badge_url(name: str, ext: str = "svg") -> str:
    """The badge's relative URL (percent-encoded: any folder name stays one relative path)."""
    return f"{BADGES_DIR}/{quote(name, safe='')}.{ext}"


def verdict(s: ServiceReport) -> str:
    """:data:`V_READY` when proven (``ready``), :data:`V_NOT_READY` when an item is ``fail`` or
    ``manual``, else :data:`V_UNPROVEN` (only ``unverified``/``pending`` items keep it from ✓)."""
    if s.ready:
        return V_READY
    if any(i.status in (Status.FAIL, Status.MANUAL) for i in s.items if i.id != PROD_MONITOR):
        return V_NOT_READY
    return V_UNPROVEN


def state_of(ready: bool | str) -> str:
    if isinstance(ready, bool):
        return V_READY if ready else V_NOT_READY
    return ready


def mark(ready: bool | str) -> str:
    return _MARK[state_of(ready)]


def readiness_words(ready: bool | str) -> str:
    return _WORDS[state_of(ready)]


def badge_text(ready: bool | str) -> str:
    """The badge's accessible text: the mark and its meaning in words (no colour needed)."""
    return f"{LABEL}: {mark(ready)} {readiness_words(ready)}"


#: what kind of evidence an open item lacks (recognised in its reason) → how to supply it
_NEEDS: tuple[tuple[str, str], ...] = (
    ("pull request", "a pull request: `prodgate pr` judges these on the PR"),
    ("github", "GitHub evidence (check runs, deployments): run the catalog in GitHub Actions with a token, "
               "GITHUB_TOKEN; see {docs}/github-action.md"),
    ("live", "a live provider: configure `providers` in .github/prod-readiness.yml; see {docs}/providers.md"),
    ("provider", "a live provider: configure `providers` in .github/prod-readiness.yml; see {docs}/providers.md"),
)


def missing_evidence(s: ServiceReport, docs_url: str = "") -> list[tuple[str, list[str]]]:
    """The ``unverified`` and ``pending`` items (``promotion.prod-monitor`` aside), grouped by
    what would prove them: (how to supply it, item ids)."""
    from gate.config import DOCS_URL

    docs = (docs_url or DOCS_URL).rstrip("/")
    groups: dict[str, list[str]] = {}
    for it in s.items:
        if it.id == PROD_MONITOR or it.status not in (Status.UNVERIFIED, Status.PENDING):
            continue
        if it.status == Status.PENDING:
            how = "time: the evidence is not final yet (a soak window, CI still running)"
        else:
            reason = it.reason.lower()
            how = next((h.format(docs=docs) for key, h in _NEEDS if key in reason),
                       "evidence this run could not read: " + it.reason)
        groups.setdefault(how, []).append(it.id)
    return list(groups.items())


def failing(s: ServiceReport) -> list[str]:
    """Ids of the items whose status is ``fail``."""
    return [i.id for i in s.items if i.status is Status.FAIL]


def blocking(s: ServiceReport) -> list[str]:
    """Ids of the items that keep the service from being ready (``promotion.prod-monitor`` aside)."""
    return [i.id for i in s.items if i.id != PROD_MONITOR and i.status in NOT_READY]


def prod_monitor(s: ServiceReport) -> ItemResult | None:
    for it in s.items:
        if it.id == PROD_MONITOR:
            return it
    return None
