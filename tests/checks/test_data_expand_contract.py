"""data.expand-contract: contract operations, the base branch (git), immutable migrations."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from gate import gitrepo
from gate.model import Status
from tests.checks.data_fixture import BASE, repo
from tests.helpers import item, write_tree

ID = "data.expand-contract"
MIG = "services/pay/migrations"


def git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "HOME": str(root), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def committed(tmp: Path, migrations: dict[str, str]) -> str:
    root = repo(tmp, migrations)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    return git(root, "rev-parse", "HEAD").strip()


CONTRACTS = [
    ("ALTER TABLE payments DROP COLUMN amount;", "DROP COLUMN payments.amount is a contract operation"),
    ("DROP TABLE payments;", "DROP TABLE payments is a contract operation"),
    ("ALTER TABLE payments RENAME COLUMN note TO memo;", "RENAME COLUMN payments.note TO memo is a contract"),
    ("ALTER TABLE payments RENAME TO payment;", "ALTER TABLE payments RENAME TO payment is a contract"),
    ("ALTER TABLE payments ALTER COLUMN amount TYPE bigint;", "ALTER COLUMN payments.amount TYPE is a contract"),
    ("ALTER TABLE payments ALTER COLUMN amount SET NOT NULL;", "SET NOT NULL on existing column payments.amount"),
    ("ALTER TABLE payments ALTER COLUMN note DROP DEFAULT;", "DROP DEFAULT on NOT NULL column payments.note"),
    # a DROP TABLE and a RENAME TO in other words: they passed as expand migrations
    ("DROP SCHEMA public CASCADE;", "DROP SCHEMA public drops table payments: DROP TABLE payments is a contract"),
    ("DROP SCHEMA legacy CASCADE;", "DROP SCHEMA legacy CASCADE drops every table of legacy is a contract"),
    ("ALTER TABLE IF EXISTS public.payments SET SCHEMA archive;",
     "ALTER TABLE payments SET SCHEMA archive (a rename to archive.payments) is a contract operation"),
]


@pytest.mark.parametrize(("sql", "message"), CONTRACTS, ids=[c[1][:30] for c in CONTRACTS])
def test_contract_operation_outside_contract_migration_fails(tmp_path: Path, sql: str, message: str) -> None:
    root = repo(tmp_path, {"0001_init.sql": BASE, "0002_change.sql": "-- expand\nSET lock_timeout = '1s';\n" + sql + "\n"})
    res = item(root, "pay", ID)
    assert res.status == Status.FAIL
    f = res.findings[0]
    assert message in f.message and "`-- migrate: contract`" in f.message
    assert (f.path, f.line) == (f"{MIG}/0002_change.sql", 3)


@pytest.mark.parametrize(("sql", "message"), CONTRACTS[:3], ids=["drop-column", "drop-table", "rename"])
def test_contract_migration_without_base_is_unverified(tmp_path: Path, sql: str, message: str) -> None:
    root = repo(tmp_path, {"0001_init.sql": BASE, "0002_drop.sql": "-- migrate: contract\n" + sql + "\n"})
    res = item(root, "pay", ID)
    assert res.status == Status.UNVERIFIED
    assert "needs the base commit (prodgate check --base REF)" in res.reason


def test_expand_only_passes_without_base(tmp_path: Path) -> None:
    root = repo(tmp_path, {"0001_init.sql": BASE, "0002_add.sql": "ALTER TABLE payments ADD COLUMN memo text;\n"
                           "ALTER TABLE payments ALTER COLUMN memo SET NOT NULL;\n"
                           "ALTER TABLE payments ALTER COLUMN memo DROP DEFAULT;\n"})
    res = item(root, "pay", ID)
    assert res.status == Status.PASS
    assert res.reason == "2 migration(s), expand-only"


def test_not_applicable_to_tables_created_in_same_migration(tmp_path: Path) -> None:
    sql = "CREATE TABLE t (id int, brand_id uuid NOT NULL, x int);\nALTER TABLE t DROP COLUMN x;\nALTER TABLE t RENAME TO u;\n"
    assert item(repo(tmp_path, {"0001_init.sql": sql}), "pay", ID).status == Status.PASS
    sql = ("CREATE SCHEMA scratch;\nCREATE TABLE scratch.t (id int, brand_id uuid NOT NULL);\n"
           "CREATE TABLE v (id int, brand_id uuid NOT NULL);\nALTER TABLE v SET SCHEMA scratch;\n"
           "DROP SCHEMA scratch CASCADE;\nDROP SCHEMA empty;\n")
    assert item(repo(tmp_path / "schema", {"0001_init.sql": sql}), "pay", ID).status == Status.PASS


def test_contract_after_expand_on_base_passes(tmp_path: Path) -> None:
    base = committed(tmp_path, {"0001_init.sql": BASE, "0002_add_memo.sql": "ALTER TABLE payments ADD COLUMN memo text;\n"})
    write_tree(tmp_path, {f"{MIG}/0003_drop_note.sql": "-- migrate: contract\nALTER TABLE payments DROP COLUMN note;\n"})
    res = item(tmp_path, "pay", ID, base=base)
    assert res.status == Status.PASS, res.findings
    assert "1 new since" in res.reason


def test_contract_in_same_change_as_its_expand_fails(tmp_path: Path) -> None:
    base = committed(tmp_path, {"0001_init.sql": BASE})
    write_tree(tmp_path, {
        f"{MIG}/0002_add_memo.sql": "ALTER TABLE payments ADD COLUMN memo text;\n",
        f"{MIG}/0003_drop_note.sql": "-- migrate: contract\n-- the old column\nALTER TABLE payments DROP COLUMN note;\n",
    })
    res = item(tmp_path, "pay", ID, base="main")
    assert res.status == Status.FAIL
    f = res.findings[0]
    assert (f.path, f.line) == (f"{MIG}/0003_drop_note.sql", 3)
    assert "added in the same change as 0002_add_memo.sql, which expands payments" in f.message
    assert base  # resolved by name above


def test_contract_migration_that_expands_the_same_table_itself_fails(tmp_path: Path) -> None:
    """"The expand must already be on the base branch": a contract migration that adds a column
    to the table it contracts is the expand and the contract in one change."""
    committed(tmp_path, {"0001_init.sql": BASE})
    write_tree(tmp_path, {f"{MIG}/0002_swap.sql": "-- migrate: contract\nSET lock_timeout = '2s';\n"
                                                  "ALTER TABLE payments ADD COLUMN memo text;\n"
                                                  "ALTER TABLE payments DROP COLUMN note;\n"})
    res = item(tmp_path, "pay", ID, base="main")
    assert res.status == Status.FAIL
    (f,) = res.findings
    assert (f.path, f.line, f.rule) == (f"{MIG}/0002_swap.sql", 4, "contract-with-its-expand")
    assert f.message.startswith("DROP COLUMN payments.note: contract migration 0002_swap.sql also expands payments "
                                "(ADD COLUMN at line 3): an expand and a contract of one table in the same change")


def test_contract_migration_may_backfill_and_prepare_its_contract(tmp_path: Path) -> None:
    """A backfill before SET NOT NULL (and SET DEFAULT, the NOT VALID CHECK and its VALIDATE)
    serve the contract: allowed in it. A column added to another table is not this table's expand."""
    committed(tmp_path, {"0001_init.sql": BASE + "CREATE TABLE refunds (id int, brand_id uuid NOT NULL);\n"})
    write_tree(tmp_path, {f"{MIG}/0002_amount_not_null.sql": (
        "-- migrate: contract\nSET lock_timeout = '2s';\n"
        "UPDATE payments SET amount = 0 WHERE amount IS NULL;\n"
        "ALTER TABLE payments ALTER COLUMN amount SET DEFAULT 0;\n"
        "ALTER TABLE payments ADD CONSTRAINT amount_nn CHECK (amount IS NOT NULL) NOT VALID;\n"
        "ALTER TABLE payments VALIDATE CONSTRAINT amount_nn;\n"
        "ALTER TABLE payments ALTER COLUMN amount SET NOT NULL;\n"
        "ALTER TABLE refunds ADD COLUMN reason text;\n")})
    res = item(tmp_path, "pay", ID, base="main")
    assert res.status == Status.PASS, [(f.line, f.message) for f in res.findings]


def test_editing_a_migration_on_the_base_fails_at_the_changed_line(tmp_path: Path) -> None:
    committed(tmp_path, {"0001_init.sql": BASE})
    p = tmp_path / MIG / "0001_init.sql"
    lines = p.read_text().splitlines()
    lines[4] = "  amount bigint,"
    p.write_text("\n".join(lines) + "\n")
    res = item(tmp_path, "pay", ID, base="main")
    assert res.status == Status.FAIL
    f = res.findings[0]
    assert (f.path, f.line) == (f"{MIG}/0001_init.sql", 5)
    assert "already on the base branch (main) and was edited: applied migrations are immutable" in f.message


def test_deleting_a_migration_on_the_base_fails(tmp_path: Path) -> None:
    committed(tmp_path, {"0001_init.sql": BASE, "0002_x.sql": "SELECT 1;\n"})
    (tmp_path / MIG / "0002_x.sql").unlink()
    res = item(tmp_path, "pay", ID, base="main")
    assert res.status == Status.FAIL
    assert res.findings[0].path == f"{MIG}/0002_x.sql"
    assert "was deleted" in res.findings[0].message


def test_unknown_base_is_unverified_with_the_reason(tmp_path: Path) -> None:
    committed(tmp_path, {"0001_init.sql": BASE})
    res = item(tmp_path, "pay", ID, base="no-such-branch")
    assert res.status == Status.UNVERIFIED
    assert "cannot read the base commit no-such-branch from git" in res.reason


def test_option_like_base_is_refused(tmp_path: Path) -> None:
    committed(tmp_path, {"0001_init.sql": BASE})
    with pytest.raises(gitrepo.GitError, match="not a valid git revision"):
        gitrepo.ls_tree(tmp_path, "--output=/tmp/x", "services")


def test_gitrepo_helpers(tmp_path: Path) -> None:
    sha = committed(tmp_path, {"0001_init.sql": BASE})
    assert gitrepo.resolve(tmp_path, "main") == sha
    files = gitrepo.ls_tree(tmp_path, sha, MIG)
    data = (tmp_path / MIG / "0001_init.sql").read_bytes()
    assert files == {f"{MIG}/0001_init.sql": gitrepo.blob_id(data)}
    assert gitrepo.show(tmp_path, sha, f"{MIG}/0001_init.sql") == data
    (tmp_path / MIG / "0002_new.sql").write_text("SELECT 1;\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "next")
    assert gitrepo.diff_name_status(tmp_path, sha, MIG) == [("A", f"{MIG}/0002_new.sql")]
    with pytest.raises(gitrepo.GitError, match="is the base commit fetched"):
        gitrepo.ls_tree(tmp_path, "0" * 40, MIG)


def test_not_a_repository(tmp_path: Path) -> None:
    root = repo(tmp_path, {"0001_init.sql": BASE, "0002_c.sql": "-- migrate: contract\nDROP TABLE payments;\n"})
    res = item(root, "pay", ID, base="main")
    assert res.status == Status.UNVERIFIED
    assert "cannot read the base commit main from git" in res.reason


def test_cli_check_with_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from gate.cli import main

    committed(tmp_path, {"0001_init.sql": BASE})
    write_tree(tmp_path, {f"{MIG}/0002_add.sql": "ALTER TABLE payments ADD COLUMN memo text;\n",
                          f"{MIG}/0003_drop.sql": "-- migrate: contract\nALTER TABLE payments DROP COLUMN memo;\n"})
    code = main(["check", "--repo", str(tmp_path), "--only", ID, "--base", "main", "--format", "json",
                 "--now", "2026-11-29T12:00:00Z"])
    out = json.loads(capsys.readouterr().out)
    got = out["services"][0]["items"]
    it = next(i for i in got if i["id"] == ID)
    assert code == 1 and it["status"] == "fail"
    assert it["findings"][0]["line"] == 2 and "0002_add.sql, which expands payments" in it["findings"][0]["message"]
    code = main(["check", "--repo", str(tmp_path), "--only", ID, "--format", "json"])
    it = next(i for i in json.loads(capsys.readouterr().out)["services"][0]["items"] if i["id"] == ID)
    assert it["status"] == "unverified"
