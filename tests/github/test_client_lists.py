"""Lists read whole or not judged: a list of check runs, statuses or reviews longer than the gate
reads is an error (the items fail closed), never a list silently cut at its limit."""

from __future__ import annotations

from typing import Any

import pytest

from gate.github import client as gh


class Paged(gh.Client):
    """Answers every GET with pages of ``total`` numbered items, ``Link: rel="next"`` as GitHub."""

    def __init__(self, total: int, key: str | None = None) -> None:
        super().__init__("t", "http://127.0.0.1:9")
        self.total, self.key, self.asked = total, key, 0

    def request(self, method: str, path: str, params: dict[str, Any] | None = None,
                body: Any = None, *, idempotent: bool | None = None) -> tuple[dict[str, str], Any]:
        self.asked += 1
        page, per = int((params or {})["page"]), int((params or {})["per_page"])
        items = list(range((page - 1) * per, min(page * per, self.total)))
        last = -(-self.total // per)
        # GitHub sends Link on every page of a paginated list; the last one has no rel="next"
        nxt = f'<{path}?page={page + 1}>; rel="next", ' if page < last else ""
        headers = {"link": nxt + f'<{path}?page=1>; rel="first"'} if last > 1 else {}
        return headers, ({self.key: items, "total_count": self.total} if self.key else items)


def test_a_list_past_the_limit_is_cut_only_when_asked() -> None:
    c = Paged(450)
    assert len(c.all("/x", limit=300)) == 300  # deployments, PR files: the newest N by design
    with pytest.raises(gh.TooLong) as exc:
        Paged(450).all("/x", limit=300, whole=True)
    assert str(exc.value) == ("GitHub GET /x: lists more than 300 items, the most the gate reads; what lies past "
                              "them cannot be judged")
    assert len(Paged(300).all("/x", limit=300, whole=True)) == 300  # exactly the limit: whole


@pytest.mark.parametrize(("reader", "key"), [
    (lambda c: gh.check_runs(c, "o", "r", "abc"), "check_runs"),
])
def test_check_runs_past_the_limit_are_not_read_as_a_whole_list(reader: Any, key: str) -> None:
    with pytest.raises(gh.TooLong):
        reader(Paged(3_001, key))
