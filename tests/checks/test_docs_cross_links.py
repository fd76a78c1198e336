"""docs.cross-links: consumed / consuming services' pages and concept pages link back."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.model import Status
from tests.checks.core_fixture import IDENTITY_YAML, SERVICE_YAML, evaluate, line_of
from tests.helpers import item, write_tree

ID = "docs.cross-links"


def test_related_pages_link_back(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS and "2 related page(s)" in r.reason


def test_consumed_service_page_without_link_at_its_title(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, identity_page="\n# Identity\n\n## Tokens\n\nNo links.\n")
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "docs/services/identity.md does not link to docs/services/payments.md" in f.message
    assert f.path == "docs/services/identity.md" and f.line == 2


@pytest.mark.parametrize("link", [
    "<div hidden>\n\nSee [payments](payments.md).\n\n</div>\n",
    '<span style="display:none"><a href="payments.md">payments</a></span>\n',
    "[](payments.md)\n",
    "<!-- [payments](payments.md) -->\n",
])
def test_a_link_back_a_reader_cannot_see_does_not_count(tmp_path: Path, link: str) -> None:
    r = evaluate(tmp_path, ID, identity_page=f"\n# Identity\n\n## Tokens\n\n{link}")
    assert r.status == Status.FAIL, link
    (f,) = r.findings
    assert "docs/services/identity.md does not link to docs/services/payments.md" in f.message
    assert f.path == "docs/services/identity.md" and f.line == 2


@pytest.mark.parametrize("link", ["See [payments](payments.md).\n", '<a href="payments.md">payments</a>\n',
                                  "<details><summary>More</summary>\n\n[payments](./payments.md)\n\n</details>\n"])
def test_a_link_back_a_reader_sees_counts(tmp_path: Path, link: str) -> None:
    r = evaluate(tmp_path, ID, identity_page=f"\n# Identity\n\n## Tokens\n\n{link}")
    assert r.status == Status.PASS, (link, r.findings)


def test_consuming_service_page_must_link_back(tmp_path: Path) -> None:
    # identity consumes payments: identity's page must link to payments (it does), and
    # payments' page must link to identity when identity is evaluated
    ident = IDENTITY_YAML.replace("contracts: {openapi: openapi.yaml}",
                                  "contracts:\n  consumes:\n    - {service: payments, fallback: retry later}")
    evaluate(tmp_path, ID, identity_yaml=ident)
    assert item(tmp_path, "identity", ID).status == Status.PASS
    write_tree(tmp_path, {"docs/services/payments.md": "# Payments\n\nNo links.\n"})
    r = item(tmp_path, "identity", ID)
    assert r.status == Status.FAIL
    assert any(f.path == "docs/services/payments.md" and f.line == 1 for f in r.findings)


def test_missing_concept_page_reported_at_service_yaml(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, concept=None)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "docs/concepts/payment-intent.md does not exist" in f.message
    assert f.path == "services/payments/service.yaml" and f.line == line_of(SERVICE_YAML, "domain_primitives:")


def test_nothing_related_is_skipped(tmp_path: Path) -> None:
    text = (SERVICE_YAML.replace("domain_primitives: [payment-intent]\n", "")
            .replace("  consumes:\n    - service: identity\n      fallback: Serve cached tokens for up to 5 minutes.\n",
                     "  consumes: []\n"))
    r = evaluate(tmp_path, ID, service_yaml=text)
    assert r.status == Status.SKIP, r.findings
