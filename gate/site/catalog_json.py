"""``catalog.json``: one entry per service (``prodgate.catalog/v1``, schema in
gate/schemas/catalog.schema.json, published as docs/schemas/catalog.schema.json)."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from gate import __version__
from gate.model import Report, ServiceReport, counts
from gate.site import expiry
from gate.site.common import badge_file, blocking, failing, prod_monitor

SCHEMA = "prodgate.catalog/v1"


def service_entry(s: ServiceReport) -> dict[str, Any]:
    pm = prod_monitor(s)
    return {
        "name": s.name,
        "path": s.path,
        "owner": s.owner,
        "status": s.status,
        "tier": s.tier,
        "ready": s.ready,
        "counts": counts(s.items),
        "failing": failing(s),
        "blocking": blocking(s),
        "prod_monitor": None if pm is None else {"status": pm.status.value, "reason": pm.reason},
        "badge": {"svg": badge_file(s.name, "svg"), "json": badge_file(s.name, "json")},
    }


def to_json(report: Report) -> dict[str, Any]:
    services = [{**service_entry(s), "expiring": expiry.for_report(report, s)} for s in report.services]
    ready = sum(1 for s in report.services if s.ready)
    return {
        "schema": SCHEMA,
        "tool": {"name": "prodgate", "version": report.version or __version__},
        "generated_at": report.generated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "summary": {"services": len(services), "ready": ready, "not_ready": len(services) - ready},
        "notes": list(report.notes),
        "services": services,
    }


def render(report: Report) -> str:
    return json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n"
