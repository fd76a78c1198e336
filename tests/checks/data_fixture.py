"""Small platform repositories with migrations, for the data.* tests."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import write_tree

SERVICE_YAML = """\
name: pay
owner: team-pay
status: stable
"""

#: an existing table for the second migration to change
BASE = """\
-- the tables every test starts from
CREATE TABLE payments (
  id bigint PRIMARY KEY,
  brand_id uuid NOT NULL,
  amount int,
  note text NOT NULL DEFAULT ''
);
CREATE INDEX payments_amount ON payments (amount);
CREATE MATERIALIZED VIEW payment_totals AS SELECT brand_id, sum(amount) FROM payments GROUP BY brand_id;
"""


def repo(tmp: Path, migrations: dict[str, str], *, service_yaml: str = SERVICE_YAML,
         runbook: str | None = None, extra: dict[str, str] | None = None) -> Path:
    """A repository with one service ``pay`` and these migrations (name → SQL)."""
    files: dict[str, str | bytes] = {"services/pay/service.yaml": service_yaml}
    for name, sql in migrations.items():
        files[f"services/pay/migrations/{name}"] = sql
    if runbook is not None:
        files["services/pay/RUNBOOK.md"] = runbook
    files.update(extra or {})
    return write_tree(tmp, files)
