"""The catalog tests run as on a laptop, even inside GitHub Actions: no GitHub evidence."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _not_in_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_ACTIONS", "GITHUB_TOKEN", "INPUT_GITHUB-TOKEN", "GITHUB_EVENT_PATH"):
        monkeypatch.delenv(name, raising=False)
