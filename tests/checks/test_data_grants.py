"""data.grants: static (replayed GRANT/REVOKE) and live (a real PostgreSQL server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gate.engine import evaluate_service
from gate.model import ItemResult, Status
from gate.sources.sql.livedb import database_url, read_grants, redact
from tests import pg
from tests.checks.data_fixture import repo
from tests.helpers import make_run

ID = "data.grants"
LEDGER = "CREATE TABLE ledger (id bigint, brand_id uuid NOT NULL);\n"
AUDIT = "CREATE TABLE payment_audit (id bigint, brand_id uuid NOT NULL);\n"


def judge(root: Path, providers: Any = None, config_text: str | None = None) -> ItemResult:
    run = make_run(root, config_text=config_text)
    run.providers = providers
    svc = next(s for s in run.all_services if s.name == "pay")
    return evaluate_service(run, svc, frozenset({ID})).item(ID)


# -- static ---------------------------------------------------------------------------------------
STATIC_FAIL = [
    ("GRANT UPDATE ON ledger TO app;", "role app holds UPDATE on ledger", 2),
    ("GRANT ALL ON ledger TO app;", "role app holds UPDATE, DELETE, TRUNCATE on ledger", 2),
    ("GRANT ALL PRIVILEGES ON TABLE ledger TO PUBLIC;", "PUBLIC (every role) holds UPDATE, DELETE, TRUNCATE", 2),
    ("GRANT DELETE ON ALL TABLES IN SCHEMA public TO ops;", "role ops holds DELETE on ledger", 2),
    ("GRANT UPDATE (brand_id) ON ledger TO app;", "role app holds UPDATE on ledger", 2),
    ("GRANT SELECT, INSERT, UPDATE ON payment_audit TO app;", "payment_audit is append-only: grant only SELECT and INSERT", 2),
    ("GRANT TRUNCATE ON payment_audit TO app;", "role app holds TRUNCATE on payment_audit", 2),
    ("GRANT REFERENCES ON payment_audit TO app;", "role app holds REFERENCES on payment_audit", 2),
]


@pytest.mark.parametrize(("sql", "message", "line"), STATIC_FAIL, ids=[c[0][:36] for c in STATIC_FAIL])
def test_static_grant_fails_at_the_grant(tmp_path: Path, sql: str, message: str, line: int) -> None:
    root = repo(tmp_path, {"0001_init.sql": LEDGER + AUDIT, "0002_grants.sql": "-- grants\n" + sql + "\n"})
    res = judge(root)
    assert res.status == Status.FAIL
    hit = [f for f in res.findings if message in f.message]
    assert hit, [f.message for f in res.findings]
    assert (hit[0].path, hit[0].line) == ("services/pay/migrations/0002_grants.sql", line)


STATIC_PASS = [
    "GRANT SELECT, INSERT ON ledger, payment_audit TO app;",
    "GRANT ALL ON ledger TO app;\nREVOKE UPDATE, DELETE, TRUNCATE ON ledger FROM app;",
    "GRANT ALL ON ledger TO PUBLIC;\nREVOKE ALL ON ledger FROM PUBLIC;\nGRANT SELECT ON ledger TO PUBLIC;",
    "GRANT UPDATE ON payments TO app;",  # not a ledger
    "GRANT ALL ON ALL TABLES IN SCHEMA other TO app;",  # another schema
]


@pytest.mark.parametrize("sql", STATIC_PASS, ids=[p[:40] for p in STATIC_PASS])
def test_static_pass(tmp_path: Path, sql: str) -> None:
    root = repo(tmp_path, {"0001_init.sql": LEDGER + AUDIT + "CREATE TABLE payments (brand_id uuid NOT NULL);\n",
                           "0002_grants.sql": sql + "\n"})
    res = judge(root)
    assert res.status == Status.PASS, [f.message for f in res.findings]
    assert "2 append-only/ledger table(s) in 2 migration(s), grants within the rules" in res.reason


def test_revoke_grant_option_keeps_the_privilege(tmp_path: Path) -> None:
    sql = "GRANT UPDATE ON ledger TO app WITH GRANT OPTION;\nREVOKE GRANT OPTION FOR UPDATE ON ledger FROM app;\n"
    res = judge(repo(tmp_path, {"0001_init.sql": LEDGER, "0002_g.sql": sql}))
    assert res.status == Status.FAIL and res.findings[0].line == 1


def test_service_yaml_lists_and_default_privileges(tmp_path: Path) -> None:
    yaml = "name: pay\ndata:\n  append_only: [events]\n  ledger: [balances]\n"
    sql = ("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO app;\n"
           "CREATE TABLE events (brand_id uuid NOT NULL);\nCREATE TABLE balances (brand_id uuid NOT NULL);\n"
           "CREATE TABLE other (brand_id uuid NOT NULL);\n")
    res = judge(repo(tmp_path, {"0001_init.sql": sql}, service_yaml=yaml))
    assert res.status == Status.FAIL
    assert [(f.line, f.target) for f in res.findings] == [(1, "balances"), (1, "events")]


def test_service_yaml_lists_match_as_postgres_names_tables(tmp_path: Path) -> None:
    """A table listed in data.ledger / data.append_only as `public.balances` or `Balances` is the
    table `balances` of the migrations (`public` is the default schema, unquoted names fold to
    lower case): a GRANT UPDATE on it passed before."""
    sql = ("CREATE TABLE balances (brand_id uuid NOT NULL);\nCREATE TABLE events (brand_id uuid NOT NULL);\n"
           "GRANT UPDATE ON public.balances TO app;\nGRANT DELETE ON Events TO app;\n")
    for i, (ledger, append_only) in enumerate([("public.balances", "public.events"), ("Balances", "EVENTS"),
                                               ('"public"."balances"', "events")]):
        yaml = f"name: pay\ndata:\n  append_only: ['{append_only}']\n  ledger: ['{ledger}']\n"
        res = judge(repo(tmp_path / str(i), {"0001_init.sql": sql}, service_yaml=yaml))
        assert res.status == Status.FAIL, (ledger, append_only)
        assert [(f.line, f.target, f.message.partition(":")[0]) for f in res.findings] == [
            (3, "balances", "role app holds UPDATE on balances after the last migration (granted here)"),
            (4, "events", "role app holds DELETE on events after the last migration (granted here)"),
        ], (ledger, append_only)


def test_grants_follow_renames_and_drops(tmp_path: Path) -> None:
    sql = ("CREATE TABLE entries (brand_id uuid NOT NULL);\nGRANT UPDATE ON entries TO app;\n"
           "ALTER TABLE entries RENAME TO entry_ledger;\n"
           "CREATE TABLE ledger (brand_id uuid NOT NULL);\nGRANT DELETE ON ledger TO app;\nDROP TABLE ledger;\n")
    res = judge(repo(tmp_path, {"0001_init.sql": sql}))
    assert [(f.line, f.target) for f in res.findings] == [(2, "entry_ledger")]


def test_grants_on_partitions_and_inheritance_children_follow_the_parent_rule(tmp_path: Path) -> None:
    """A partition or inheritance child of a ledger (append-only) table holds that table's rows:
    UPDATE on the child updates the ledger. Judged on the relation after the last migration."""
    base = ("CREATE TABLE pay_ledger (id bigint, brand_id uuid NOT NULL) PARTITION BY RANGE (id);\n"
            "CREATE TABLE entries_audit (id bigint, brand_id uuid NOT NULL);\n")
    cases = {
        "partition": ("CREATE TABLE x PARTITION OF pay_ledger FOR VALUES FROM (0) TO (10);\nGRANT UPDATE ON x TO app;\n",
                      "x", "pay_ledger", "UPDATE", 2),
        "inherits": ("CREATE TABLE y (note text) INHERITS (entries_audit);\nGRANT SELECT, DELETE ON y TO app;\n",
                     "y", "entries_audit", "DELETE", 2),
        "attached-renamed": ("CREATE TABLE z (id bigint, brand_id uuid NOT NULL);\nGRANT TRUNCATE ON z TO app;\n"
                             "ALTER TABLE pay_ledger ATTACH PARTITION z FOR VALUES FROM (10) TO (20);\n"
                             "ALTER TABLE z RENAME TO z2;\n", "z2", "pay_ledger", "TRUNCATE", 2),
        "inherit-later": ("CREATE TABLE w (id bigint, brand_id uuid NOT NULL);\n"
                          "ALTER TABLE w INHERIT entries_audit;\nGRANT UPDATE ON w TO PUBLIC;\n",
                          "w", "entries_audit", "UPDATE", 3),
    }
    for name, (sql, child, parent, priv, line) in cases.items():
        res = judge(repo(tmp_path / name, {"0001_init.sql": base, "0002_child.sql": sql}))
        assert res.status == Status.FAIL, (name, res.reason)
        (f,) = res.findings
        assert (f.path, f.line, f.target) == ("services/pay/migrations/0002_child.sql", line, parent), name
        who = "PUBLIC (every role)" if "PUBLIC" in sql else "role app"
        rule = (f"{parent} is a ledger table: never grant UPDATE, DELETE or TRUNCATE" if parent == "pay_ledger"
                else f"{parent} is append-only: grant only SELECT and INSERT")
        assert f.message.startswith(
            f"{who} holds {priv} on {child}, a partition or inheritance child of {parent} (its rows are {parent}'s "
            f"rows), after the last migration (granted here): {rule}; grant only what it needs, or add "
            f"`REVOKE {priv} ON {child} FROM {'PUBLIC' if 'PUBLIC' in sql else 'app'}`"), (name, f.message)
    detached = ("CREATE TABLE x PARTITION OF pay_ledger FOR VALUES FROM (0) TO (10);\n"
                "ALTER TABLE pay_ledger DETACH PARTITION x;\nGRANT UPDATE ON x TO app;\n"
                "CREATE TABLE y () INHERITS (entries_audit);\nALTER TABLE y NO INHERIT entries_audit;\n"
                "GRANT DELETE ON y TO app;\n")
    res = judge(repo(tmp_path / "detached", {"0001_init.sql": base, "0002_child.sql": detached}))
    assert res.status == Status.PASS, [f.message for f in res.findings]


def test_no_migrations_is_skip(tmp_path: Path) -> None:
    res = judge(repo(tmp_path, {}))
    assert res.status == Status.SKIP and res.reason == "no migrations"


def test_database_url_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = "PAY_DB"
    assert database_url({"database_url": "postgresql://x"}, cfg) == ("postgresql://x", "--database-url")
    monkeypatch.delenv("PAY_DB", raising=False)
    assert database_url(None, cfg) == (None, "data.database_url_env names PAY_DB, which is not set here")
    monkeypatch.setenv("PAY_DB", "postgresql://y")
    assert database_url(None, cfg) == ("postgresql://y", "$PAY_DB (data.database_url_env)")
    assert database_url({"offline": True}, cfg)[0] is None
    assert database_url(None, None) == (None, "")

    class Providers:
        database_url = "postgresql://z"
        offline = False

    assert database_url(Providers(), cfg) == ("postgresql://z", "--database-url")
    assert redact("postgresql://u:secret@h:5/db") == "postgresql://u:***@h:5/db"


def test_configured_but_unset_env_is_unverified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAY_DB_URL", raising=False)
    root = repo(tmp_path, {"0001_init.sql": LEDGER})
    res = judge(root, config_text="data: {database_url_env: PAY_DB_URL}\n")
    assert res.status == Status.UNVERIFIED
    assert "names PAY_DB_URL, which is not set here" in res.reason


def test_connection_failure_is_unverified_never_pass(tmp_path: Path) -> None:
    root = repo(tmp_path, {"0001_init.sql": LEDGER})
    res = judge(root, {"database_url": "postgresql://nobody:pw@127.0.0.1:1/none"})
    assert res.status == Status.UNVERIFIED
    assert "could not be read" in res.reason and "pw@" not in res.reason


# -- live -----------------------------------------------------------------------------------------
SETUP = [
    "CREATE ROLE app LOGIN",
    "CREATE ROLE ledger_writer NOLOGIN",
    "CREATE ROLE batch LOGIN IN ROLE ledger_writer",
    "CREATE ROLE setter LOGIN NOINHERIT IN ROLE ledger_writer",  # no inherited privilege, but SET ROLE
    "CREATE ROLE auditor LOGIN",
    "CREATE ROLE gate_reader LOGIN PASSWORD 'reader-pw'",
    "CREATE ROLE migrator LOGIN",
    "CREATE ROLE owner_member LOGIN IN ROLE migrator",
    "CREATE DATABASE bad",
    "CREATE DATABASE good",
]
BAD = [
    "CREATE TABLE ledger (id bigint, brand_id uuid NOT NULL)",
    "CREATE TABLE payment_ledger (id bigint, brand_id uuid NOT NULL)",
    "CREATE TABLE audit_log (id bigint, brand_id uuid NOT NULL)",
    "CREATE TABLE notes (id bigint)",
    "GRANT ALL ON ledger TO app",  # UPDATE through GRANT ALL
    "GRANT SELECT, UPDATE ON payment_ledger TO ledger_writer",  # batch holds it through membership
    "GRANT SELECT, INSERT ON audit_log TO auditor",
    "GRANT DELETE ON audit_log TO PUBLIC",
    "GRANT ALL ON notes TO app",  # not a ledger: fine
    "ALTER TABLE payment_ledger OWNER TO migrator",  # owner excluded; its member is not
]
GOOD = [
    "CREATE TABLE ledger (id bigint, brand_id uuid NOT NULL)",
    "CREATE TABLE audit_log (id bigint, brand_id uuid NOT NULL)",
    "GRANT SELECT, INSERT ON ledger, audit_log TO app",
    "GRANT SELECT ON ledger TO PUBLIC",
]


@pytest.fixture(scope="module")
def server() -> Iterator[pg.Server]:
    srv = pg.start()
    try:
        import psycopg

        with psycopg.connect(srv.url(), autocommit=True) as conn:
            for s in SETUP:
                conn.execute(s)
        for db, stmts in (("bad", BAD), ("good", GOOD)):
            with psycopg.connect(srv.url(dbname=db), autocommit=True) as conn:
                for s in stmts:
                    conn.execute(s)
        yield srv
    finally:
        srv.stop()


def test_live_reads_effective_privileges(server: pg.Server) -> None:
    snap = read_grants(server.url("gate_reader", "bad", "reader-pw"), ["audit_log", "ledger"], ["%\\_audit", "%\\_ledger"])
    got = {(g.table, g.role, g.privilege, g.via) for g in snap.grants}
    assert ("ledger", "app", "UPDATE", "") in got
    assert ("payment_ledger", "batch", "UPDATE", "ledger_writer") in got
    assert ("payment_ledger", "ledger_writer", "UPDATE", "") in got
    assert ("payment_ledger", "owner_member", "UPDATE", "migrator") in got
    assert ("payment_ledger", "setter", "UPDATE", "ledger_writer") in got
    assert ("audit_log", "PUBLIC", "DELETE", "") in got
    assert not any(g.role == "migrator" for g in snap.grants)  # the owner is left out
    assert not any(g.table == "notes" for g in snap.grants)
    assert int(snap.server_version) >= 100000


def test_live_failures_with_role_membership_and_grant_all(tmp_path: Path, server: pg.Server) -> None:
    root = repo(tmp_path, {})  # no migrations: the live half alone
    res = judge(root, {"database_url": server.url("gate_reader", "bad", "reader-pw")})
    assert res.status == Status.FAIL
    msgs = [f.message for f in res.findings]
    assert any(m.startswith("live database: role app holds DELETE, TRUNCATE, UPDATE on ledger: ledger is a ledger table")
               for m in msgs)
    assert any("role batch holds UPDATE on payment_ledger through membership in ledger_writer" in m for m in msgs)
    assert any("role owner_member holds" in m and "through membership in migrator" in m for m in msgs)
    assert any("PUBLIC (every role) holds DELETE on audit_log" in m for m in msgs)
    assert not any("auditor" in m for m in msgs)
    assert all(f.target in ("ledger", "payment_ledger", "audit_log") for f in res.findings)


def test_live_pass_on_a_clean_database(tmp_path: Path, server: pg.Server) -> None:
    root = repo(tmp_path, {"0001_init.sql": LEDGER + "GRANT SELECT, INSERT ON ledger TO app;\n"})
    res = judge(root, {"database_url": server.url("gate_reader", "good", "reader-pw")})
    assert res.status == Status.PASS, [f.message for f in res.findings]
    assert "live database (PostgreSQL" in res.reason and "2 append-only/ledger table(s)" in res.reason


def test_live_from_config_env(tmp_path: Path, server: pg.Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAY_DB_URL", server.url("gate_reader", "bad", "reader-pw"))
    res = judge(repo(tmp_path, {"0001_init.sql": LEDGER}), None, "data: {database_url_env: PAY_DB_URL}\n")
    assert res.status == Status.FAIL
    assert any("through membership in ledger_writer" in f.message for f in res.findings)


def test_live_session_is_read_only(server: pg.Server) -> None:
    import psycopg

    from gate.sources.sql import livedb
    with psycopg.connect(server.url("gate_reader", "good", "reader-pw"), options=livedb.OPTIONS, autocommit=True) as conn:
        row = conn.execute("SHOW default_transaction_read_only").fetchone()
        assert row is not None and row[0] == "on"
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TABLE x (id int)")


def test_live_wrong_password_is_unverified(tmp_path: Path, server: pg.Server) -> None:
    res = judge(repo(tmp_path, {"0001_init.sql": LEDGER}), {"database_url": server.url("nosuchrole", "good", "pw")})
    assert res.status == Status.UNVERIFIED
    assert 'role "nosuchrole" does not exist' in res.reason


def test_cli_database_url_and_offline(tmp_path: Path, server: pg.Server, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from gate.cli import main

    root = repo(tmp_path, {"0001_init.sql": LEDGER + "GRANT SELECT, INSERT ON ledger TO app;\n"})
    url = server.url("gate_reader", "bad", "reader-pw")

    def run(*extra: str) -> dict[str, Any]:
        main(["check", "--repo", str(root), "--only", ID, "--format", "json", *extra])
        out = json.loads(capsys.readouterr().out)
        found: dict[str, Any] = next(i for i in out["services"][0]["items"] if i["id"] == ID)
        return found

    bad = run("--database-url", url)
    assert bad["status"] == "fail"
    assert any("through membership in ledger_writer" in f["message"] for f in bad["findings"])
    off = run("--database-url", url, "--offline")
    assert off["status"] == "unverified" and "--offline" in off["reason"]
    assert run()["status"] == "pass"  # static only: no live database configured


def test_each_migration_read_and_parsed_once(tmp_path: Path) -> None:
    from gate.engine import evaluate_service

    root = repo(tmp_path, {"0001_init.sql": LEDGER, "0002_g.sql": "GRANT SELECT ON ledger TO app;\n"},
                runbook="# R\n\n## Rollback\n\nMigrations are expand-only.\n")
    run = make_run(root)
    svc = next(s for s in run.all_services if s.name == "pay")
    items = frozenset({"data.brand-id", "data.no-long-locks", "data.expand-contract", "data.rollback-doc", ID})
    rep = evaluate_service(run, svc, items)
    assert {i.id: i.status for i in rep.items if i.id in items} == dict.fromkeys(items, Status.PASS)
    reads = {k: v for k, v in run.ws.reads.items() if "/migrations/" in k}
    assert reads == {"services/pay/migrations/0001_init.sql": 1, "services/pay/migrations/0002_g.sql": 1}
