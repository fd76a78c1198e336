"""One PostgreSQL for the oracle tests: every case of the corpus observed once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import pg
from tests.oracle.corpus import cases
from tests.oracle.observe import GateView, Observed, Server, gate_view

Results = dict[str, tuple[Observed, GateView]]


@pytest.fixture(scope="session")
def oracle() -> Iterator[tuple[int, Results]]:
    """(server major version, case → (what PostgreSQL did, what the gate says))."""
    srv = pg.start()
    try:
        server = Server(lambda db: srv.url(dbname=db))
        try:
            out = {c: (server.observe(c), gate_view(c, server.version)) for c in cases()}
        finally:
            server.close()
        yield server.version, out
    finally:
        srv.stop()
