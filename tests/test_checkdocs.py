"""The item pages ``docs/checks/<id>.md`` are generated from the catalog and the checks' docstrings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gate import catalog
from gate.modes import checkdocs

ROOT = Path(__file__).resolve().parent.parent


def test_the_committed_pages_are_the_generated_ones() -> None:
    want = checkdocs.pages()
    have = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "checks").glob("*.md")}
    hint = f"docs/checks is generated from the checks' docstrings: run `{checkdocs.COMMAND}`"
    assert sorted(have) == sorted(want), hint
    for name, text in want.items():
        assert have[name] == text, f"{name}: {hint}"


def test_a_page_is_its_catalog_entry_its_check_docstring_and_the_waiver_template() -> None:
    item = catalog.BY_ID["data.no-long-locks"]
    text = checkdocs.page(item)
    assert text.startswith("# data.no-long-locks\n\n> No long-running locks\n\n## What it checks\n\n")
    doc = checkdocs.docstring(item)
    body = doc.split("\n## How to waive\n")[0].rstrip("\n")
    assert f"## What it checks\n\n{body}\n\n## How to waive\n\n" in text
    headings = [line for line in text.split("\n") if line.startswith("## ")]
    assert headings == ["## What it checks", "## What PostgreSQL does: the oracle", "## Compared with squawk",
                        "## Evidence", "## How to fix", "## How to waive"]
    assert "    - item: data.no-long-locks\n" in text
    assert "      targets: [services/pay/migrations/0007_backfill.sql:12]   # optional: a path[:line]\n" in text


def test_the_waiver_template_follows_the_catalog_entry() -> None:
    by = catalog.BY_ID
    assert checkdocs.how_to_waive(by["promotion.approved"]) == checkdocs.CHANGE_LEVEL
    assert checkdocs.how_to_waive(by["oncall.notified"]) == checkdocs.ATTESTED
    plain = checkdocs.how_to_waive(by["oncall.primary"])
    assert plain.startswith("Add to `service.yaml`:") and "targets" not in plain
    assert plain.endswith("\n\nAn expired waiver is ignored and reported.")
    # items that can be pending or unverified for want of GitHub or a person say what a waiver does not cover
    for item_id in ("conventions.conformance", "promotion.changeset", "promotion.rollback"):
        assert checkdocs.ONLY_FAIL in checkdocs.how_to_waive(by[item_id]), item_id
    assert checkdocs.ONLY_FAIL not in checkdocs.how_to_waive(by["data.grants"])
    noted = checkdocs.how_to_waive(by["conventions.brand-scoping"], ("targets: [<table>]",), "A note.")
    assert "      expires: 2027-01-31\n      targets: [<table>]\n```" in noted and noted.endswith("reported.\n\nA note.")
    with pytest.raises(checkdocs.DocError, match=r"not waived in service\.yaml"):
        checkdocs.how_to_waive(by["promotion.freeze"], ("targets: [x]",))


def test_a_docstring_without_the_shape_of_a_page_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    item = catalog.BY_ID["oncall.primary"]
    for doc, message in (
        ("## Evidence\n\nrepo.\n\n## How to fix\n\nDo it.", "starts with what the item checks"),
        ("It checks.\n\n## Evidence\n\nrepo.", "## Evidence, ## How to fix"),
        ("It checks.\n\n## How to fix\n\nDo it.\n\n## Evidence\n\nrepo.", "## Evidence, ## How to fix"),
        ("It checks.\n\n## Evidence\n\nrepo.\n\n## How to waive\n\nx\n\n## How to fix\n\nDo it.", "last section"),
        ("It checks.\n\n## Evidence\n\nrepo.\n\n## How to fix\n\nDo it.\n\n## How to waive\n\n```yaml\nitem: x\n```",
         "only `targets:` lines"),
    ):
        monkeypatch.setattr(checkdocs, "docstring", lambda _item, doc=doc: doc)
        with pytest.raises(checkdocs.DocError, match=re.escape(message)):
            checkdocs.page(item)


def test_headings_inside_fenced_code_are_not_sections() -> None:
    doc = "It checks:\n\n```md\n## Rollback\n```\n\n## Evidence\n\nrepo."
    assert checkdocs.sections(doc) == [("", "It checks:\n\n```md\n## Rollback\n```"), ("Evidence", "repo.")]


def test_write_rewrites_what_differs_and_removes_pages_of_no_item(tmp_path: Path) -> None:
    (tmp_path / "gone.item.md").write_text("old\n", encoding="utf-8")
    (tmp_path / "oncall.primary.md").write_text("stale\n", encoding="utf-8")
    changed = checkdocs.write(tmp_path)
    assert len(changed) == len(catalog.ITEMS) + 1 and "gone.item.md" in changed
    assert not (tmp_path / "gone.item.md").exists()
    assert (tmp_path / "oncall.primary.md").read_text(encoding="utf-8") == checkdocs.page(catalog.BY_ID["oncall.primary"])
    assert checkdocs.write(tmp_path) == []


def test_generation_reads_the_docstrings_without_importing_the_checks() -> None:
    code = ("import sys; from gate.modes import checkdocs; checkdocs.pages(); "
            "print(sorted(m for m in sys.modules if m.startswith('gate.checks')))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
