"""promotion.changeset: a changeset of the PR names the service's package with a user-facing summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.model import ItemResult, Status
from tests.checks.promotion_fixture import pr, repo, service
from tests.helpers import write_tree

ID = "promotion.changeset"

VALID = """\
---
"@platform/payments": minor
"@platform/sdk-payments": minor
---

Partners can now issue partial refunds with `POST /payments/{id}/refunds`.
"""


def judge(root: Path, files: dict[str, str], changed: list[str] | None = None,
          status: dict[str, str] | None = None, config_text: str | None = None) -> ItemResult:
    write_tree(root, dict(files))
    changed = list(files) if changed is None else changed
    p = pr(changed_files=(*changed, "services/payments/src/app.ts"), file_status=status or {})
    return service(root, ID, p=p, config_text=config_text)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return repo(tmp_path)


def test_valid_changeset_passes(root: Path) -> None:
    r = judge(root, {".changeset/partial-refunds.md": VALID})
    assert r.status == Status.PASS
    assert ".changeset/partial-refunds.md names @platform/payments, @platform/sdk-payments" in r.reason


def test_sdk_package_alone_is_enough(root: Path) -> None:
    text = '---\n"@platform/sdk-payments": patch\n---\n\nThe SDK retries refunds on network errors.\n'
    assert judge(root, {".changeset/sdk.md": text}).status == Status.PASS


def test_missing_changeset_fails(root: Path) -> None:
    r = judge(root, {}, changed=[])
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "pull request #42 adds no changeset naming @platform/payments or @platform/sdk-payments" in f.message
    assert '"@platform/payments": minor' in f.message


def test_changeset_already_in_the_repo_but_not_in_the_pr_does_not_count(root: Path) -> None:
    r = judge(root, {".changeset/old.md": VALID}, changed=[])
    assert r.status == Status.FAIL


def test_removed_changeset_and_readme_do_not_count(root: Path) -> None:
    r = judge(root, {".changeset/README.md": VALID, ".changeset/gone.md": VALID},
              status={".changeset/gone.md": "removed"})
    assert r.status == Status.FAIL and "adds no changeset" in r.findings[0].message


@pytest.mark.parametrize(("summary", "why"), [
    ("wip", "is a placeholder ('wip')"),
    ("Update", "is a placeholder ('Update')"),
    ("Fix ABC-123", "is a placeholder ('Fix')"),
    ("ABC-123", "is only a reference (ABC-123)"),
    ("#123", "is only a reference (#123)"),
    ("[PAY-77](https://linear.app/acme/issue/PAY-77)", "is only a reference (PAY-77)"),
    ("https://github.com/acme/platform/issues/9", "is only a reference"),
    ("Refunds are faster.", "has 3 word(s)"),
    ("", "is empty"),
])
def test_summary_not_user_facing_fails_at_its_line(root: Path, summary: str, why: str) -> None:
    text = f'---\n"@platform/payments": patch\n---\n\n{summary}\n'
    r = judge(root, {".changeset/x.md": text})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert why in f.message, f.message
    assert f.path == ".changeset/x.md"
    assert f.line == (5 if summary else 3)


def test_ticket_references_do_not_count_as_words(root: Path) -> None:
    text = '---\n"@platform/payments": patch\n---\n\nFixes PAY-1 PAY-2 #3\n'
    r = judge(root, {".changeset/x.md": text})
    assert r.status == Status.FAIL and "has 1 word(s)" in r.findings[0].message


def test_min_words_and_placeholders_are_configurable(root: Path) -> None:
    text = '---\n"@platform/payments": patch\n---\n\nRefunds are faster.\n'
    cfg = "changeset: {min_words: 3, placeholders: [tbd]}\n"
    assert judge(root, {".changeset/x.md": text}, config_text=cfg).status == Status.PASS
    tbd = '---\n"@platform/payments": patch\n---\n\nTBD\n'
    r = judge(root, {".changeset/x.md": tbd}, config_text=cfg)
    assert r.status == Status.FAIL and "placeholder" in r.findings[0].message


def test_changeset_for_another_package_fails_at_its_front_matter(root: Path) -> None:
    text = '---\n"@platform/orders": minor\n---\n\nOrders can now be split across two shipments.\n'
    r = judge(root, {".changeset/orders.md": text})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "changeset .changeset/orders.md names @platform/orders, not @platform/payments" in f.message
    assert f.path == ".changeset/orders.md" and f.line == 1


def test_bad_bump_type_fails_at_its_key(root: Path) -> None:
    text = '---\n"@platform/orders": minor\n"@platform/payments": huge\n---\n\nPartners can now issue partial refunds.\n'
    r = judge(root, {".changeset/x.md": text})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "gives @platform/payments the bump 'huge'" in f.message and f.line == 3


def test_broken_front_matter_fails_at_its_line(root: Path) -> None:
    text = '---\n"@platform/payments": [minor\n---\n\nPartners can now issue partial refunds.\n'
    r = judge(root, {".changeset/x.md": text})
    assert r.status == Status.FAIL
    assert "front matter is not valid YAML" in r.findings[0].message and r.findings[0].path == ".changeset/x.md"


def test_package_name_comes_from_the_service_package_json(root: Path) -> None:
    write_tree(root, {"services/payments/package.json": '{"name": "@acme/payments-api"}'})
    text = '---\n"@acme/payments-api": minor\n---\n\nPartners can now issue partial refunds.\n'
    assert judge(root, {".changeset/x.md": text}).status == Status.PASS


def test_changesets_folder_is_configurable(root: Path) -> None:
    r = judge(root, {"changes/x.md": VALID}, config_text="paths: {changesets: changes}\n")
    assert r.status == Status.PASS


def test_no_pull_request_is_unverified(root: Path) -> None:
    write_tree(root, {".changeset/x.md": VALID})
    r = service(root, ID, mode="check")
    assert r.status == Status.UNVERIFIED
    assert "no pull request to judge: cannot tell which changeset belongs to this change" in r.reason


def test_example_platform_changeset_in_a_pr() -> None:
    """examples/platform/EXPECTED.md: the changeset passes payments in a PR that adds it; orders has none."""
    from gate.engine import evaluate_service
    from tests.helpers import EXAMPLE, make_run

    p = pr(changed_files=(".changeset/brave-otters-refund.md", "services/payments/src/app.ts",
                          "services/orders/src/app.ts"))
    run = make_run(EXAMPLE, pr=p, mode="pr")
    got = {s.name: evaluate_service(run, s, frozenset({ID})).item(ID) for s in run.all_services
           if s.name in ("payments", "orders")}
    assert got["payments"].status == Status.PASS
    assert got["orders"].status == Status.FAIL
    assert "names @platform/payments, @platform/sdk-payments, not @platform/orders" in got["orders"].findings[0].message
