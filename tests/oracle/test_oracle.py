"""PostgreSQL judges data.no-long-locks: every case of the corpus (tests/oracle/corpus.py) is
applied to a real server (tests/pg.py; the major version the tests install, which the gate's
``postgres.version`` is set to), and the gate's model of it (lock mode on each relation, rewrite,
scan: gate/sources/sql/pglocks.py through the migrations replay) must be what the server did.

Three comparisons, each with its intended differences listed with their reason (a stale entry,
one that no longer differs, fails too):

1. the classification: lock modes (SHARE UPDATE EXCLUSIVE and up), rewrites (``relfilenode``
   changed), scans (``seq_scan`` grew, on a relation not rewritten);
2. the verdict: a rule other than ``lock-timeout`` fires exactly when the server blocked traffic
   on a relation while rewriting or scanning it (``DANGER`` policies: the gate is stricter);
3. ``lock-timeout`` fires exactly when the server took a lock that blocks writes (``TIMEOUT``
   policies).

What PostgreSQL refuses inside a transaction block (CONCURRENTLY, VACUUM, REINDEX SCHEMA...) is run
in autocommit: the gate must know it is refused there (``no_tx``), and its rewrite and scans are
compared; its lock modes cannot be observed after the fact and are PostgreSQL's documented ones
(CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, DETACH ... CONCURRENTLY: SHARE
UPDATE EXCLUSIVE; VACUUM FULL: ACCESS EXCLUSIVE; REINDEX without CONCURRENTLY: SHARE).
"""

from __future__ import annotations

import re

from gate.sources.sql import pglocks
from tests.oracle.conftest import Results
from tests.oracle.corpus import cases

#: what the server refuses (error message part) → why the case stays in the corpus
REFUSED = {
    "ALTER TABLE t ADD COLUMN x int NOT NULL": ("contains null values", "the gate's required-column rule"),
    "ALTER TABLE chi ADD COLUMN x int PRIMARY KEY": ("contains null values", "likewise, with an index"),
    "ALTER TABLE t ADD COLUMN x int DEFAULT (SELECT 1)": ("cannot use subquery", "a default the parser accepts"),
    "ALTER TABLE p SET (parallel_workers = 2)": ("unrecognized parameter", "partitioned tables have no storage"),
    "REINDEX (CONCURRENTLY) SYSTEM oracle": ("cannot reindex system catalogs concurrently",
                                             "the gate never suggests it (issue 16)"),
    "CLUSTER t": ("no previously clustered index", "CLUSTER without USING needs CLUSTER ON first"),
}

#: case → why the gate's classification differs from the server's (the gate is stricter)
CLASSIFICATION = {
    "ALTER TABLE t ADD COLUMN x uuid DEFAULT my_uuid()":
        "a function the gate cannot see through is volatile (issue 16: unknown means volatile); PostgreSQL "
        "inlined this SQL function's constant body",
    "ALTER TABLE t ALTER COLUMN ts TYPE timestamptz":
        "timestamp → timestamptz skips the rewrite only when the session TimeZone is UTC (the server's here); "
        "the migration's session time zone is unknown",
    "ALTER TABLE t SET ACCESS METHOD heap":
        "the table already uses heap: a no-op; the gate does not know a table's current access method",
    "ALTER TABLE t SET TABLESPACE pg_default":
        "the table already lives in pg_default: a no-op; moving it anywhere else copies every block",
    "DROP TRIGGER IF EXISTS nope ON t":
        "the trigger does not exist, so PostgreSQL locks nothing; the gate does not know every trigger",
}

#: (kind, pattern over the case, reason): verdicts stricter than the server's locks
POLICIES = [
    ("DANGER", r"^LOCK ", "LOCK TABLE holds its lock until the transaction ends, whatever follows: "
                          "each statement should take the lock it needs (lock-table)"),
    ("DANGER", r"^DROP INDEX (?!CONCURRENTLY)", "DROP INDEX takes ACCESS EXCLUSIVE on the table (no scan); "
                                                "DROP INDEX CONCURRENTLY takes none that blocks traffic"),
    ("DANGER", r"^(CREATE INDEX i1 ON mv|REINDEX .*(TABLE mv|INDEX mv_id))",
     "an index build on a materialized view blocks its REFRESH; CONCURRENTLY costs nothing"),
    ("DANGER", r"my_uuid|ts TYPE timestamptz|SET ACCESS METHOD heap|SET TABLESPACE pg_default",
     "the classification differences above (CLASSIFICATION)"),
    ("TIMEOUT", r"^ALTER TABLE t (ALTER COLUMN a (SET STATISTICS|SET \(|RESET \()|CLUSTER ON|SET WITHOUT CLUSTER"
                r"|SET \(|RESET \()",
     "every ALTER TABLE asks for lock_timeout, even at SHARE UPDATE EXCLUSIVE (it waits behind autovacuum "
     "and other DDL, and a later subcommand added to the statement may take more)"),
    ("TIMEOUT", r"^DROP TRIGGER IF EXISTS nope", "the classification difference above (CLASSIFICATION)"),
    ("DANGER", r"^REINDEX .*TABLE p$", "REINDEX without CONCURRENTLY is flagged even where the partitions "
                                       "hold no index yet (nothing to rebuild today; the statement stays wrong)"),
    ("DANGER", r"^REINDEX SYSTEM|^CLUSTER$", "system catalogs (every query reads them) / every table with a "
                                             "clustered index: what they lock is not in the migrations"),
    ("TIMEOUT", r"CONCURRENTLY|^REINDEX (SCHEMA|SYSTEM|DATABASE)",
     "CREATE/DROP INDEX, REINDEX, DETACH ... CONCURRENTLY ask for lock_timeout too: SHARE UPDATE EXCLUSIVE "
     "waits behind every transaction that touched the table, and each wait holds up the migration"),
]

COMPARED = pglocks.RANK[pglocks.SUE]
#: relations whose traffic a lock stops differently from a table's
KINDS = {"mv": "matview", "s": "sequence", "v": "view"}


def _blocks(rel: str, mode: str) -> bool:
    kind = KINDS.get(rel)
    if kind == "sequence":
        return False
    if kind == "matview":
        return mode == pglocks.AEL
    return pglocks.blocks_writes(mode)


def test_corpus_is_large_and_covers_every_family() -> None:
    all_cases = cases()
    assert len(all_cases) >= 300
    assert len(set(all_cases)) == len(all_cases)
    for family in ("ALTER TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX", "DROP INDEX", "REINDEX", "VACUUM",
                   "CLUSTER", "REFRESH", "TRUNCATE", "CREATE TRIGGER", "DROP TRIGGER", "ALTER DOMAIN", "DROP VIEW",
                   "ATTACH PARTITION", "DETACH PARTITION", "CONCURRENTLY", "LOCK TABLE"):
        assert any(family in c for c in all_cases), family
    assert sum(";" in c for c in all_cases) >= 10  # transactions around them


def test_server_refuses_only_the_listed_cases(oracle: tuple[int, Results]) -> None:
    _, results = oracle
    refused = {c: o.error for c, (o, _g) in results.items() if o.error}
    assert set(refused) == set(REFUSED), refused
    for c, (part, _why) in REFUSED.items():
        assert part in str(refused[c]), (c, refused[c])


def test_classification_matches_the_server(oracle: tuple[int, Results]) -> None:
    """Lock modes, rewrites, scans: 0 unexplained disagreements."""
    _, results = oracle
    differ: dict[str, tuple[object, object]] = {}
    compared = 0
    for c, (o, g) in results.items():
        if o.error:
            continue
        compared += 1
        if o.autocommit:
            assert g.no_tx, f"PostgreSQL refuses {c!r} inside a transaction block; the gate must know"
            mine: tuple[object, ...] = (sorted(g.rewrite), sorted(g.scan - g.rewrite))
            theirs: tuple[object, ...] = (sorted(o.rewrite), sorted(o.scan - o.rewrite))
        else:
            assert not g.no_tx, c
            mine = (g.locks, sorted(g.rewrite), sorted(g.scan - g.rewrite))
            theirs = (o.locks, sorted(o.rewrite), sorted(o.scan - o.rewrite))
        if mine != theirs:
            differ[c] = (theirs, mine)
    assert compared >= 300
    unexplained = {c: d for c, d in differ.items() if c not in CLASSIFICATION}
    assert not unexplained, "\n".join(f"{c}\n  server {s}\n  gate   {m}" for c, (s, m) in unexplained.items())
    stale = set(CLASSIFICATION) - set(differ)
    assert not stale, f"listed differences that no longer differ: {sorted(stale)}"


def _verdict_differences(results: Results) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for c, (o, g) in results.items():
        if o.error:
            continue
        locks = g.locks if o.autocommit else o.locks  # autocommit: PostgreSQL's documented locks
        server_danger = any(_blocks(r, m) and (r in o.rewrite or r in o.scan) for r, m in locks.items())
        gate_danger = bool(g.rules - {"lock-timeout", "concurrently-in-transaction"})
        if server_danger != gate_danger:
            out.add(("DANGER", c))
        server_blocks = any(pglocks.blocks_writes(m) for m in locks.values()) and "lock_timeout" not in c
        if server_blocks != ("lock-timeout" in g.rules):
            out.add(("TIMEOUT", c))
    return out


def test_verdicts_follow_the_server_or_a_listed_policy(oracle: tuple[int, Results]) -> None:
    """A rule fires exactly when the server blocked traffic while rewriting or scanning (or a
    listed policy is stricter); lock-timeout exactly when it took a lock that blocks writes."""
    _, results = oracle
    diffs = _verdict_differences(results)
    explained = {d for d in diffs if any(d[0] == k and re.search(p, d[1]) for k, p, _ in POLICIES)}
    assert diffs == explained, sorted(diffs - explained)
    for kind, pattern, _why in POLICIES:
        assert any(k == kind and re.search(pattern, c) for k, c in diffs), f"stale policy {kind} {pattern}"


def test_each_rule_is_about_the_lock_the_server_takes(oracle: tuple[int, Results]) -> None:
    """Every rule of data.no-long-locks that fires on the corpus fires on a statement where the
    server took a lock of the level the rule is about (rules and their level in the docs)."""
    _, results = oracle
    level = {"index-not-concurrent": pglocks.SHARE, "reindex-not-concurrent": pglocks.SHARE,
             "drop-index-not-concurrent": pglocks.AEL, "constraint-not-valid": pglocks.SRE,
             "volatile-default": pglocks.AEL, "column-type": pglocks.AEL, "set-not-null": pglocks.AEL,
             "unique-not-using-index": pglocks.SHARE, "refresh-matview": pglocks.AEL, "table-rewrite": pglocks.SHARE,
             "scan-under-lock": pglocks.SHARE, "scan-in-transaction": pglocks.SHARE, "lock-timeout": pglocks.SHARE,
             "lock-table": pglocks.AEL}
    seen: set[str] = set()
    for c, (o, g) in results.items():
        if o.error or o.autocommit or c in CLASSIFICATION:
            continue
        strongest = max((pglocks.RANK[m] for m in o.locks.values()), default=-1)
        for rule in g.rules & set(level):
            seen.add(rule)
            kind = "TIMEOUT" if rule == "lock-timeout" else "DANGER"
            if any(k == kind and re.search(p, c) for k, p, _ in POLICIES):
                continue  # stricter by a listed policy
            assert strongest >= pglocks.RANK[level[rule]], (c, rule, o.locks)
    assert seen >= set(level) - {"lock-table", "required-column"}, set(level) - seen
