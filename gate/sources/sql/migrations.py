"""A service's migrations, parsed once and replayed in order: the analysis every ``data.*`` item
shares.

``migrations/NNNN_<slug>.sql`` files are applied in lexical order. Each is parsed once with
pglast (:mod:`gate.sources.sql.parse`: a syntax error is reported at the parser's position and every
other statement is still replayed). The replay (:func:`replay`, computed once per service with
``ws.derive``) follows what PostgreSQL would do, statement by statement:

- which tables exist (created, renamed, dropped), which were created in the migration being
  replayed, their columns, which are ``NOT NULL``, which have a validated
  ``CHECK (col IS NOT NULL)``, which indexes belong to which table;
- which privileges each role holds on each table after each statement (``GRANT``/``REVOKE``,
  ``ALL`` expanded, ``PUBLIC`` as a role, ``ON ALL TABLES IN SCHEMA``, ``ALTER DEFAULT
  PRIVILEGES`` applied to the tables created after it), with the statement that granted it;
- per file: inside ``BEGIN``/``COMMIT`` or not, ``SET lock_timeout`` seen or not.

It records, per statement, the *lock issues* (``data.no-long-locks``), the *contract
operations* (``data.expand-contract``) and the tables each migration *expands*. The checks turn
these into findings; node kinds and enum values are compared by name (pglast's JSON form), never
by number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gate.model import Finding
from gate.sources.sql import pglocks
from gate.sources.sql.parse import Node, SqlFile, Statement
from gate.sources.sql.pglocks import ColumnType, Effect, blocks_writes, human
from gate.workspace import Workspace

CONTRACT_RE = re.compile(r"^\s*--\s*migrate\s*:\s*contract\s*$", re.IGNORECASE)

#: the privileges of a table; ``ALL`` means all of them
TABLE_PRIVILEGES: tuple[str, ...] = (
    "SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN",
)
PUBLIC = "PUBLIC"
#: the privileges on a view that reach the tables under it (an updatable view writes them)
VIEW_PRIVILEGES = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})
#: ``CREATE_TABLE_LIKE_DEFAULTS``: the bit of a ``LIKE`` clause's options for INCLUDING DEFAULTS
LIKE_DEFAULTS = 1 << 3

#: functions a column DEFAULT may call without PostgreSQL rewriting the table (stable or
#: immutable built-ins); any other function (user-defined ones are VOLATILE unless declared
#: otherwise) is treated as volatile
NON_VOLATILE_FUNCS = frozenset({
    "now", "statement_timestamp", "transaction_timestamp", "current_timestamp", "current_date",
    "localtimestamp", "lower", "upper", "btrim", "trim", "ltrim", "rtrim", "length", "concat",
    "concat_ws", "nullif", "greatest", "least", "jsonb_build_object", "json_build_object",
    "jsonb_build_array", "json_build_array", "to_jsonb", "to_json", "make_interval", "make_date",
    "make_time", "make_timestamp", "make_timestamptz", "date_trunc", "md5", "abs", "round",
    "timezone", "to_timestamp", "to_char", "to_date", "substr", "substring", "replace", "left",
    "right", "array_fill", "int4", "int8", "text", "numeric", "jsonb", "json",
})
SERIAL_TYPES = frozenset({"serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"})


@dataclass(frozen=True)
class Migration:
    path: str  # repo-relative
    name: str  # file name, e.g. 0003_add_refunds.sql
    contract: bool  # first line is ``-- migrate: contract``
    sql: SqlFile


@dataclass(frozen=True)
class Where:
    """A statement of a migration: where a finding points."""

    migration: Migration
    stmt: Statement

    @property
    def path(self) -> str:
        return self.migration.path

    @property
    def line(self) -> int:
        return self.stmt.line

    def finding(self, message: str, target: str | None = None, rule: str | None = None) -> Finding:
        return Finding(message, self.path, self.stmt.line, self.stmt.end_line, target=target, rule=rule)


@dataclass(frozen=True)
class Issue:
    """One lock problem (``data.no-long-locks``) or contract operation (``data.expand-contract``).

    ``rule`` is a stable name (``index-not-concurrent``, ``drop-column``...), used by the docs and
    the squawk comparison; ``message`` says what is wrong and how to fix it."""

    where: Where
    rule: str
    message: str
    table: str | None = None


@dataclass
class Column:
    not_null: bool = False
    has_default: bool = False
    type_node: Any = None  # the parsed type name (None: unknown)

    @property
    def type(self) -> ColumnType | None:
        return pglocks.column_type(self.type_node)


@dataclass
class Table:
    name: str
    created: Where | None = None  # None: not created by these migrations (only referenced)
    temp: bool = False
    columns: dict[str, Column] = field(default_factory=dict)
    #: columns with a validated CHECK (col IS NOT NULL)
    checked_not_null: set[str] = field(default_factory=set)
    #: NOT VALID checks (constraint name → column) waiting for VALIDATE CONSTRAINT
    pending_checks: dict[str, str] = field(default_factory=dict)
    #: NOT VALID NOT NULL constraints (PostgreSQL 18; name → column) waiting for VALIDATE
    pending_not_null: dict[str, str] = field(default_factory=dict)
    #: foreign keys: constraint name → referenced table
    fks: dict[str, str] = field(default_factory=dict)
    #: where brand_id stopped being NOT NULL (dropped, DROP NOT NULL, renamed away)
    brand_fault: Where | None = None
    #: role → privilege → the statement that granted it
    grants: dict[str, dict[str, Where]] = field(default_factory=dict)


@dataclass
class CreatedTable:
    """A ``CREATE TABLE`` statement and the table it made (followed through renames)."""

    where: Where
    table: Table


@dataclass
class Replay:
    migrations: list[Migration]
    #: parse errors, one finding each at the parser's position
    errors: list[Finding] = field(default_factory=list)
    #: the tables after the last migration (key: name, ``schema.name`` outside ``public``)
    tables: dict[str, Table] = field(default_factory=dict)
    created: list[CreatedTable] = field(default_factory=list)
    locks: list[Issue] = field(default_factory=list)
    contracts: list[Issue] = field(default_factory=list)
    #: migration path → tables it expands (creates, alters, indexes, backfills) outside contract ops
    expands: dict[str, set[str]] = field(default_factory=dict)
    #: migration path → table → its first ``ADD COLUMN`` there (a new column: the expand proper)
    added_columns: dict[str, dict[str, Where]] = field(default_factory=dict)
    #: what each statement that locks a relation of an earlier migration (or that a transaction
    #: block refuses) does to the relations it names (gate.sources.sql.pglocks), in order
    effects: list[tuple[Where, Effect]] = field(default_factory=list)
    #: the PostgreSQL major version the rules assumed (``postgres.version``)
    version: int = pglocks.LATEST
    #: after the last migration: table → the tables it is a partition or inheritance child of
    #: (``PARTITION OF``, ``INHERITS``, ``ATTACH PARTITION``, ``INHERIT``), followed through renames
    parents: dict[str, list[str]] = field(default_factory=dict)

    def ancestors(self, table: str) -> list[str]:
        """The tables whose rows ``table``'s rows are (its parents, theirs...), nearest first."""
        out: list[str] = []
        todo = list(self.parents.get(table, ()))
        while todo and len(out) < 10_000:
            p = todo.pop(0)
            if p not in out and p != table:
                out.append(p)
                todo.extend(self.parents.get(p, ()))
        return out


# -- the migration files --------------------------------------------------------------------------
def is_migration(path: str, mdir: str) -> bool:
    """A ``.sql`` file directly in ``mdir``; down migrations (``*.down.sql``) are rollback
    procedure, not replayed. Names that do not follow ``NNNN_<slug>.sql`` are still migrations
    (a misnamed file is applied by the runner all the same: it must not escape the checks)."""
    folder, _, name = path.rpartition("/")
    return folder == mdir and name.endswith(".sql") and not name.endswith(".down.sql")


def migration_files(ws: Workspace, service_dir: str) -> list[str]:
    """``migrations/NNNN_<slug>.sql`` of the service, in lexical (application) order."""
    mdir = f"{service_dir}/migrations"
    return sorted((p for p in ws.files(mdir, (".sql",)) if is_migration(p, mdir)), key=lambda p: p.rpartition("/")[2])


def load(ws: Workspace, service_dir: str) -> list[Migration]:
    out: list[Migration] = []
    for path in migration_files(ws, service_dir):
        sql = ws.sql(path)
        if sql is None:
            continue
        first = sql.text.split("\n", 1)[0]
        out.append(Migration(path, path.rpartition("/")[2], bool(CONTRACT_RE.match(first)), sql))
    return out


def replay_migrations(migrations: list[Migration], version: int = pglocks.LATEST, classify_all: bool = False) -> Replay:
    """The replay of these migrations, in order (no workspace, no caching: for tests and tools);
    ``classify_all``: record the effect of every statement, even where it cannot change a verdict."""
    return _Replayer(migrations, version, classify_all).run()


def replay(ws: Workspace, service_dir: str, version: int = pglocks.LATEST) -> Replay:
    """The replay of the service's migrations for PostgreSQL ``version`` (computed once per run)."""
    return ws.derive("migrations-replay", f"{service_dir}|{version}",
                     lambda: _Replayer(load(ws, service_dir), version).run())


def pg_version(config: Any) -> int:
    """``postgres.version`` of the configuration (default: the latest version the rules know)."""
    v = config.postgres_version if config is not None else None
    return int(v) if isinstance(v, int) and not isinstance(v, bool) else pglocks.LATEST


# -- node helpers ---------------------------------------------------------------------------------
_one = pglocks.one
_strs = pglocks.strs


def table_key(relation: Node | None) -> str:
    """The replay's name of a table: ``name``, or ``schema.name`` outside ``public``."""
    if not relation:
        return ""
    name = str(relation.get("relname", ""))
    schema = relation.get("schemaname")
    return f"{schema}.{name}" if schema and schema != "public" else name


def _qual_key(names: list[str]) -> str:
    if len(names) >= 2 and names[-2] != "public":
        return f"{names[-2]}.{names[-1]}"
    return names[-1] if names else ""


def _schema_of(key: str) -> str:
    return key.rpartition(".")[0] or "public"


def _walk(node: Any) -> Iterator[tuple[str, Node]]:
    """Every typed node below ``node`` (depth first)."""
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            for k, v in cur.items():
                if isinstance(v, dict):
                    if k[:1].isupper():
                        yield k, v
                    stack.append(v)
                elif isinstance(v, list):
                    stack.extend(v)
        elif isinstance(cur, list):
            stack.extend(cur)


def volatile_call(expr: Any, user_funcs: dict[str, bool] | None = None) -> str | None:
    """The first function a DEFAULT expression calls that is not known stable/immutable: a
    function the migrations create (``user_funcs``: name → declared VOLATILE, the default) counts
    as declared; otherwise a built-in of ``pg_catalog`` in :data:`NON_VOLATILE_FUNCS`, not qualified
    by another schema. Unknown means volatile."""
    for kind, body in _walk({"x": expr}):
        if kind == "FuncCall":
            names = [n.lower() for n in _strs(body.get("funcname"))]
            name = names[-1] if names else ""
            if user_funcs and name in user_funcs and (len(names) < 2 or names[-2] == "public"):
                volatile = user_funcs[name]
            else:
                volatile = name not in NON_VOLATILE_FUNCS or not (len(names) < 2 or names[-2] == "pg_catalog")
            if volatile:
                return f"{'.'.join(_strs(body.get('funcname')))}()"
    return None


def not_null_check_column(expr: Any) -> str | None:
    """``col IS NOT NULL`` → ``col`` (the CHECK that lets SET NOT NULL skip its scan)."""
    kind, body = _one(expr)
    if kind == "NullTest" and body.get("nulltesttype") == "IS_NOT_NULL":
        ref_kind, ref = _one(body.get("arg"))
        if ref_kind == "ColumnRef":
            names = _strs(ref.get("fields"))
            if names:
                return names[-1]
    return None


def _constraints(coldef: Node) -> list[Node]:
    out = []
    for c in coldef.get("constraints") or []:
        kind, body = _one(c)
        if kind == "Constraint":
            out.append(body)
    return out


def _column_of(coldef: Node) -> Column:
    cons = _constraints(coldef)
    types = {c.get("contype") for c in cons}
    type_names = _strs((coldef.get("typeName") or {}).get("names"))
    serial = bool(type_names) and type_names[-1].lower() in SERIAL_TYPES
    not_null = bool(coldef.get("is_not_null")) or bool(types & {"CONSTR_NOTNULL", "CONSTR_PRIMARY"}) or serial
    has_default = bool(types & {"CONSTR_DEFAULT", "CONSTR_IDENTITY", "CONSTR_GENERATED"}) or serial
    return Column(not_null, has_default, coldef.get("typeName"))


def _privileges(stmt: Node) -> list[str]:
    privs = stmt.get("privileges")
    if not privs:
        return list(TABLE_PRIVILEGES)  # ALL [PRIVILEGES]
    out: list[str] = []
    for p in privs:
        kind, body = _one(p)
        if kind == "AccessPriv":
            name = str(body.get("priv_name") or "").upper()
            out.extend(TABLE_PRIVILEGES if name in ("", "ALL") else [name])
    return out


def _grantees(stmt: Node) -> list[str]:
    out: list[str] = []
    for g in stmt.get("grantees") or []:
        kind, body = _one(g)
        if kind != "RoleSpec":
            continue
        rt = body.get("roletype")
        if rt == "ROLESPEC_PUBLIC":
            out.append(PUBLIC)
        elif rt == "ROLESPEC_CSTRING":
            out.append(str(body.get("rolename", "")))
        else:
            out.append(str(rt or "").removeprefix("ROLESPEC_"))
    return out


def _defelems(items: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for it in items or []:
        kind, body = _one(it)
        if kind == "DefElem":
            out[str(body.get("defname", "")).lower()] = body.get("arg")
    return out


# -- the replay -----------------------------------------------------------------------------------
def _snippet(st: Statement, limit: int) -> str:
    """The statement's text on one line, cut to ``limit`` characters (from the text it was parsed
    from: a nested statement's is its body's)."""
    text = " ".join(st.source[st.offset:st.end].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _domain_fix(version: int) -> str:
    later = ("VALIDATE CONSTRAINT it in a later migration (PostgreSQL 18 validates without blocking writes)"
             if version >= 18 else
             f"VALIDATE CONSTRAINT it later, when writes can wait (PostgreSQL {version} validates a domain "
             "under a SHARE lock too)")
    return f"add the CHECK constraint NOT VALID (new values are checked at once), then {later}"


LOCK_FIX = "after SET lock_timeout (e.g. SET lock_timeout = '5s') earlier in the file"


class _Replayer(pglocks.State):
    def __init__(self, migrations: list[Migration], version: int = pglocks.LATEST, classify_all: bool = False) -> None:
        self.r = Replay(migrations, version=version)
        #: classify every statement (the oracle), not only those whose effect can change a verdict
        self.classify_all = classify_all
        self.version = version
        self.keyer = pglocks.Keyer(table_key, _qual_key)
        self.tables = self.r.tables
        self.indexes: dict[str, str] = {}  # index key → table key
        self.domains: dict[str, bool] = {}  # domains created by the migrations → has a constraint
        self.children: dict[str, list[str]] = {}  # table → its partitions / inheritance children
        self.parents: dict[str, str] = {}  # partition → its partitioned table
        self.kinds: dict[str, str] = {}  # relation → "matview", "view", "sequence" (tables: absent)
        self.view_deps: dict[str, set[str]] = {}  # view / materialized view → the tables it reads
        #: (table, role, privilege) held through a grant on this view
        self.via_view: dict[tuple[str, str, str], str] = {}
        self.recurse = True  # the ALTER TABLE being replayed has no ONLY
        self.expr_index_cols: set[tuple[str, str]] = set()  # (table, column) read by an expression index
        self.unnamed_indexed: set[str] = set()  # tables with an index whose name is not known
        self.partition_keys: dict[str, str] = {}  # partitioned table → its (one) key column
        self.checks: dict[str, list[Any]] = {}  # table → its validated CHECK expressions
        self.pending_exprs: dict[tuple[str, str], Any] = {}  # (table, NOT VALID check) → its expression
        self.partitioned_tables: set[str] = set()
        self.default_parts: dict[str, str] = {}  # partitioned table → its DEFAULT partition
        self.user_funcs: dict[str, bool] = {}  # functions the migrations create → declared VOLATILE
        #: the strongest lock the open transaction holds on each relation, and where it was taken
        self.tx_locks: dict[str, tuple[str, Where]] = {}
        self.wrapped = False  # the runner wraps this file in one transaction
        #: schema (None: every schema) → role → privilege → ALTER DEFAULT PRIVILEGES statement
        self.defaults: dict[str | None, dict[str, dict[str, Where]]] = {}
        # per file
        self.mig: Migration | None = None
        self.in_tx = False
        self.lock_timeout = False
        self.local_lock_timeout = False
        self.created_here: set[str] = set()
        self.indexes_here: set[str] = set()
        self.columns_here: set[tuple[str, str]] = set()

    def run(self) -> Replay:
        for mig in self.r.migrations:
            self.mig = mig
            self.in_tx = self.lock_timeout = self.local_lock_timeout = False
            self.created_here, self.indexes_here, self.columns_here = set(), set(), set()
            self.tx_locks = {}
            # a file without BEGIN/COMMIT of its own and without a statement PostgreSQL refuses in a
            # transaction block is run by the migration runner inside one transaction
            self.wrapped = not any(st.kind == "TransactionStmt" or pglocks.needs_autocommit(st.kind, st.fields)
                                   for st in mig.sql.statements)
            self.r.expands.setdefault(mig.path, set())
            for err in mig.sql.errors:
                self.r.errors.append(Finding(
                    f"{err.message}: fix this statement (the rest of the file was still checked)",
                    mig.path, err.line, err.line, rule="syntax-error"))
            for st in mig.sql.statements:
                self._statement(Where(mig, st))
                if st.kind in ("DoStmt", "CreateFunctionStmt"):
                    self._nested(mig, st)
        for parent, kids in self.children.items():
            for kid in kids:
                self.r.parents.setdefault(kid, []).append(parent)
        return self.r

    def _statement(self, w: Where) -> None:
        st = w.stmt
        local = pglocks.local_only(st.kind, st.fields)
        if local is not None and table_key(st.fields.get(local)) in self.created_here:
            effect = pglocks.NO_EFFECT  # it locks only a table of this migration: nothing to judge
        elif (not self.classify_all and self.timeout_set and not (self.in_tx or self.wrapped)
              and not self.domains and pglocks.quiet(st.kind, st.fields)):
            effect = pglocks.NO_EFFECT  # nothing its lock could add to a verdict here
        else:
            effect = pglocks.classify(st.kind, st.fields, self, self.keyer)
        if effect.locks or effect.no_tx:
            self.r.effects.append((w, effect))
        locks = self.r.locks
        before = len(locks)
        handler = getattr(self, f"_{st.kind}", None)
        if handler is not None:
            handler(w, st.fields)
        if effect.locks:  # no lock taken: nothing to judge (rewrites and scans come with one)
            self._judge_effect(w, effect, {locks[i].rule for i in range(before, len(locks))})

    def _nested(self, mig: Migration, st: Statement) -> None:
        """The SQL a DO block or a function body runs, judged like top-level SQL; an EXECUTE of a
        string built at run time fails closed (every data item reports it)."""
        from gate.sources.sql.nested import nested

        found = nested(mig.path, st)
        for sub in found.statements:
            self._statement(Where(mig, sub))
        for line, message in found.errors:
            self.r.errors.append(Finding(f"SQL syntax error in the body: {message}: fix it (the rest was still "
                                         "checked)", mig.path, line, line, rule="syntax-error"))
        for line, what in found.dynamic:
            self.r.errors.append(Finding(
                f"{what} runs SQL the gate cannot read before it runs: the data checks cannot judge it; write "
                "the statements literally in the migration (or EXECUTE a constant string)",
                mig.path, line, line, rule="dynamic-sql"))

    # -- the rules every statement is judged by: lock level, rewrite, scan ------------------------
    def _judge_effect(self, w: Where, e: Effect, rules: set[str]) -> None:
        """What no specific rule reported: a lock that blocks writes on an existing relation without
        lock_timeout, a rewrite or a scan of an existing table under such a lock (taken by this
        statement or held since an earlier statement of the same transaction)."""
        existing = {rel: mode for rel, mode in e.locks.items() if rel not in self.created_here}
        touched = sorted((e.rewrite | e.scan) & existing.keys()) if existing and not rules - {"lock-timeout"} else []
        held = {rel: self.tx_locks[rel] for rel in touched if rel in self.tx_locks}
        if self.in_tx or self.wrapped:
            rank = pglocks.RANK
            for rel, mode in e.locks.items():
                cur = self.tx_locks.get(rel)
                if cur is None or rank[mode] > rank[cur[0]]:
                    self.tx_locks[rel] = (mode, w)
        if not existing:
            return
        if "lock-timeout" not in rules and not self.timeout_set:
            rel = next((r for r, m in existing.items() if blocks_writes(m)), "")
            if rel:
                self.needs_timeout(w, _snippet(w.stmt, 40), rel)
        for rel in touched:
            mode = existing[rel]
            prior = held.get(rel)
            what = "rewrites" if rel in e.rewrite else "scans"
            if self._blocks_traffic(rel, mode):
                rule = "table-rewrite" if rel in e.rewrite else "scan-under-lock"
                self.lock(w, rule,
                          f"{_snippet(w.stmt, 60)} {what} every row of {rel} under "
                          f"{'an' if mode == pglocks.AEL else 'a'} {human(mode)} lock (blocks {'reads and writes' if mode == pglocks.AEL else 'writes'} "
                          "for the whole run): do it in a form that does not, on a new table, or outside "
                          "migrations in a maintenance window", rel)
                return
            if prior is not None and self._blocks_traffic(rel, prior[0]):
                self.lock(w, "scan-in-transaction",
                          f"{_snippet(w.stmt, 60)} {what} every row of {rel} in the same "
                          f"transaction as line {prior[1].line}, whose {human(prior[0])} lock it holds until "
                          "COMMIT: commit first (end the transaction before this statement, or move it to a "
                          "migration of its own run outside the runner's transaction)", rel)
                return

    def indexed(self, table: str) -> bool:
        if table not in self.tables and table not in self.kinds:
            return True
        return table in self.indexes.values() or table in self.unnamed_indexed

    def tables_in(self, schema: str | None) -> list[str]:
        keys = [k for k in self.tables if k not in self.partitioned_tables and self.kinds.get(k) != "view"]
        keys += [k for k, kind in self.kinds.items() if kind == "matview"]
        return sorted({k for k in keys if schema is None or _schema_of(k) == schema})

    def in_index_expression(self, table: str, column: str) -> bool:
        return (table, column) in self.expr_index_cols

    def attach_implied(self, parent: str, child: str, bound: Node) -> bool:
        key = self.partition_keys.get(parent, "")
        t = self.tables.get(child)
        col = t.columns.get(key) if t is not None else None
        return pglocks.bound_implied(bound, key, self.checks.get(child, []), col is not None and col.not_null)

    def dependent_views(self, table: str) -> list[str]:
        return sorted(v for v, deps in self.view_deps.items() if table in deps)

    def _reads(self, view: str, query: Any) -> None:
        self.view_deps[view] = {table_key(body) for kind, body in _walk({"q": query}) if kind == "RangeVar"}

    def _blocks_traffic(self, rel: str, mode: str) -> bool:
        """Does ``mode`` on ``rel`` stop its traffic: writes to a table, reads of a materialized
        view (only REFRESH writes one), nothing of a sequence (one row, rewritten in an instant)?"""
        kind = self.kinds.get(rel)
        if kind == "sequence":
            return False
        if kind == "matview":
            return mode == pglocks.AEL
        return blocks_writes(mode)

    # -- what the lock model asks (pglocks.State) -------------------------------------------------
    def column(self, table: str, column: str) -> tuple[ColumnType | None, bool]:
        t = self.tables.get(table)
        if t is None:
            return None, False
        col = t.columns.get(column)
        proven = column in t.checked_not_null or (col is not None and col.not_null)
        return (col.type if col is not None else None), proven

    def index_table(self, index: str) -> str | None:
        return self.indexes.get(index)

    def domain_tables(self, domain: str) -> list[str]:
        base = domain.rpartition(".")[2]
        return sorted(k for k, t in self.tables.items()
                      if any(c.type is not None and c.type.name == base for c in t.columns.values()))

    def partitioned(self, table: str) -> bool:
        return table in self.partitioned_tables

    def domain_checked(self, type_name: str) -> bool:
        return bool(self.domains) and any(checked and k.rpartition(".")[2] == type_name for k, checked in self.domains.items())

    def descendants(self, table: str) -> list[str]:
        if table not in self.children:
            return []
        out: list[str] = []
        todo = list(self.children.get(table, ()))
        while todo and len(out) < 10_000:
            c = todo.pop()
            if c not in out:
                out.append(c)
                todo.extend(self.children.get(c, ()))
        return out

    def partition_parent(self, table: str) -> str | None:
        return self.parents.get(table)

    def foreign_keys(self, table: str) -> dict[str, str]:
        t = self.tables.get(table)
        return t.fks if t is not None else {}

    def referencing(self, table: str) -> list[str]:
        return sorted(k for k, t in self.tables.items() if table in t.fks.values())

    def _inherit(self, parent: str, child: str, partition: bool) -> None:
        kids = self.children.setdefault(parent, [])
        if child not in kids:
            kids.append(child)
        if partition:
            self.parents[child] = parent

    def _disinherit(self, parent: str, child: str) -> None:
        if child in self.children.get(parent, []):
            self.children[parent].remove(child)
        self.parents.pop(child, None)

    def _rekey(self, key: str, new: str | None) -> None:
        """A table renamed to ``new`` (None: dropped) keeps (loses) its partitions, inheritance
        children and parents."""
        kids = self.children.pop(key, None)
        if new is not None and kids is not None:
            self.children[new] = kids
        for lst in self.children.values():
            if key in lst:
                lst.remove(key)
                if new is not None:
                    lst.append(new)
        for child, parent in list(self.parents.items()):
            if parent == key:
                if new is None:
                    del self.parents[child]
                else:
                    self.parents[child] = new
        if key in self.parents:
            parent = self.parents.pop(key)
            if new is not None:
                self.parents[new] = parent

    def default_partition(self, table: str) -> str | None:
        return self.default_parts.get(table)

    def volatile(self, expr: Any) -> str | None:
        return volatile_call(expr, self.user_funcs)

    # -- state helpers ----------------------------------------------------------------------------
    @property
    def timeout_set(self) -> bool:
        return self.lock_timeout or (self.local_lock_timeout and self.in_tx)

    def table(self, key: str) -> Table:
        t = self.tables.get(key)
        if t is None:
            t = self.tables[key] = Table(key)
        return t

    def existing(self, key: str) -> bool:
        """A table that this migration did not create (taking a lock on it can block traffic)."""
        return key not in self.created_here

    def lock(self, w: Where, rule: str, message: str, table: str | None) -> None:
        self.r.locks.append(Issue(w, rule, message, table))

    def needs_timeout(self, w: Where, what: str, table: str | None) -> None:
        if not self.timeout_set:
            self.lock(w, "lock-timeout",
                      f"{what} waits for a lock on {table or 'the table'} and blocks every query queued "
                      f"behind it: add SET lock_timeout (e.g. SET lock_timeout = '5s') earlier in the file, "
                      "and retry the migration when it times out", table)

    def contract(self, w: Where, rule: str, what: str, table: str) -> None:
        self.r.contracts.append(Issue(w, rule, what, table))

    def expand(self, key: str) -> None:
        assert self.mig is not None
        self.r.expands[self.mig.path].add(key)

    # -- transactions and settings ----------------------------------------------------------------
    def _TransactionStmt(self, w: Where, n: Node) -> None:
        kind = n.get("kind")
        if kind in ("TRANS_STMT_BEGIN", "TRANS_STMT_START"):
            self.in_tx = True
            self.tx_locks = {}
        elif kind in ("TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_COMMIT_PREPARED",
                      "TRANS_STMT_ROLLBACK_PREPARED", "TRANS_STMT_PREPARE"):
            self.in_tx = False
            self.local_lock_timeout = False
            self.tx_locks = {}

    def _VariableSetStmt(self, w: Where, n: Node) -> None:
        if n.get("kind") == "VAR_RESET_ALL":
            self.lock_timeout = self.local_lock_timeout = False
            return
        if str(n.get("name", "")).lower() != "lock_timeout":
            return
        on = False
        if n.get("kind") == "VAR_SET_VALUE":
            args = n.get("args") or []
            on = bool(args)
            for a in args:
                _, const = _one(a)
                if "ival" in const:
                    on = bool((const.get("ival") or {}).get("ival", 0))
                elif "sval" in const:
                    val = str((const.get("sval") or {}).get("sval", ""))
                    on = re.search(r"[1-9]", val) is not None
        if n.get("is_local"):
            self.local_lock_timeout = on and self.in_tx
        else:
            self.lock_timeout = on

    # -- tables -----------------------------------------------------------------------------------
    def _new_table(self, w: Where, key: str, temp: bool) -> Table:
        t = Table(key, w, temp)
        self.tables[key] = t
        self.created_here.add(key)
        self.expand(key)
        self.r.created.append(CreatedTable(w, t))
        schema = _schema_of(key)
        for scope in (None, schema):
            for role, privs in self.defaults.get(scope, {}).items():
                t.grants.setdefault(role, {}).update(privs)
        return t

    def _CreateStmt(self, w: Where, n: Node) -> None:
        rel = n.get("relation") or {}
        key = table_key(rel)
        if key in self.tables and self.tables[key].created is not None and n.get("if_not_exists"):
            return
        t = self._new_table(w, key, rel.get("relpersistence") == "t")
        for parent in n.get("inhRelations") or []:
            _, prel = _one(parent)
            p = self.tables.get(table_key(prel))
            if p is not None:
                for cname, pc in p.columns.items():
                    t.columns.setdefault(cname, Column(pc.not_null, pc.has_default, pc.type_node))
        for parent in n.get("inhRelations") or []:
            self._inherit(table_key(_one(parent)[1]), key, bool(n.get("partbound")))
        for elt in n.get("tableElts") or []:
            kind, body = _one(elt)
            if kind == "ColumnDef":
                for con in _constraints(body):
                    self._foreign_key(t, con, [str(body.get("colname", ""))])
        if n.get("partspec"):
            self.partitioned_tables.add(key)
            params = (n.get("partspec") or {}).get("partParams") or []
            if len(params) == 1:
                self.partition_keys[key] = str(_one(params[0])[1].get("name") or "")
        for elt in n.get("tableElts") or []:
            kind, body = _one(elt)
            for con in ([body] if kind == "Constraint" else _constraints(body) if kind == "ColumnDef" else []):
                if con.get("contype") == "CONSTR_CHECK":
                    self.checks.setdefault(key, []).append(con.get("raw_expr"))
        if (n.get("partbound") or {}).get("is_default"):
            for parent in n.get("inhRelations") or []:
                self.default_parts[table_key(_one(parent)[1])] = key
        for elt in n.get("tableElts") or []:
            kind, body = _one(elt)
            if kind == "ColumnDef":
                name, col = str(body.get("colname", "")), _column_of(body)
                inherited = t.columns.get(name)
                if inherited is not None:  # merged with the parent's column: its NOT NULL stays
                    col.not_null = col.not_null or inherited.not_null
                    col.has_default = col.has_default or inherited.has_default
                t.columns[name] = col
            elif kind == "TableLikeClause":
                # LIKE copies the columns, their types and NOT NULL always, defaults when asked
                src = self.tables.get(table_key(body.get("relation")))
                defaults = bool(int(body.get("options") or 0) & LIKE_DEFAULTS)
                for cname, pc in (src.columns.items() if src is not None else ()):
                    t.columns[cname] = Column(pc.not_null, pc.has_default and defaults, pc.type_node)
            elif kind == "Constraint":
                self._table_constraint(w, t, body, new_table=True)
        self.columns_here.update((key, name) for name in t.columns)

    def _ViewStmt(self, w: Where, n: Node) -> None:
        key = table_key(n.get("view"))
        if not n.get("replace") or key not in self.kinds:
            self.created_here.add(key)
        self.kinds[key] = "view"
        self._reads(key, n.get("query"))

    def _CreateSeqStmt(self, w: Where, n: Node) -> None:
        key = table_key(n.get("sequence"))
        self.created_here.add(key)
        self.kinds[key] = "sequence"

    def _CreateDomainStmt(self, w: Where, n: Node) -> None:
        checked = any(c.get("contype") in ("CONSTR_CHECK", "CONSTR_NOTNULL")
                      for c in (_one(x)[1] for x in n.get("constraints") or []))
        self.domains[_qual_key(_strs(n.get("domainname")))] = checked

    def _CreateFunctionStmt(self, w: Where, n: Node) -> None:
        names = _strs(n.get("funcname"))
        if names:
            vol = _defelems(n.get("options")).get("volatility")
            declared = str(_one(vol)[1].get("sval", "volatile")).lower() if vol is not None else "volatile"
            self.user_funcs[names[-1].lower()] = declared == "volatile"

    def _foreign_key(self, t: Table, c: Node, columns: list[str]) -> None:
        """Record a FOREIGN KEY / REFERENCES constraint (named as PostgreSQL names it), and the
        index a PRIMARY KEY / UNIQUE / EXCLUDE constraint builds."""
        if c.get("contype") in ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION"):
            self.unnamed_indexed.add(t.name)
        if c.get("contype") != "CONSTR_FOREIGN":
            return
        cols = _strs(c.get("fk_attrs")) or columns
        name = str(c.get("conname") or f"{t.name.rpartition('.')[2]}_{'_'.join(cols)}_fkey")
        t.fks[name] = table_key(c.get("pktable"))

    def _AlterDomainStmt(self, w: Where, n: Node) -> None:
        key = _qual_key(_strs(n.get("typeName")))
        _, con = _one(n.get("def"))
        sub = n.get("subtype")
        checks = sub == "O" or sub == "V" or (sub == "C" and con.get("contype") == "CONSTR_CHECK"
                                              and not con.get("skip_validation"))
        if sub == "C" and key in self.domains:
            self.domains[key] = True
        if not checks or key in self.domains or self.domain_tables(key):
            return  # a domain of these migrations: the tables using it are known (judged by effect)
        what = "SET NOT NULL" if sub == "O" else "VALIDATE CONSTRAINT" if sub == "V" else "ADD CONSTRAINT"
        self.lock(w, "domain-constraint",
                  f"ALTER DOMAIN {key} {what} scans every table with a column of this domain under a SHARE "
                  "lock (blocks writes), and these migrations do not show which tables those are: "
                  + _domain_fix(self.version), None)

    def _CreateTableAsStmt(self, w: Where, n: Node) -> None:
        rel = (n.get("into") or {}).get("rel") or {}
        if n.get("objtype") == "OBJECT_MATVIEW":
            self.created_here.add(table_key(rel))
            self.kinds[table_key(rel)] = "matview"
            self._reads(table_key(rel), n.get("query"))
        elif n.get("objtype") == "OBJECT_TABLE":
            self._new_table(w, table_key(rel), rel.get("relpersistence") == "t")

    def _table_constraint(self, w: Where, t: Table, c: Node, new_table: bool) -> None:
        ct = c.get("contype")
        self._foreign_key(t, c, [])
        keys = _strs(c.get("keys"))
        if ct in ("CONSTR_PRIMARY", "CONSTR_NOTNULL"):
            for k in keys:
                t.columns.setdefault(k, Column()).not_null = True
        elif ct == "CONSTR_CHECK":
            col = not_null_check_column(c.get("raw_expr"))
            if col is not None:
                if c.get("skip_validation") and not new_table:
                    t.pending_checks[str(c.get("conname", ""))] = col
                else:
                    t.checked_not_null.add(col)

    def _AlterTableStmt(self, w: Where, n: Node) -> None:
        if n.get("objtype") not in (None, "OBJECT_TABLE"):
            return
        key = table_key(n.get("relation"))
        # ALTER TABLE without ONLY recurses to partitions and inheritance children
        self.recurse = bool((n.get("relation") or {}).get("inh"))
        for cmd in n.get("cmds") or []:
            _, c = _one(cmd)
            if c.get("subtype") == "AT_ChangeOwner":
                # the owner of a table holds every privilege on it (and may grant them)
                role = _grantees({"grantees": [{"RoleSpec": c.get("newowner") or {}}]})
                self.table(key).grants.setdefault(role[0] if role else "", {}).update(
                    dict.fromkeys(TABLE_PRIVILEGES, w))
        t = self.table(key)
        existing = self.existing(key)
        lock_taken = False
        for cmd in n.get("cmds") or []:
            _, c = _one(cmd)
            sub = str(c.get("subtype", ""))
            handler = getattr(self, f"_at_{sub.removeprefix('AT_')}", None)
            if handler is None:
                self.expand(key)
                lock_taken = True
                continue
            if handler(w, key, t, c, existing):
                lock_taken = True
        if lock_taken and existing:
            self.needs_timeout(w, "ALTER TABLE", key)

    def _at_AddColumn(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        _, coldef = _one(c.get("def"))
        name = str(coldef.get("colname", ""))
        col = _column_of(coldef)
        cons = _constraints(coldef)
        self.expand(key)
        self.r.added_columns.setdefault(w.path, {}).setdefault(key, w)
        for x in cons:
            self._foreign_key(t, x, [name])
        if existing:
            types = {x.get("contype") for x in cons}
            type_names = _strs((coldef.get("typeName") or {}).get("names"))
            serial = bool(type_names) and type_names[-1].lower() in SERIAL_TYPES
            default = next((x.get("raw_expr") for x in cons if x.get("contype") == "CONSTR_DEFAULT"), None)
            volatile = self.volatile(default) if default is not None else None
            if default is not None and volatile is None and self.version < 11:
                volatile = f"(any DEFAULT before PostgreSQL 11, here {self.version})"
            gen = next((x for x in cons if x.get("contype") == "CONSTR_GENERATED"), None)
            if gen is not None and self.version >= 18 and gen.get("generated_kind") == "v":
                types = types - {"CONSTR_GENERATED"}  # a virtual generated column: computed on read
            if col.not_null and not col.has_default:
                self.lock(w, "required-column",
                          f"ADD COLUMN {key}.{name} NOT NULL without a DEFAULT fails on a table with rows: "
                          "add the column nullable or with a constant DEFAULT, "
                          "backfill, then add a CHECK (... IS NOT NULL) NOT VALID, VALIDATE it and SET NOT NULL",
                          key)
            if volatile or serial or "CONSTR_IDENTITY" in types or "CONSTR_GENERATED" in types:
                why = (f"a volatile DEFAULT {volatile}" if volatile else
                       "a serial type (DEFAULT nextval())" if serial else
                       "an identity column" if "CONSTR_IDENTITY" in types else "a stored generated column")
                self.lock(w, "volatile-default",
                          f"ADD COLUMN {key}.{name} with {why} rewrites the whole table under an ACCESS "
                          "EXCLUSIVE lock: add the column without it (or with a constant DEFAULT) and "
                          "backfill in batches", key)
            if types & {"CONSTR_PRIMARY", "CONSTR_UNIQUE"}:
                self.lock(w, "unique-not-using-index",
                          f"ADD COLUMN {key}.{name} with PRIMARY KEY/UNIQUE builds an index while blocking "
                          "writes: add the column, CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... "
                          "USING INDEX", key)
            # a new column without a DEFAULT is NULL in every row: its REFERENCES has nothing to check
            if "CONSTR_CHECK" in types or ("CONSTR_FOREIGN" in types and default is not None):
                self.lock(w, "constraint-not-valid",
                          f"ADD COLUMN {key}.{name} with a REFERENCES/CHECK constraint validates every row "
                          "under lock: add the column, then ADD CONSTRAINT ... NOT VALID and VALIDATE "
                          "CONSTRAINT in a later statement", key)
        t.columns[name] = col
        self.columns_here.add((key, name))
        return True

    def _at_DropColumn(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        name = str(c.get("name", ""))
        if existing:
            self.contract(w, "drop-column", f"DROP COLUMN {key}.{name}", key)
        t.columns.pop(name, None)
        t.checked_not_null.discard(name)
        if name == "brand_id":
            t.brand_fault = w
        return True

    def _at_AlterColumnType(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        name = str(c.get("name", ""))
        _, coldef = _one(c.get("def"))
        new_type = pglocks.column_type(coldef.get("typeName"))
        old = t.columns.get(name)
        using = coldef.get("raw_default")
        rewrite = pglocks.type_change_rewrites(old.type if old else None, new_type,
                                               using is not None and not pglocks.self_cast(using, name))
        if old is not None:
            old.type_node = coldef.get("typeName")
        if existing and rewrite:
            self.lock(w, "column-type",
                      f"ALTER COLUMN {key}.{name} TYPE rewrites the table (and its indexes) under an ACCESS "
                      "EXCLUSIVE lock: add a new column, backfill it in batches, switch readers, then drop "
                      "the old one in a contract migration", key)
        if existing:
            self.contract(w, "column-type", f"ALTER COLUMN {key}.{name} TYPE", key)
        return True

    def _at_SetNotNull(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        name = str(c.get("name", ""))
        self._set_not_null(w, key, t, name, existing)
        # PostgreSQL sets it on every partition and inheritance child too (with ONLY, a
        # partitioned table refuses unless its partitions have it already)
        if self.recurse or key in self.partitioned_tables:
            for kid in self.descendants(key):
                self.table(kid).columns.setdefault(name, Column()).not_null = True
        return True

    def _set_not_null(self, w: Where, key: str, t: Table, name: str, existing: bool) -> None:
        if existing:
            if name not in t.checked_not_null:
                self.lock(w, "set-not-null",
                          f"SET NOT NULL on {key}.{name} scans the whole table under an ACCESS EXCLUSIVE "
                          f"lock: first ADD CONSTRAINT {name}_not_null CHECK ({name} IS NOT NULL) NOT VALID, "
                          "VALIDATE CONSTRAINT it, then SET NOT NULL"
                          + (" (on PostgreSQL 18: ADD CONSTRAINT ... NOT NULL ... NOT VALID, then VALIDATE "
                             "CONSTRAINT)" if self.version >= 18 else ""), key)
            if (key, name) not in self.columns_here:
                self.contract(w, "set-not-null", f"SET NOT NULL on existing column {key}.{name}", key)
        t.columns.setdefault(name, Column()).not_null = True

    def _at_DropNotNull(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        name = str(c.get("name", ""))
        # without ONLY, PostgreSQL drops it from every partition and inheritance child too
        for tk in [key, *(self.descendants(key) if self.recurse or key in self.partitioned_tables else ())]:
            tt = self.table(tk)
            tt.columns.setdefault(name, Column()).not_null = False
            if name == "brand_id":
                tt.brand_fault = w
        self.expand(key)
        return True

    def _at_ColumnDefault(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        name = str(c.get("name", ""))
        col = t.columns.setdefault(name, Column())
        if c.get("def") is None:
            if existing and col.not_null and (key, name) not in self.columns_here:
                self.contract(w, "drop-default", f"DROP DEFAULT on NOT NULL column {key}.{name}", key)
            col.has_default = False
        else:
            col.has_default = True
            self.expand(key)
        return True

    def _at_AddConstraint(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        _, con = _one(c.get("def"))
        ct = con.get("contype")
        if ct == "CONSTR_CHECK":
            if con.get("skip_validation"):
                self.pending_exprs[(key, str(con.get("conname") or ""))] = con.get("raw_expr")
            else:
                self.checks.setdefault(key, []).append(con.get("raw_expr"))
        name = str(con.get("conname") or "")
        label = f" {name}" if name else ""
        self.expand(key)
        if existing:
            if ct in ("CONSTR_FOREIGN", "CONSTR_CHECK") and not con.get("skip_validation"):
                what = "FOREIGN KEY" if ct == "CONSTR_FOREIGN" else "CHECK"
                self.lock(w, "constraint-not-valid",
                          f"ADD CONSTRAINT{label} {what} on {key} validates every row while holding its lock: "
                          f"add it NOT VALID, then VALIDATE CONSTRAINT{label} in a separate statement", key)
            if ct == "CONSTR_EXCLUSION":
                # PostgreSQL has no EXCLUDE ... USING INDEX: there is no online form to suggest
                self.lock(w, "unique-not-using-index",
                          f"ADD{label and ' CONSTRAINT' + label} EXCLUDE on {key} builds its index while blocking "
                          "writes, and PostgreSQL has no online form (no EXCLUDE ... USING INDEX): add it on a "
                          "new table and move the rows, or in a maintenance window", key)
            elif ct in ("CONSTR_PRIMARY", "CONSTR_UNIQUE") and not con.get("indexname"):
                what = {"CONSTR_PRIMARY": "PRIMARY KEY", "CONSTR_UNIQUE": "UNIQUE"}.get(str(ct), "")
                fix = ("CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... "
                       f"{what} USING INDEX" if key not in self.partitioned_tables else
                       "PostgreSQL refuses USING INDEX on a partitioned table: add it on each partition "
                       "(CREATE UNIQUE INDEX CONCURRENTLY, then USING INDEX) before the parent")
                self.lock(w, "unique-not-using-index",
                          f"ADD{label and ' CONSTRAINT' + label} {what} on {key} builds its index while blocking "
                          f"writes: {fix}", key)
            if ct == "CONSTR_NOTNULL":
                for col in _strs(con.get("keys")):
                    if con.get("skip_validation"):  # PostgreSQL 18: NOT NULL ... NOT VALID, no scan
                        if (key, col) not in self.columns_here:
                            self.contract(w, "set-not-null", f"NOT NULL on existing column {key}.{col}", key)
                        t.pending_not_null[name] = col
                    else:
                        self._set_not_null(w, key, t, col, existing)
                return True
        self._table_constraint(w, t, con, new_table=not existing)
        return True

    def _at_ValidateConstraint(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        expr = self.pending_exprs.pop((key, str(c.get("name", ""))), None)
        if expr is not None:
            self.checks.setdefault(key, []).append(expr)
        col = t.pending_checks.pop(str(c.get("name", "")), None)
        if col is not None:
            t.checked_not_null.add(col)
        nn = t.pending_not_null.pop(str(c.get("name", "")), None)
        if nn is not None:
            t.columns.setdefault(nn, Column()).not_null = True
        return False

    def _at_DropConstraint(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        t.pending_checks.pop(str(c.get("name", "")), None)
        t.fks.pop(str(c.get("name", "")), None)
        self.checks.pop(key, None)  # which CHECK went is not known by name: none proves a bound now
        return True

    def _at_AttachPartition(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        self._inherit(key, table_key(_one(c.get("def"))[1].get("name")), True)
        self.expand(key)
        return True

    def _at_DetachPartition(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        self._disinherit(key, table_key(_one(c.get("def"))[1].get("name")))
        return True

    def _at_AddInherit(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        self._inherit(table_key(_one(c.get("def"))[1]), key, False)
        self.expand(key)
        return True

    def _at_DropInherit(self, w: Where, key: str, t: Table, c: Node, existing: bool) -> bool:
        self._disinherit(table_key(_one(c.get("def"))[1]), key)
        return True

    # -- indexes ----------------------------------------------------------------------------------
    def _IndexStmt(self, w: Where, n: Node) -> None:
        key = table_key(n.get("relation"))
        for elem in n.get("indexParams") or []:
            expr = _one(elem)[1].get("expr")
            if expr is not None:
                for kind, ref in _walk({"e": expr}):
                    if kind == "ColumnRef" and _strs(ref.get("fields")):
                        self.expr_index_cols.add((key, _strs(ref.get("fields"))[-1]))
        name = str(n.get("idxname") or "")
        ikey = (_qual_key([_schema_of(key), name]) if "." in key else name) if name else ""
        if n.get("if_not_exists") and ikey in self.indexes:
            if self.existing(key):
                self.needs_timeout(w, "CREATE INDEX IF NOT EXISTS", key)  # a no-op, but after its lock
            return
        if name:
            self.indexes[ikey] = key
            self.indexes_here.add(ikey)
        self.unnamed_indexed.add(key)
        self.expand(key)
        conc = bool(n.get("concurrent"))
        what = "CREATE UNIQUE INDEX" if n.get("unique") else "CREATE INDEX"
        if conc and self.in_tx:
            self.lock(w, "concurrently-in-transaction",
                      f"{what} CONCURRENTLY inside a transaction block (BEGIN) is rejected by PostgreSQL: "
                      "run it outside BEGIN/COMMIT, in a migration of its own", key)
        if not self.existing(key):
            return
        if key in self.partitioned_tables and not (n.get("relation") or {}).get("inh"):
            pass  # ON ONLY a partitioned table: an empty parent index, no build (attach each partition's)
        elif key in self.partitioned_tables:
            # PostgreSQL refuses CONCURRENTLY on a partitioned table: the fix goes partition by partition
            self.lock(w, "index-not-concurrent",
                      f"{what}{' CONCURRENTLY' if conc else ''} on partitioned table {key} "
                      f"{'is refused by PostgreSQL' if conc else 'blocks writes to every partition while it builds'}: "
                      f"{what} ON ONLY {key}, then {what} CONCURRENTLY on each partition and ALTER INDEX ... "
                      f"ATTACH PARTITION each one, {LOCK_FIX}", key)
        elif not conc:
            self.lock(w, "index-not-concurrent",
                      f"{what} on existing table {key} without CONCURRENTLY blocks writes while the index "
                      f"builds: use {what} CONCURRENTLY outside a transaction, {LOCK_FIX}", key)
        self.needs_timeout(w, what, key)

    def _DropStmt(self, w: Where, n: Node) -> None:
        rt = n.get("removeType")
        for obj in n.get("objects") or []:
            kind, body = _one(obj)
            names = _strs(body.get("items")) if kind == "List" else []
            if rt == "OBJECT_SCHEMA" and kind == "String":
                names = [str(body.get("sval", ""))]
            if not names:
                continue
            key = _qual_key(names)
            if rt == "OBJECT_INDEX":
                self._drop_index(w, n, key)
            elif rt == "OBJECT_SCHEMA":
                self._drop_schema(w, n, names[-1])
            elif rt == "OBJECT_TABLE":
                if self.existing(key):
                    self.contract(w, "drop-table", f"DROP TABLE {key}", key)
                    self.needs_timeout(w, "DROP TABLE", key)
                self.tables.pop(key, None)
                self._rekey(key, None)
                for ik in [i for i, tk in self.indexes.items() if tk == key]:
                    del self.indexes[ik]

    def _drop_index(self, w: Where, n: Node, ikey: str) -> None:
        tkey = self.indexes.pop(ikey, None)
        conc = bool(n.get("concurrent"))
        if conc and self.in_tx:
            self.lock(w, "concurrently-in-transaction",
                      "DROP INDEX CONCURRENTLY inside a transaction block (BEGIN) is rejected by PostgreSQL: "
                      "run it outside BEGIN/COMMIT", tkey)
        if ikey in self.indexes_here or (tkey is not None and not self.existing(tkey)):
            return
        if not conc:
            self.lock(w, "drop-index-not-concurrent",
                      f"DROP INDEX {ikey} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on "
                      f"{tkey or 'its table'}: use DROP INDEX CONCURRENTLY outside a transaction, {LOCK_FIX}",
                      tkey)
        self.needs_timeout(w, "DROP INDEX", tkey)

    def _ReindexStmt(self, w: Where, n: Node) -> None:
        key = table_key(n.get("relation")) if n.get("relation") else str(n.get("name") or "")
        kind = str(n.get("kind", "")).removeprefix("REINDEX_OBJECT_")
        if kind == "INDEX":
            key = self.indexes.get(key, key)
        conc = pglocks.bool_option(n.get("params"), "concurrently") is True
        if conc and self.in_tx:
            self.lock(w, "concurrently-in-transaction",
                      "REINDEX CONCURRENTLY inside a transaction block (BEGIN) is rejected by PostgreSQL: "
                      "run it outside BEGIN/COMMIT", key)
        if key and not self.existing(key):
            return
        if kind == "SYSTEM":
            self.lock(w, "reindex-not-concurrent",
                      f"REINDEX SYSTEM {key} locks the system catalogs every query reads, and PostgreSQL "
                      "refuses to reindex them CONCURRENTLY: do not run it in a migration (a maintenance "
                      "window)", None)
        elif not conc:
            self.lock(w, "reindex-not-concurrent",
                      f"REINDEX {kind} {key} without CONCURRENTLY blocks writes (and reads through the index): "
                      f"use REINDEX (CONCURRENTLY) outside a transaction, {LOCK_FIX}", key)
        self.needs_timeout(w, "REINDEX", key)

    def _drop_schema(self, w: Where, n: Node, schema: str) -> None:
        """``DROP SCHEMA s [CASCADE]`` drops every table of ``s``: a ``DROP TABLE`` of each one
        these migrations know, and of tables they do not know when ``CASCADE`` drops whatever
        the schema holds (a schema created in the same migration holds none from before)."""
        keys = [k for k in self.tables if _schema_of(k) == schema]
        for key in keys:
            if self.existing(key) and self.tables[key].created is not None:
                self.contract(w, "drop-table", f"DROP SCHEMA {schema} drops table {key}: DROP TABLE {key}", key)
            self.tables.pop(key, None)
            self._rekey(key, None)
        if n.get("behavior") == "DROP_CASCADE" and f"schema {schema}" not in self.created_here and not keys:
            self.contract(w, "drop-table", f"DROP SCHEMA {schema} CASCADE drops every table of {schema}", schema)

    def _CreateSchemaStmt(self, w: Where, n: Node) -> None:
        self.created_here.add(f"schema {n.get('schemaname') or ''}")

    def _AlterObjectSchemaStmt(self, w: Where, n: Node) -> None:
        """``ALTER TABLE t SET SCHEMA s`` renames the table for every query that names it."""
        if n.get("objectType") not in ("OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE"):
            return
        rel = n.get("relation") or {}
        key = table_key(rel)
        newkey = _qual_key([str(n.get("newschema") or ""), str(rel.get("relname", ""))])
        if newkey == key:
            return
        if self.existing(key):
            self.contract(w, "rename-table", f"ALTER TABLE {key} SET SCHEMA {n.get('newschema')} (a rename to "
                                             f"{newkey})", key)
        else:
            self.created_here.add(newkey)
        self._move(key, newkey)

    def _move(self, key: str, newkey: str) -> None:
        """The table ``key`` is now ``newkey`` (renamed, or moved to another schema): its columns,
        its partitions, children and parents (:meth:`_rekey`), and the indexes on it."""
        if key in self.tables:
            t = self.tables.pop(key)
            t.name = newkey
            self.tables[newkey] = t
        self._rekey(key, newkey)
        for ik, tk in list(self.indexes.items()):
            if tk == key:
                self.indexes[ik] = newkey

    # -- renames ----------------------------------------------------------------------------------
    def _RenameStmt(self, w: Where, n: Node) -> None:
        rt = n.get("renameType")
        key = table_key(n.get("relation"))
        new = str(n.get("newname", ""))
        if rt == "OBJECT_COLUMN":
            old = str(n.get("subname", ""))
            t = self.table(key)
            if self.existing(key):
                self.contract(w, "rename-column", f"RENAME COLUMN {key}.{old} TO {new}", key)
                self.needs_timeout(w, "RENAME COLUMN", key)
            if old in t.columns:
                t.columns[new] = t.columns.pop(old)
            if old in t.checked_not_null:
                t.checked_not_null.discard(old)
                t.checked_not_null.add(new)
            if old == "brand_id":
                t.brand_fault = w
        elif rt in ("OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE"):
            newkey = _qual_key([_schema_of(key), new]) if "." in key else new
            if self.existing(key):
                what = {"OBJECT_VIEW": "VIEW", "OBJECT_MATVIEW": "MATERIALIZED VIEW"}.get(str(rt), "TABLE")
                self.contract(w, "rename-table", f"ALTER {what} {key} RENAME TO {new}", key)
                self.needs_timeout(w, "RENAME TO", key)
            else:
                self.created_here.add(newkey)
            self._move(key, newkey)
        elif rt == "OBJECT_INDEX":
            old_i = _qual_key([_schema_of(key), str((n.get("relation") or {}).get("relname", ""))])
            if old_i in self.indexes:
                self.indexes[_qual_key([_schema_of(old_i), new])] = self.indexes.pop(old_i)

    # -- maintenance commands ---------------------------------------------------------------------
    def _maintenance(self, w: Where, rule: str, keys: list[str], message: str) -> None:
        if keys and not any(self.existing(k) for k in keys):
            return
        table = keys[0] if keys else None
        self.lock(w, rule, message, table)

    def _VacuumStmt(self, w: Where, n: Node) -> None:
        if not n.get("is_vacuumcmd") or pglocks.bool_option(n.get("options"), "full") is False:
            return
        keys = [table_key(_one(r)[1].get("relation")) for r in n.get("rels") or []]
        self._maintenance(w, "vacuum-full", keys,
                          f"VACUUM FULL {', '.join(keys) or '(every table)'} rewrites under an ACCESS EXCLUSIVE "
                          "lock for its whole run: do not run it in a migration (use pg_repack, or plain VACUUM)")

    def _ClusterStmt(self, w: Where, n: Node) -> None:
        keys = [table_key(n["relation"])] if n.get("relation") else []
        self._maintenance(w, "cluster", keys,
                          f"CLUSTER {', '.join(keys) or '(every table)'} rewrites under an ACCESS EXCLUSIVE lock "
                          "for its whole run: do not run it in a migration (use pg_repack)")

    def _LockStmt(self, w: Where, n: Node) -> None:
        keys = [table_key(_one(r)[1]) for r in n.get("relations") or []]
        self._maintenance(w, "lock-table", keys,
                          f"LOCK TABLE {', '.join(keys)} holds its lock until the transaction ends: remove it "
                          "and let each statement take the lock it needs, after SET lock_timeout")

    def _RefreshMatViewStmt(self, w: Where, n: Node) -> None:
        key = table_key(n.get("relation"))
        if n.get("concurrent"):
            if self.existing(key):
                self.needs_timeout(w, "REFRESH MATERIALIZED VIEW CONCURRENTLY", key)
            return
        self._maintenance(w, "refresh-matview", [key],
                          f"REFRESH MATERIALIZED VIEW {key} without CONCURRENTLY blocks every read of it: use "
                          "REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index)")

    # -- data changes (backfills expand the table) ------------------------------------------------
    def _UpdateStmt(self, w: Where, n: Node) -> None:
        self.expand(table_key(n.get("relation")))

    def _InsertStmt(self, w: Where, n: Node) -> None:
        self.expand(table_key(n.get("relation")))

    # -- grants -----------------------------------------------------------------------------------
    def _targets(self, n: Node) -> list[str]:
        if n.get("objtype") not in (None, "OBJECT_TABLE"):
            return []
        if n.get("targtype") == "ACL_TARGET_ALL_IN_SCHEMA":
            schemas = set(_strs(n.get("objects")))
            return [k for k, t in self.tables.items() if _schema_of(k) in schemas and t.created is not None]
        return [table_key(_one(o)[1]) for o in n.get("objects") or []]

    def _GrantStmt(self, w: Where, n: Node) -> None:
        privs = _privileges(n)
        roles = _grantees(n)
        for key in self._targets(n):
            self._grant(w, n, key, roles, privs, None)
            # a view writes its tables with its owner's rights: what it is granted reaches them
            for base in sorted(self.view_deps.get(key, ())) if self.kinds.get(key) == "view" else []:
                self._grant(w, n, base, roles, [p for p in privs if p in VIEW_PRIVILEGES], key)

    def _grant(self, w: Where, n: Node, key: str, roles: list[str], privs: list[str], view: str | None) -> None:
        t = self.table(key)
        for role in roles:
            held = t.grants.setdefault(role, {})
            for p in privs:
                if n.get("is_grant"):
                    held[p] = w
                    if view is not None:
                        self.via_view[(key, role, p)] = view
                elif n.get("grant_option"):  # REVOKE GRANT OPTION FOR keeps the privilege
                    continue
                elif view is None or self.via_view.get((key, role, p)) == view:
                    held.pop(p, None)
                    self.via_view.pop((key, role, p), None)

    def _SelectStmt(self, w: Where, n: Node) -> None:
        """``SELECT ... INTO t`` creates table t (like CREATE TABLE AS)."""
        into = n.get("intoClause")
        if into:
            rel = into.get("rel") or {}
            self._new_table(w, table_key(rel), rel.get("relpersistence") == "t")

    def _AlterDefaultPrivilegesStmt(self, w: Where, n: Node) -> None:
        action: Node = n.get("action") or {}
        if action.get("objtype") != "OBJECT_TABLE":
            return
        opts = _defelems(n.get("options"))
        schemas: list[str | None] = list(_strs(_one(opts["schemas"])[1].get("items"))) if "schemas" in opts else [None]
        privs = _privileges(action)
        for schema in schemas:
            scope = self.defaults.setdefault(schema, {})
            for role in _grantees(action):
                held = scope.setdefault(role, {})
                for p in privs:
                    if action.get("is_grant"):
                        held[p] = w
                    elif not action.get("grant_option"):
                        held.pop(p, None)


# -- what the checks share ------------------------------------------------------------------------
@dataclass(frozen=True)
class TableDef:
    """A ``CREATE TABLE`` the gate parsed, for ``data.brand-id``: where it is, the table's name,
    and whether it ends with ``brand_id NOT NULL`` (``fault``: where the fix belongs)."""

    name: str
    path: str
    line: int
    ok: bool
    origin: str  # "migration" or "code"
    temp: bool = False
    lost: bool = False  # brand_id was there and a later statement dropped it or made it nullable
    end_line: int = 0  # last line of the statement (0: same as line)


def migration_table_defs(rp: Replay) -> list[TableDef]:
    """Every ``CREATE TABLE`` of the migrations, judged on the state after the last migration."""
    out: list[TableDef] = []
    for ct in rp.created:
        t = ct.table
        if rp.tables.get(t.name) is not t:
            continue  # dropped (or replaced) later: nothing left to judge
        col = t.columns.get("brand_id")
        ok = col is not None and col.not_null
        lost = not ok and t.brand_fault is not None
        where = t.brand_fault if lost and t.brand_fault is not None else ct.where
        out.append(TableDef(t.name, where.path, where.line, ok, "migration", t.temp, lost, where.stmt.end_line))
    return out


def table_defs(rp: Replay, extra: Iterable[TableDef] = ()) -> list[TableDef]:
    """The ``CREATE TABLE``s ``data.brand-id`` judges: the migrations' plus ``extra`` (those of SQL
    embedded in the service's code, judged on their own statement)."""
    return migration_table_defs(rp) + list(extra)


def create_table_def(stmt: Statement, path: str, line: int) -> TableDef | None:
    """A ``CREATE TABLE`` statement found outside the migrations (SQL embedded in code), judged on
    its own columns and constraints; None for any other statement."""
    if stmt.kind == "SelectStmt" and stmt.fields.get("intoClause"):
        rel = (stmt.fields.get("intoClause") or {}).get("rel") or {}
        return TableDef(table_key(rel), path, line, False, "code", rel.get("relpersistence") == "t")
    if stmt.kind not in ("CreateStmt", "CreateTableAsStmt"):
        return None
    if stmt.kind == "CreateTableAsStmt":
        if stmt.fields.get("objtype") != "OBJECT_TABLE":
            return None
        rel = (stmt.fields.get("into") or {}).get("rel") or {}
        return TableDef(table_key(rel), path, line, False, "code", rel.get("relpersistence") == "t")
    rel = stmt.fields.get("relation") or {}
    cols: dict[str, Column] = {}
    t = Table(table_key(rel))
    for elt in stmt.fields.get("tableElts") or []:
        kind, body = _one(elt)
        if kind == "ColumnDef":
            cols[str(body.get("colname", ""))] = _column_of(body)
    t.columns = cols
    for elt in stmt.fields.get("tableElts") or []:
        kind, body = _one(elt)
        if kind == "Constraint" and body.get("contype") in ("CONSTR_PRIMARY", "CONSTR_NOTNULL"):
            for k in _strs(body.get("keys")):
                if k in cols:
                    cols[k].not_null = True
    brand = cols.get("brand_id")
    return TableDef(t.name, path, line, brand is not None and brand.not_null, "code", rel.get("relpersistence") == "t")


def parse_findings(rp: Replay) -> list[Finding]:
    """The parse errors of the migrations (each data item that replays them reports them)."""
    return list(rp.errors)


# -- what is new in this change (git history of the base) -----------------------------------------
@dataclass(frozen=True)
class BaseDiff:
    """The service's migrations compared with the base commit."""

    base: str
    new: frozenset[str]  # paths not on the base: added in this change
    edited: tuple[tuple[str, int], ...]  # (path, first changed line) of migrations already on the base
    deleted: tuple[str, ...]  # migrations on the base that are gone


def compare_with_base(ws: Workspace, service_dir: str, base: str) -> BaseDiff:
    """Which migrations are new, edited or deleted relative to ``base`` (git read without running
    repository code; raises :class:`gate.gitrepo.GitError`)."""

    def make() -> BaseDiff:
        import difflib

        from gate import gitrepo

        mdir = f"{service_dir}/migrations"
        on_base = {p: b for p, b in gitrepo.ls_tree(ws.root, base, mdir).items() if is_migration(p, mdir)}
        current = migration_files(ws, service_dir)
        new: set[str] = set()
        edited: list[tuple[str, int]] = []
        for p in current:
            blob = on_base.get(p)
            if blob is None:
                new.add(p)
                continue
            data = ws.read_bytes(p) or b""
            if gitrepo.blob_id(data, blob) == blob:
                continue
            old = gitrepo.show(ws.root, base, p).decode("utf-8", "replace").splitlines()
            cur = data.decode("utf-8", "replace").splitlines()
            line = 1
            for tag, _i1, _i2, j1, _j2 in difflib.SequenceMatcher(None, old, cur, autojunk=False).get_opcodes():
                if tag != "equal":
                    line = min(j1 + 1, max(len(cur), 1))
                    break
            edited.append((p, line))
        deleted = tuple(sorted(p for p in on_base if p not in set(current)))
        return BaseDiff(base, frozenset(new), tuple(edited), deleted)

    return ws.derive("migrations-base", f"{service_dir}|{base}", make)
