"""The versioned JSON report (``prodgate.report/v1``, schema in gate/schemas/report.schema.json)."""

from __future__ import annotations

import json

from gate.model import Report


def render(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
