"""- An **append-only** table — named `audit_log`, ending in `_audit`, or listed in `service.yaml`
  `data.append_only` — may be granted only `SELECT` and `INSERT`.
- A **ledger** table — named `ledger`, ending in `_ledger`, or listed in `data.ledger` — may never
  be granted `UPDATE`, `DELETE` or `TRUNCATE`, to anyone (`PUBLIC` and `ALL` included; a
  column-level `UPDATE (col)` counts).

Table names are compared as PostgreSQL resolves unquoted names: without case, and a name listed
in `service.yaml` as `public.payments` is the table `payments` (the default schema), as is
`Payments`.

**Static** (always): the grants held after replaying every migration in order. `GRANT` adds,
`REVOKE` subtracts (`REVOKE GRANT OPTION FOR` keeps the privilege), `ALL [PRIVILEGES]` expands
to every table privilege, `PUBLIC` is a grantee like any role, `ON ALL TABLES IN SCHEMA s`
applies to the tables of `s` existing at that point, `ALTER DEFAULT PRIVILEGES` applies to the
tables created after it; grants follow renames and disappear with `DROP TABLE`. Each finding
points at the `GRANT` that gave the privilege still held at the end.

**Live** (when configured, not `--offline`): `--database-url URL` on `prodgate check`/`promote`,
or `data: {database_url_env: NAME}` in `.github/prod-readiness.yml` naming an environment
variable. The gate connects with psycopg 3, read-only by construction
(`default_transaction_read_only=on`, `statement_timeout=5s`, `lock_timeout=1s`,
`connect_timeout=5s`), reads only the catalog, and checks the same rules for **every
non-superuser role** with `has_table_privilege` / `has_any_column_privilege`, so privileges held
through role membership count (the message names the role it comes through), and so does a
`NOINHERIT` member that can `SET ROLE` to a role holding the privilege. Grants to `PUBLIC`
are read from the table ACLs. The table owner is left out (ownership implies every privilege);
members of the owner role are not. A connection that fails, or a configured variable that is
not set, makes the item `unverified` with the reason (never `pass`), unless the static half
already fails. Use a low-privilege login: reading the catalog needs no grant.

No migrations and no live database → `skip`.

SQL hidden in SQL is judged like top-level SQL, at its own line: the statements of a `DO $$ ...
$$` block and of a function or procedure body (PL/pgSQL through pglast's PL/pgSQL parser, or
`LANGUAGE sql`), and the text of an `EXECUTE` of a constant string (`'...'`, `$q$...$q$`, literals
joined with `||`), nested to 8 levels. An `EXECUTE` of a string built at run time
(`format(...)`, a variable) cannot be read before it runs: it fails the item with a finding
(`dynamic-sql`), as does a body in another procedural language.
A grant on a partition (`CREATE TABLE x PARTITION OF ledger`, `ATTACH PARTITION`) or an
inheritance child (`INHERITS (ledger)`, `ALTER TABLE x INHERIT ledger`) of an append-only or
ledger table is judged by that table's rule: the child's rows are the parent's rows, so
`GRANT UPDATE ON ledger_2026` lets a role update the ledger. The relation is the one after the
last migration (followed through renames; `DETACH PARTITION`/`NO INHERIT` end it), and the
finding, at the `GRANT`, names both tables.
A grant on a view reaches the tables the view reads (an updatable view writes them with its
owner's rights): `GRANT UPDATE ON v` where `v` reads `audit_log` counts as `UPDATE` on `audit_log`.
`ALTER TABLE t OWNER TO r` gives `r` every privilege on `t`.

## Evidence

repo (GRANT/REVOKE in migrations); live: a read-only database connection, when configured.

## How to fix

Grant only what the application needs (`GRANT SELECT, INSERT ON payment_audit TO app`), or add
a migration with `REVOKE UPDATE, DELETE, TRUNCATE ON ledger FROM app`. For a live finding through
membership, revoke the privilege from the parent role or the membership (`REVOKE writer FROM app`).

## How to waive

```yaml
targets: [payment_ledger]     # optional: only these tables
```
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, failed, passed, skipped, unverified, verdict
from gate.sources.sql.livedb import LiveError, database_url, read_grants, redact
from gate.sources.sql.migrations import Replay, pg_version, replay

APPEND_ONLY_ALLOWED = frozenset({"SELECT", "INSERT"})
LEDGER_FORBIDDEN = ("UPDATE", "DELETE", "TRUNCATE")


def _norm(name: str) -> str:
    """A table name as the rules compare it: lower case, without the ``public.`` schema (the
    replay's keys leave it out) or quotes."""
    name = name.strip().replace('"', "").lower()
    return name.removeprefix("public.")


class Rules:
    def __init__(self, append_only: list[str], ledger: list[str]) -> None:
        self.append_only = {_norm(str(x)) for x in append_only}
        self.ledger = {_norm(str(x)) for x in ledger}

    def kind(self, table: str) -> str | None:
        """"append-only", "ledger" or None for a table name (``schema.name`` or ``name``), compared
        without case and with ``public.`` left out, as the lists of ``service.yaml`` are written
        (``public.payments``, ``Payments``)."""
        table = _norm(table)
        base = table.rpartition(".")[2]
        if base == "audit_log" or base.endswith("_audit") or table in self.append_only or base in self.append_only:
            return "append-only"
        if base == "ledger" or base.endswith("_ledger") or table in self.ledger or base in self.ledger:
            return "ledger"
        return None

    def forbidden(self, table: str, privileges: set[str] | list[str]) -> list[str]:
        kind = self.kind(table)
        if kind == "append-only":
            return sorted(p for p in privileges if p not in APPEND_ONLY_ALLOWED)
        if kind == "ledger":
            return [p for p in LEDGER_FORBIDDEN if p in privileges]
        return []

    def rule(self, table: str) -> str:
        if self.kind(table) == "append-only":
            return f"{table} is append-only: grant only SELECT and INSERT"
        return f"{table} is a ledger table: never grant UPDATE, DELETE or TRUNCATE"


def _static(rp: Replay, rules: Rules) -> tuple[list[Finding], int]:
    findings: list[Finding] = []
    judged = 0
    for name in sorted(rp.tables):
        t = rp.tables[name]
        # the table's own rule, then that of each table it is a partition or inheritance child
        # of: its rows are that table's rows (UPDATE on the partition updates the ledger's)
        ruled: list[tuple[str, str]] = []  # (the table whose rule applies, its kind)
        for owner in (name, *rp.ancestors(name)):
            kind = rules.kind(owner)
            if kind is not None and all(k != kind for _, k in ruled):
                ruled.append((owner, kind))
        if not ruled:
            continue
        judged += 1
        for owner, _ in ruled:
            part = "" if owner == name else f", a partition or inheritance child of {owner} (its rows are {owner}'s rows),"
            for role in sorted(t.grants):
                held = t.grants[role]
                bad = rules.forbidden(owner, set(held))
                by_stmt: dict[tuple[str, int], list[str]] = {}
                for p in bad:
                    w = held[p]
                    by_stmt.setdefault((w.path, w.line), []).append(p)
                for (path, line), privs in sorted(by_stmt.items()):
                    who = "PUBLIC (every role)" if role == "PUBLIC" else f"role {role}"
                    verb = "REVOKE " + ", ".join(privs) + f" ON {name} FROM {role}"
                    findings.append(Finding(
                        f"{who} holds {', '.join(privs)} on {name}{part} after the last migration (granted here): "
                        f"{rules.rule(owner)}; grant only what it needs, or add `{verb}` in a new migration",
                        path, line, line, target=owner))
    return findings, judged


def _patterns(rules: Rules) -> tuple[list[str], list[str]]:
    names = sorted({"audit_log", "ledger"} | {n.rpartition(".")[2] for n in rules.append_only | rules.ledger})
    return names, ["%\\_audit", "%\\_ledger"]


def check(ctx: Ctx) -> Result:
    rp = replay(ctx.ws, ctx.service.dir, pg_version(ctx.config))
    data = ctx.spec_dict("data")
    append_only, ledger = data.get("append_only"), data.get("ledger")
    rules = Rules(append_only if isinstance(append_only, list) else [], ledger if isinstance(ledger, list) else [])
    url, source = database_url(ctx.run.providers, ctx.config.database_url_env)
    if not rp.migrations and url is None:
        return skipped("no migrations" + (f" ({source})" if source else ""))
    findings: list[Finding] = list(rp.errors)
    judged = 0
    if rp.migrations:
        static, judged = _static(rp, rules)
        findings += static
    static_ok = f"{judged} append-only/ledger table(s) in {len(rp.migrations)} migration(s), grants within the rules"
    if url is None:
        if source and not findings:
            return unverified(f"{static_ok}; live grants not read: {source}")
        return verdict(findings, static_ok)
    try:
        snap = read_grants(url, *_patterns(rules))
    except LiveError as exc:
        if findings:
            return failed(*findings)
        return unverified(f"{static_ok}; the live database ({redact(url)}, from {source}) could not be read: {exc}")
    by: dict[tuple[str, str, str], list[str]] = {}
    for g in snap.grants:
        name = g.table if g.schema == "public" else f"{g.schema}.{g.table}"
        if rules.forbidden(name, [g.privilege]):
            by.setdefault((name, g.role, g.via), []).append(g.privilege)
    for (name, role, via), privs in sorted(by.items()):
        who = "PUBLIC (every role)" if role == "PUBLIC" else f"role {role}"
        how = f" through membership in {via}" if via else ""
        findings.append(Finding(
            f"live database: {who} holds {', '.join(sorted(privs))} on {name}{how}: {rules.rule(name)}; "
            "REVOKE it (or the membership) in a migration", target=name))
    if findings:
        return failed(*findings)
    return passed(f"{static_ok}; live database (PostgreSQL {snap.server_version}, from {source}): "
                  f"{len(snap.tables)} append-only/ledger table(s), {snap.roles} non-superuser role(s) "
                  "within the rules (table owners excluded)")
