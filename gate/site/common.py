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


def badge_file(name: str, ext: str = "svg") -> str:
    """The badge's path relative to the output folder, as a file name: ``badges/<name>.svg``.

    A service name is its folder name, so it is always a valid file name component.
    """
    return f"{BADGES_DIR}/{name}.{ext}"


def badge_url(name: str, ext: str = "svg") -> str:
    """The badge's relative URL (percent-encoded: any folder name stays one relative path)."""
    return f"{BADGES_DIR}/{quote(name, safe='')}.{ext}"


def mark(ready: bool) -> str:
    return MARK_READY if ready else MARK_NOT_READY


def readiness_words(ready: bool) -> str:
    return "ready" if ready else "not ready"


def badge_text(ready: bool) -> str:
    """The badge's accessible text: the mark and its meaning in words (no colour needed)."""
    return f"{LABEL}: {mark(ready)} {readiness_words(ready)}"


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
