"""Every core item has its docs page with the four parts."""

from __future__ import annotations

import pytest

from tests.checks.test_core_robustness import IDS
from tests.helpers import ROOT


@pytest.mark.parametrize("item_id", IDS)
def test_docs_page(item_id: str) -> None:
    text = (ROOT / "docs" / "checks" / f"{item_id}.md").read_text("utf-8")
    assert text.startswith(f"# {item_id}\n")
    for part in ("## What it checks", "## Evidence", "## How to fix", "## How to waive"):
        assert part in text, (item_id, part)
