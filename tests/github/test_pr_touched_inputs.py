"""Touched means "its inputs changed": a PR that breaks a service only through a file outside its
folder (sst.config.ts, identity's M2M registry, a consumer's SDK import, a docs page it links to,
a shared package) gets that service judged. Played through ``prodgate pr``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate import catalog
from tests.github.conftest import Scenario, git, platform_repo, pr_event, run_gate

BILLING_CONSUMES = "contracts:\n  openapi: openapi.yaml\n  consumes:\n    - service: payments\n"

BASE_FILES = {
    "services/billing/service.yaml": "name: billing\nstatus: stable\nowner: team-billing\n" + BILLING_CONSUMES,
    "sst.config.ts": "export default $config({ async run() { await import('./services/payments/infra'); } });\n",
    "services/identity/service.yaml": "name: identity\nstatus: beta\nowner: team-identity\n",
    "services/identity/m2m-clients.yaml": "clients:\n  - client_id: billing\n    scopes: [payments:read]\n",
    "apps/canary/src/payments.ts": "import { getPayment } from '@platform/sdk-payments';\nexport const p = getPayment;\n",
    "docs/services/payments.md": "# Payments\n\nSee [the glossary](../glossary.md#refund).\n",
    "docs/services/billing.md": "# Billing\n\nUses [payments](payments.md).\n",
    "docs/glossary.md": "# Glossary\n\n## Refund\n",
    "packages/shared-http/src/index.ts": "export const http = 1;\n",
}

ATTACKS = {
    "sst-config": ({"sst.config.ts": "export default $config({ async run() {} });\n"},
                   ["billing", "identity", "payments"]),
    "identity-m2m": ({"services/identity/m2m-clients.yaml": "clients: []\n"}, ["billing", "identity", "payments"]),
    "consumer-import-removed": ({"apps/canary/src/payments.ts": "export const p = 1;\n"}, ["payments"]),
    "linked-anchor-renamed": ({"docs/glossary.md": "# Glossary\n\n## Refunds (renamed)\n"}, ["payments"]),
    "related-page-link-dropped": ({"docs/services/billing.md": "# Billing\n"}, ["billing", "payments"]),
    "shared-package": ({"packages/shared-http/src/index.ts": "export const http = 2;\n"},
                       ["billing", "identity", "payments"]),
}


def _repo(tmp_path: Path, head: dict[str, str]) -> tuple[Path, str, str]:
    ws = tmp_path / "workspace"
    base, _ = platform_repo(ws, {"payments": "stable", "billing": "stable"}, base_files=dict(BASE_FILES),
                            head_files=head)
    return ws, base, git(ws, "rev-parse", "HEAD")


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_change_to_an_input_touches_the_services_that_read_it(attack, tmp_path, standin_factory,
                                                                webhook_examples):
    head_files, expected = ATTACKS[attack]
    ws, base, head = _repo(tmp_path, head_files)
    s = Scenario(head_sha=head, base_sha=base)
    s.files = [{"sha": "0" * 40, "filename": p, "status": "modified", "additions": 1, "deletions": 1,
                "changes": 2} for p in head_files]
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    assert json.loads(run.outputs["services"]) == expected
    assert any("touched." in n for n in run.report["notes"])


def test_a_consumer_dropped_from_a_manifest_touches_the_service_it_consumed(tmp_path, standin_factory,
                                                                            webhook_examples):
    ws = tmp_path / "workspace"
    base, _ = platform_repo(ws, {"payments": "stable"}, base_files={
        "services/billing/service.yaml": "name: billing\nstatus: beta\nowner: t\n" + BILLING_CONSUMES},
        head_files={"services/billing/service.yaml": "name: billing\nstatus: beta\nowner: t\n"})
    head = git(ws, "rev-parse", "HEAD")
    s = Scenario(head_sha=head, base_sha=base)
    s.files = [{"sha": "0" * 40, "filename": "services/billing/service.yaml", "status": "modified",
                "additions": 0, "deletions": 3, "changes": 3}]
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    assert json.loads(run.outputs["services"]) == ["billing", "payments"]
    assert any("services/billing/service.yaml changed what billing consumes" in n and "payments touched" in n
               for n in run.report["notes"])


def test_an_unrelated_docs_page_touches_nothing(tmp_path, standin_factory, webhook_examples):
    ws, base, head = _repo(tmp_path, {"docs/notes/today.md": "# Notes\n"})
    s = Scenario(head_sha=head, base_sha=base)
    s.files = [{"sha": "0" * 40, "filename": "docs/notes/today.md", "status": "added", "additions": 1,
                "deletions": 0, "changes": 1}]
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code == 0, run.stderr
    assert json.loads(run.outputs["services"]) == []


def test_every_cross_service_item_declares_its_inputs() -> None:
    """The declaration lives in one place (gate.catalog.INPUTS) and names catalog items only."""
    for item in ("auth.m2m-client", "deployment.sst-registered", "sdk.consumer", "docs.cross-links",
                 "artifacts.docs-page", "promotion.changeset"):
        assert catalog.INPUTS[item], item
    assert set(catalog.INPUTS) <= set(catalog.BY_ID)
    assert {k for v in catalog.INPUTS.values() for k in v} <= set(catalog.INPUT_KINDS)


def test_a_removed_import_is_found_at_the_base_through_the_api_on_a_shallow_checkout(tmp_path, standin_factory,
                                                                                    webhook_examples):
    ws = tmp_path / "workspace"
    platform_repo(ws, {"payments": "stable", "billing": "stable"},
                  head_files={"apps/canary/src/payments.ts": "export const p = 1;\n"})
    head = git(ws, "rev-parse", "HEAD")
    s = Scenario(head_sha=head, base_sha="b" * 40)  # not in the checkout
    s.contents = {"b" * 40: {"apps/canary/src/payments.ts": BASE_FILES["apps/canary/src/payments.ts"]}}
    s.files = [{"sha": "0" * 40, "filename": "apps/canary/src/payments.ts", "status": "modified", "additions": 1,
                "deletions": 2, "changes": 3}]
    standin = standin_factory(s)
    run = run_gate(ws, standin, pr_event(webhook_examples, s))
    assert run.code in (0, 1), run.stderr
    assert json.loads(run.outputs["services"]) == ["payments"]
    reads = [r for r in standin.requests if r.path.endswith("/contents/apps/canary/src/payments.ts")]
    assert len(reads) == 1
