"""data.grants: Postgres role grants verified: append-only audit, no UPDATE/DELETE on ledger.

Static: the grants held after replaying every migration in order (REVOKE subtracts, ALL expands,
PUBLIC is a role, ON ALL TABLES IN SCHEMA and ALTER DEFAULT PRIVILEGES apply). An append-only
table (``audit_log``, ``*_audit``, ``data.append_only`` in service.yaml) may be granted only
SELECT and INSERT; a ledger table (``ledger``, ``*_ledger``, ``data.ledger``) never UPDATE, DELETE
or TRUNCATE. Live (``--database-url`` or ``data.database_url_env``): the same rules on the
privileges the database really grants (gate.sources.livedb); a database that cannot be read makes
the item ``unverified``, never ``pass``.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.model import Finding, Result, failed, passed, skipped, unverified, verdict
from gate.sources.livedb import LiveError, database_url, read_grants, redact
from gate.sources.migrations import Replay, pg_version, replay

APPEND_ONLY_ALLOWED = frozenset({"SELECT", "INSERT"})
LEDGER_FORBIDDEN = ("UPDATE", "DELETE", "TRUNCATE")


class Rules:
    def __init__(self, append_only: list[str], ledger: list[str]) -> None:
        self.append_only = {str(x) for x in append_only}
        self.ledger = {str(x) for x in ledger}

    def kind(self, table: str) -> str | None:
        """"append-only", "ledger" or None for a table name (``schema.name`` or ``name``)."""
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
        if rules.kind(name) is None:
            continue
        judged += 1
        for role in sorted(t.grants):
            held = t.grants[role]
            bad = rules.forbidden(name, set(held))
            by_stmt: dict[tuple[str, int], list[str]] = {}
            for p in bad:
                w = held[p]
                by_stmt.setdefault((w.path, w.line), []).append(p)
            for (path, line), privs in sorted(by_stmt.items()):
                who = "PUBLIC (every role)" if role == "PUBLIC" else f"role {role}"
                verb = "REVOKE " + ", ".join(privs) + f" ON {name} FROM {role}"
                findings.append(Finding(
                    f"{who} holds {', '.join(privs)} on {name} after the last migration (granted here): "
                    f"{rules.rule(name)}; grant only what it needs, or add `{verb}` in a new migration",
                    path, line, line, target=name))
    return findings, judged


def _patterns(rules: Rules) -> tuple[list[str], list[str]]:
    names = sorted({"audit_log", "ledger"} | {n.rpartition(".")[2] for n in rules.append_only | rules.ledger})
    return names, ["%\\_audit", "%\\_ledger"]


def check(ctx: Ctx) -> Result:
    rp = replay(ctx.ws, ctx.service.dir, pg_version(ctx.config))
    data = ctx.spec_dict("data")
    append_only, ledger = data.get("append_only"), data.get("ledger")
    rules = Rules(append_only if isinstance(append_only, list) else [], ledger if isinstance(ledger, list) else [])
    url, source = database_url(ctx.run.providers, ctx.config.raw)
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
