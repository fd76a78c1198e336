"""data.no-long-locks / data.expand-contract against squawk on a shared corpus.

The corpus is ``tests/fixtures/migrations/`` (one service's migrations, applied in order). squawk
runs on the same files; on every rule the two have in common, their findings must agree
(same file, same line, same rule family), except for the differences listed in ``INTENDED`` with
their reason. Rules only one of them has are listed in ``ONLY_PRODGATE`` / ``ONLY_SQUAWK``.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

from gate.sources.sql.migrations import replay
from gate.workspace import Workspace
from tests import squawk
from tests.helpers import ROOT, write_tree

CORPUS = ROOT / "tests" / "fixtures" / "migrations"

#: prodgate rule → family; squawk rule → family (the rules the two have in common)
MINE = {
    "index-not-concurrent": "create-index",
    "drop-index-not-concurrent": "drop-index",
    "reindex-not-concurrent": "reindex",
    "constraint-not-valid": "constraint-not-valid",
    "required-column": "required-column",
    "volatile-default": "volatile-default",
    "column-type": "column-type",
    "set-not-null": "set-not-null",
    "unique-not-using-index": "unique-using-index",
    "concurrently-in-transaction": "concurrently-in-transaction",
    "lock-timeout": "lock-timeout",
    # data.expand-contract (its other contract operations, ALTER COLUMN TYPE and SET NOT NULL on an
    # existing column, DROP DEFAULT, have no squawk counterpart as *contract* rules)
    "drop-column": "drop-column",
    "rename-column": "rename-column",
    "rename-table": "rename-table",
    "drop-table": "drop-table",
}
SQUAWK = {
    "require-concurrent-index-creation": "create-index",
    "require-concurrent-index-deletion": "drop-index",
    "require-concurrent-reindex": "reindex",
    "constraint-missing-not-valid": "constraint-not-valid",
    "adding-foreign-key-constraint": "constraint-not-valid",
    "adding-required-field": "required-column",
    "adding-field-with-default": "volatile-default",
    "changing-column-type": "column-type",
    "adding-not-nullable-field": "set-not-null",
    "disallowed-unique-constraint": "unique-using-index",
    "adding-serial-primary-key-field": "unique-using-index",
    "ban-concurrent-index-creation-in-transaction": "concurrently-in-transaction",
    "require-lock-timeout": "lock-timeout",
    "ban-drop-column": "drop-column",
    "renaming-column": "rename-column",
    "renaming-table": "rename-table",
    "ban-drop-table": "drop-table",
}
#: rules with no counterpart (not compared)
ONLY_PRODGATE = {
    "vacuum-full": "squawk has no rule for VACUUM FULL",
    "cluster": "squawk has no rule for CLUSTER",
    "lock-table": "squawk has no rule for LOCK TABLE",
    "refresh-matview": "squawk has no rule for REFRESH MATERIALIZED VIEW without CONCURRENTLY",
    "scan-in-transaction": "squawk does not follow the transaction a runner wraps a file in: VALIDATE after "
                           "ADD ... NOT VALID in the same transaction scans under the ADD's lock",
    "table-rewrite": "squawk has no rule for SET LOGGED/UNLOGGED, SET ACCESS METHOD and other rewrites",
    "scan-under-lock": "squawk has no rule for the other scans under a lock that blocks writes (domains...)",
    "domain-constraint": "squawk has no rule for ALTER DOMAIN",
}
#: (file, 1-based line, family, who reports it) → why the two differ on purpose
INTENDED = {
    ("0001_create_tables.sql", 7, "create-index", "squawk"):
        "the table was created in the same migration: the conventions exempt it (no reader or writer to block)",
    ("0001_create_tables.sql", 7, "lock-timeout", "squawk"):
        "same: a lock on a table created in the same migration blocks nobody, so no lock_timeout is needed",
    ("0001_create_tables.sql", 8, "required-column", "squawk"):
        "same: ADD COLUMN NOT NULL on a table created in the same migration (it has no rows)",
    ("0001_create_tables.sql", 9, "set-not-null", "squawk"):
        "same: SET NOT NULL on a table created in the same migration (nothing to scan)",
    ("0005_columns.sql", 8, "constraint-not-valid", "squawk"):
        "ADD COLUMN ... REFERENCES without a DEFAULT: the new column is NULL in every row and PostgreSQL "
        "checks nothing (the oracle, tests/oracle/, sees no scan); prodgate asks only for lock_timeout",
    ("0005_columns.sql", 9, "constraint-not-valid", "prodgate"):
        "ADD COLUMN ... DEFAULT 0 CHECK (...): PostgreSQL validates the CHECK against every row under the "
        "ACCESS EXCLUSIVE lock; squawk only looks at CHECKs added with ADD CONSTRAINT",
    ("0005_columns.sql", 11, "volatile-default", "prodgate"):
        "ADD COLUMN ... bigserial has the volatile default nextval(): PostgreSQL rewrites the table; "
        "squawk flags serial columns only as primary keys",
    ("0005_columns.sql", 13, "set-not-null", "prodgate"):
        "ADD CONSTRAINT ... NOT NULL col (PostgreSQL 18) is a SET NOT NULL: both tools flag the statement, "
        "squawk as constraint-missing-not-valid, prodgate as set-not-null (fix: NOT VALID, then VALIDATE)",
    ("0005_columns.sql", 13, "constraint-not-valid", "squawk"):
        "the same statement, under squawk's name",
}


def _families_mine(root: Path) -> set[tuple[str, int, str]]:
    rp = replay(Workspace(root), "services/c")
    assert rp.errors == []
    out = set()
    contract_families = {"drop-column", "rename-column", "rename-table", "drop-table"}
    for issue in rp.locks + [c for c in rp.contracts if c.rule in contract_families]:
        fam = MINE.get(issue.rule)
        if fam is None:
            assert issue.rule in ONLY_PRODGATE, issue.rule
            continue
        out.add((issue.where.migration.name, issue.where.line, fam))
    return _first_timeout_per_file(out)


def _families_squawk(files: list[Path]) -> set[tuple[str, int, str]]:
    found = squawk.run([str(f) for f in files])
    out: set[tuple[str, int, str]] = set()
    for d in found:
        fam = SQUAWK.get(d["rule_name"])
        if fam is not None:
            out.add((Path(d["file"]).name, int(d["line"]) + 1, fam))
    # squawk also calls a UNIQUE / PRIMARY KEY constraint "missing NOT VALID" (PostgreSQL has no
    # NOT VALID for them): that line is compared under unique-using-index only
    for name, line, fam in list(out):
        if fam == "unique-using-index":
            out.discard((name, line, "constraint-not-valid"))
    return _first_timeout_per_file(out)


def _first_timeout_per_file(found: set[tuple[str, int, str]]) -> set[tuple[str, int, str]]:
    """squawk reports a missing lock_timeout once per file (its first lock-taking statement);
    prodgate at every such statement: compare the first one of each file."""
    first: dict[str, int] = defaultdict(lambda: 10**9)
    for name, line, fam in found:
        if fam == "lock-timeout":
            first[name] = min(first[name], line)
    return {(n, ln, f) for n, ln, f in found if f != "lock-timeout" or first[n] == ln}


def test_corpus_agrees_with_squawk_on_common_rules(tmp_path: Path) -> None:
    exe = squawk.binary()
    assert exe
    files = sorted(CORPUS.glob("*.sql"))
    assert len(files) >= 9
    write_tree(tmp_path, {"services/c/service.yaml": "name: c\n"})
    mdir = tmp_path / "services/c/migrations"
    mdir.mkdir(parents=True)
    for f in files:
        shutil.copy(f, mdir / f.name)
    mine = _families_mine(tmp_path)
    theirs = _families_squawk(files)
    only_mine = {(*k, "prodgate") for k in mine - theirs}
    only_theirs = {(*k, "squawk") for k in theirs - mine}
    assert only_mine | only_theirs == set(INTENDED), (sorted(only_mine), sorted(only_theirs))
    # the comparison is not vacuous: every common family shows up in the corpus
    assert {f for _, _, f in mine & theirs} == set(SQUAWK.values())
