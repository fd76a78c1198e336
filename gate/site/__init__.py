"""The catalog of ``prodgate catalog`` (:mod:`gate.modes.catalog` evaluates): its files and how they
are written.

Into the output folder: ``catalog.json`` (:mod:`gate.site.catalog_json`), ``badges/<name>.svg`` and
``badges/<name>.json`` (:mod:`gate.site.badge`) and ``index.html`` (:mod:`gate.site.page`).
Each is a pure function of the :class:`~gate.model.Report`; this module only writes them. A file
whose content did not change is not rewritten (a docs build that watches modification times
rebuilds only what changed), every write is atomic (a reader never sees half a file), and the
badges of services that left the repository are removed.
"""

from __future__ import annotations

import json
from pathlib import Path

from gate import UsageError
from gate.model import Report
from gate.site import badge, catalog_json, page
from gate.site.common import BADGES_DIR, badge_file

CATALOG_JSON = "catalog.json"
INDEX_HTML = "index.html"


def outputs(report: Report) -> dict[str, str]:
    """Every file of the catalog: path relative to the output folder → content."""
    files = {CATALOG_JSON: catalog_json.render(report), INDEX_HTML: page.render(report)}
    files.update(badge.render(report))
    return files


def _write_if_changed(path: Path, body: str, root: Path | None = None) -> bool:
    """Write ``body`` atomically unless the file already holds it; True when written. Never
    through a symlink inside the judged repository ``root`` (:func:`gate.safeio.safe_write`)."""
    from gate.safeio import safe_write, unchanged

    if unchanged(path, body):
        return False
    safe_write(path, body, root if root is not None else Path.cwd())
    return True


def _previous_names(out: Path) -> set[str]:
    """The services of the catalog already in ``out`` (none when there is no valid one)."""
    try:
        data = json.loads((out / CATALOG_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(data, dict) or data.get("schema") != catalog_json.SCHEMA:
        return set()
    services = data.get("services")
    if not isinstance(services, list):
        return set()
    return {e["name"] for e in services if isinstance(e, dict) and isinstance(e.get("name"), str)}


def _prune(out: Path, gone: set[str]) -> list[str]:
    """Remove the badges of services that are no longer in the repository."""
    removed: list[str] = []
    badges = (out / BADGES_DIR).resolve()
    for name in sorted(gone):
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            continue
        for ext in ("svg", "json"):
            p = out / badge_file(name, ext)
            if p.resolve().parent != badges:
                continue
            try:
                p.unlink()
                removed.append(badge_file(name, ext))
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise UsageError(f"cannot remove {p}: {exc.strerror}") from None
    return removed


def write_catalog(report: Report, out: Path, all_names: set[str] | None = None, root: Path | None = None) -> list[str]:
    """Write the catalog of ``report`` into ``out``; the relative paths written (changed)."""
    files = outputs(report)
    for rel in files:
        parts = rel.split("/")
        if len(parts) > 2 or any(p in ("", ".", "..") for p in parts):
            raise UsageError(f"{rel}: a service name must be one folder name")
    gone = _previous_names(out) - (all_names if all_names is not None else {s.name for s in report.services})
    written: list[str] = []
    try:
        for rel, body in files.items():
            if _write_if_changed(out / rel, body, root):
                written.append(rel)
    except OSError as exc:
        raise UsageError(f"cannot write the catalog into {out}: {exc.strerror or exc}") from None
    _prune(out, gone)
    return written
