"""The replay skips classifying statements whose lock cannot change a verdict (outside a
transaction, after SET lock_timeout, neither rewriting nor scanning: pglocks.quiet). The oracle
classifies every statement (``classify_all``); this test proves the skipping changes no finding,
on every case of the oracle corpus, in a file where it applies."""

from __future__ import annotations

import pytest

from gate.sources.sql.migrations import Migration, replay_migrations
from gate.sources.sql.parse import parse
from tests.oracle.corpus import SETUP, cases
from tests.oracle.observe import statements

SETUP_SQL = parse("m/0001_setup.sql", SETUP)
#: SET lock_timeout first, a CONCURRENTLY last (the runner cannot wrap the file in a transaction)
HEAD, TAIL = "SET lock_timeout = '5s';\n", "CREATE INDEX CONCURRENTLY zz_fast ON r (id);\n"


def _findings(case: str, classify_all: bool) -> list[tuple[str, int, str]]:
    text = HEAD + "".join(s + ";\n" for s in statements(case)) + TAIL
    migs = [Migration("m/0001_setup.sql", "0001_setup.sql", False, SETUP_SQL),
            Migration("m/0002_case.sql", "0002_case.sql", False, parse("m/0002_case.sql", text))]
    rp = replay_migrations(migs, 15, classify_all=classify_all)
    return [(i.rule, i.where.line, i.message) for i in rp.locks + rp.contracts]


@pytest.mark.parametrize("case", cases())
def test_skipping_quiet_statements_changes_no_finding(case: str) -> None:
    assert _findings(case, False) == _findings(case, True)
