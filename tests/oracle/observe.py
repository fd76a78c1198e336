"""PostgreSQL as the judge: what a real server does with each case of the corpus, and what the
gate's lock model (gate/sources/sql/pglocks.py, through the migrations replay) says it does.

Server side (:func:`observe`): SETUP is loaded once into a template database; each case runs in
its own transaction on a copy of it (``BEGIN``; the statements; then, while the transaction is
still open: ``pg_locks`` of this backend, ``pg_class.relfilenode`` of every relation, and
``pg_stat_xact_user_tables.seq_scan``; ``ROLLBACK``). A case PostgreSQL refuses inside a
transaction block (CONCURRENTLY, VACUUM, ...) is run in autocommit on a fresh copy of the
template: its rewrite (relfilenode) and scans (``pg_stat_user_tables`` after a stats flush) are
observed, its lock modes cannot be (the statement commits before anyone can look): they are
classified by PostgreSQL's documented rule, and the oracle says so.

Lock modes are compared from SHARE UPDATE EXCLUSIVE upwards: the weaker modes (ACCESS SHARE, ROW
SHARE, ROW EXCLUSIVE: what queries and DML take) conflict only with EXCLUSIVE / ACCESS EXCLUSIVE
and are not what the rules are about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gate.sources.sql import pglocks
from gate.sources.sql.migrations import Migration, Replay, replay_migrations
from gate.sources.sql.parse import parse
from tests.oracle.corpus import RELATIONS, SETUP

COMPARED = pglocks.RANK[pglocks.SUE]
NO_TX_ERRORS = ("cannot run inside a transaction block", "cannot be executed inside a transaction block",
                "cannot run inside a transaction")


@dataclass
class Observed:
    """What the server did with one case."""

    error: str | None = None
    autocommit: bool = False  # refused inside a transaction block: run in autocommit
    locks: dict[str, str] = field(default_factory=dict)  # relation → strongest mode (≥ SUE)
    rewrite: set[str] = field(default_factory=set)
    scan: set[str] = field(default_factory=set)


@dataclass
class GateView:
    """What the gate says about the same case."""

    locks: dict[str, str]
    rewrite: set[str]
    scan: set[str]
    no_tx: bool
    rules: set[str]  # the data.no-long-locks rules its statements raise (no lock_timeout set)
    replay: Replay


def statements(case: str) -> list[str]:
    return [s.strip() for s in case.split(";") if s.strip()]


# -- the gate -------------------------------------------------------------------------------------
_SETUP_SQL = parse("migrations/0001_setup.sql", SETUP)


def gate_view(case: str, version: int) -> GateView:
    stmts = statements(case)
    text = ("BEGIN;\n" + ";\n".join(stmts) + ";\nCOMMIT;\n") if len(stmts) > 1 else stmts[0] + ";\n"
    setup = Migration("migrations/0001_setup.sql", "0001_setup.sql", False, _SETUP_SQL)
    change = Migration("migrations/0002_case.sql", "0002_case.sql", False, parse("migrations/0002_case.sql", text))
    rp = replay_migrations([setup, change], version, classify_all=True)
    assert not rp.errors, (case, rp.errors)
    merged = pglocks.Effect()
    for w, e in rp.effects:
        if w.migration is change:
            merged.merge(e)
    locks = {r: m for r, m in merged.locks.items() if r in RELATIONS and pglocks.RANK[m] >= COMPARED}
    scan = {r for r in merged.scan | merged.rewrite if r in locks}
    rules = {i.rule for i in rp.locks if i.where.migration is change}
    return GateView(locks, merged.rewrite & set(RELATIONS), scan, merged.no_tx, rules, rp)


# -- the server -----------------------------------------------------------------------------------
_OIDS_SQL = """
SELECT c.oid::int8, c.relname FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY(%s)
"""
# by oid: a relation renamed or dropped by the case keeps its name here
_STATE_SQL = """
SELECT c.oid::int8, c.relfilenode, coalesce(s.seq_scan, 0)
FROM pg_class c LEFT JOIN {stats} s ON s.relid = c.oid
WHERE c.oid = ANY(%s::oid[])
"""
_LOCKS_SQL = """
SELECT l.relation::int8, l.mode FROM pg_locks l
WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.relation = ANY(%s::oid[])
"""


def _oids(cur: Any) -> dict[int, str]:
    cur.execute(_OIDS_SQL, (list(RELATIONS),))
    return {int(oid): str(name) for oid, name in cur.fetchall()}


def _state(cur: Any, stats: str, oids: dict[int, str]) -> dict[str, tuple[int, int]]:
    cur.execute(_STATE_SQL.format(stats=stats), (list(oids),))
    return {oids[int(oid)]: (int(node), int(scans)) for oid, node, scans in cur.fetchall()}


def _diff(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> tuple[set[str], set[str]]:
    rewrite = {r for r, (node, _) in before.items() if r in after and after[r][0] != node and node != 0}
    scan = {r for r, (_, n) in before.items() if r in after and after[r][1] > n}
    return rewrite, scan


class Server:
    """A PostgreSQL (tests/pg.py) holding the template database ``oracle_tpl``."""

    def __init__(self, url: Any) -> None:
        import psycopg

        self.psycopg = psycopg
        self.url = url  # callable: dbname → URL
        with psycopg.connect(url("postgres"), autocommit=True) as c:
            c.execute("CREATE DATABASE oracle_tpl")
        with psycopg.connect(url("oracle_tpl"), autocommit=True) as c:
            c.execute(SETUP)
            c.execute("ANALYZE")
        with psycopg.connect(url("postgres"), autocommit=True) as c:
            row = c.execute("SHOW server_version_num").fetchone()
        self.version = int(row[0]) // 10000 if row else 0
        self._fresh("oracle")
        self.conn = psycopg.connect(url("oracle"), autocommit=True)

    def _fresh(self, name: str) -> None:
        with self.psycopg.connect(self.url("postgres"), autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}")
            c.execute(f"CREATE DATABASE {name} TEMPLATE oracle_tpl" + (" STRATEGY FILE_COPY" if self.version >= 15 else ""))

    def close(self) -> None:
        self.conn.close()

    def observe(self, case: str) -> Observed:
        cur = self.conn.cursor()
        oids = _oids(cur)
        cur.execute("BEGIN")
        try:
            before = _state(cur, "pg_stat_xact_user_tables", oids)
            for st in statements(case):
                cur.execute(st)  # type: ignore[call-overload]
            cur.execute(_LOCKS_SQL, (list(oids),))
            held = [(oids[int(oid)], mode) for oid, mode in cur.fetchall()]
            after = _state(cur, "pg_stat_xact_user_tables", oids)
        except self.psycopg.Error as exc:
            cur.execute("ROLLBACK")
            msg = str(exc).strip().splitlines()[0]
            if any(m in msg for m in NO_TX_ERRORS):
                return self._autocommit(case)
            return Observed(error=msg)
        cur.execute("ROLLBACK")
        locks: dict[str, str] = {}
        for rel, mode in held:
            if pglocks.RANK.get(mode, -1) >= COMPARED and pglocks.RANK[mode] > pglocks.RANK.get(locks.get(rel, ""), -1):
                locks[rel] = mode
        rewrite, scan = _diff(before, after)
        return Observed(locks=locks, rewrite=rewrite, scan={r for r in scan if r in locks})

    def _autocommit(self, case: str) -> Observed:
        """Run in autocommit on ``oracle`` (pristine: every earlier transaction rolled back, and
        it is copied afresh after an autocommit case changed it)."""
        self.conn.close()
        try:
            return self._run_autocommit(case)
        finally:
            self._fresh("oracle")
            self.conn = self.psycopg.connect(self.url("oracle"), autocommit=True)

    def _run_autocommit(self, case: str) -> Observed:
        with self.psycopg.connect(self.url("oracle"), autocommit=True) as c:
            cur = c.cursor()
            cur.execute("SELECT pg_stat_clear_snapshot()")
            oids = _oids(cur)
            before = _state(cur, "pg_stat_user_tables", oids)
            try:
                for st in statements(case):
                    cur.execute(st)  # type: ignore[call-overload]
            except self.psycopg.Error as exc:
                return Observed(error=str(exc).strip().splitlines()[0], autocommit=True)
            cur.execute("SELECT pg_stat_force_next_flush()")
            cur.execute("SELECT 1")
            cur.execute("SELECT pg_stat_clear_snapshot()")
            after = _state(cur, "pg_stat_user_tables", oids)
        rewrite, scan = _diff(before, after)
        return Observed(autocommit=True, rewrite=rewrite, scan=scan)
