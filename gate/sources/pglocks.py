"""What a statement does to the relations it names, as PostgreSQL does it: the lock mode it
takes on each, whether it rewrites the table (a new relfilenode) and whether it reads every row
(a scan), for the PostgreSQL major version the migrations run on.

This is the model ``data.no-long-locks`` judges with (gate.sources.migrations); the oracle test
(tests/oracle/) applies a corpus of statements to a real PostgreSQL and requires that this model
says what the server did. Lock modes are named as ``pg_locks.mode`` names them.

A relation is named by its replay key (``name``, or ``schema.name`` outside ``public``).
Anything this module does not know is classified as the strongest case: an unknown ``ALTER
TABLE`` subcommand takes ``AccessExclusiveLock``; a column whose type is unknown is rewritten
when its type changes; a function not known to be non-volatile is volatile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Node = dict[str, Any]

#: the table-level lock modes, weakest first (PostgreSQL's conflict table is monotone in this order
#: for the question asked here: does it block reads, writes)
MODES: tuple[str, ...] = (
    "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
    "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
)
RANK = {m: i for i, m in enumerate(MODES)}
AEL, EXCL, SRE, SHARE, SUE, ROW_EXCL, ROW_SHARE, ACCESS_SHARE = (
    "AccessExclusiveLock", "ExclusiveLock", "ShareRowExclusiveLock", "ShareLock", "ShareUpdateExclusiveLock",
    "RowExclusiveLock", "RowShareLock", "AccessShareLock",
)
#: ``LOCK TABLE ... IN <mode> MODE`` (the parser's number) → mode
LOCKMODE_NUMBER = {1: ACCESS_SHARE, 2: ROW_SHARE, 3: ROW_EXCL, 4: SUE, 5: SHARE, 6: SRE, 7: EXCL, 8: AEL}
#: the latest PostgreSQL major version the rules know; the default of ``postgres.version``
LATEST = 18
OLDEST = 10


def blocks_writes(mode: str | None) -> bool:
    """Does ``mode`` conflict with the ROW EXCLUSIVE lock every INSERT/UPDATE/DELETE takes?"""
    return mode is not None and RANK[mode] >= RANK[SHARE]


def human(mode: str) -> str:
    """``AccessExclusiveLock`` → ``ACCESS EXCLUSIVE``."""
    out = ""
    for ch in mode.removesuffix("Lock"):
        out += (" " + ch) if ch.isupper() and out else ch
    return out.upper()


@dataclass
class Effect:
    """What one statement does: relation → strongest lock mode, the tables rewritten, scanned."""

    locks: dict[str, str] = field(default_factory=dict)
    rewrite: set[str] = field(default_factory=set)
    scan: set[str] = field(default_factory=set)
    #: PostgreSQL refuses it inside a transaction block (CONCURRENTLY, VACUUM...)
    no_tx: bool = False

    def take(self, rel: str, mode: str) -> None:
        if not rel:
            return
        cur = self.locks.get(rel)
        if cur is None or RANK[mode] > RANK[cur]:
            self.locks[rel] = mode

    def merge(self, other: Effect) -> None:
        for rel, mode in other.locks.items():
            self.take(rel, mode)
        self.rewrite |= other.rewrite
        self.scan |= other.scan
        self.no_tx = self.no_tx or other.no_tx


# -- option values --------------------------------------------------------------------------------
def one(node: Any) -> tuple[str, Node]:
    """``{"Type": {...}}`` → ("Type", {...})."""
    if isinstance(node, dict) and len(node) == 1:
        k, v = next(iter(node.items()))
        if isinstance(v, dict):
            return k, v
    return "", {}


def strs(items: Any) -> list[str]:
    """The strings of a list of ``String`` nodes."""
    return [str(b.get("sval", "")) for k, b in (one(i) for i in items or []) if k == "String"]


def bool_option(options: Any, name: str) -> bool | None:
    """A boolean option of ``VACUUM (...)``, ``REINDEX (...)``, ``CLUSTER (...)`` as PostgreSQL's
    ``defGetBoolean`` reads it: absent → False; no value, ``true``/``on``/``1`` → True;
    ``false``/``off``/``0`` → False (quoted or not); any other value → None (PostgreSQL refuses it)."""
    for it in options or []:
        kind, d = one(it)
        if kind != "DefElem" or str(d.get("defname", "")).lower() != name:
            continue
        arg = d.get("arg")
        if arg is None:
            return True
        akind, a = one(arg)
        if akind == "Integer":
            v = int(a.get("ival", 0))
            return True if v == 1 else False if v == 0 else None
        if akind == "Boolean":
            return bool(a.get("boolval"))
        if akind == "String":
            s = str(a.get("sval", "")).lower()
            return True if s in ("true", "on") else False if s in ("false", "off") else None
        return None
    return False


# -- ALTER TABLE ----------------------------------------------------------------------------------
#: subcommands that take less than ACCESS EXCLUSIVE (PostgreSQL's AlterTableGetLockLevel)
AT_MODES: dict[str, str] = {
    "AT_SetStatistics": SUE, "AT_SetOptions": SUE, "AT_ResetOptions": SUE,
    "AT_ClusterOn": SUE, "AT_DropCluster": SUE, "AT_ValidateConstraint": SUE,
    "AT_AttachPartition": SUE, "AT_DetachPartitionFinalize": SUE,
    "AT_EnableTrig": SRE, "AT_EnableAlwaysTrig": SRE, "AT_EnableReplicaTrig": SRE, "AT_EnableTrigAll": SRE,
    "AT_EnableTrigUser": SRE, "AT_DisableTrig": SRE, "AT_DisableTrigAll": SRE, "AT_DisableTrigUser": SRE,
}
#: storage parameters PostgreSQL changes under SHARE UPDATE EXCLUSIVE (the others: ACCESS EXCLUSIVE)
SUE_RELOPTIONS = frozenset({
    "fillfactor", "autovacuum_enabled", "autovacuum_vacuum_threshold", "autovacuum_vacuum_insert_threshold",
    "autovacuum_analyze_threshold", "autovacuum_vacuum_scale_factor", "autovacuum_vacuum_insert_scale_factor",
    "autovacuum_analyze_scale_factor", "autovacuum_vacuum_cost_delay", "autovacuum_vacuum_cost_limit",
    "autovacuum_freeze_min_age", "autovacuum_freeze_max_age", "autovacuum_freeze_table_age",
    "autovacuum_multixact_freeze_min_age", "autovacuum_multixact_freeze_max_age",
    "autovacuum_multixact_freeze_table_age", "log_autovacuum_min_duration", "toast_tuple_target",
    "parallel_workers", "vacuum_index_cleanup", "vacuum_truncate", "user_catalog_table",
})
#: subcommands that rewrite the table whatever their arguments
AT_REWRITE = frozenset({"AT_SetLogged", "AT_SetUnLogged", "AT_SetAccessMethod", "AT_SetTableSpace",
                        "AT_SetExpression"})
#: types whose values a change to a type of the same family keeps without a rewrite
TEXT_TYPES = frozenset({"text", "varchar"})


@dataclass
class ColumnType:
    name: str  # last component of the type name, lower case (``varchar``, ``int4``...)
    mods: tuple[int, ...] = ()  # typmods given (varchar(20) → (20,))


def column_type(type_name: Any) -> ColumnType | None:
    """The type of a ``ColumnDef.typeName`` / ``AT_AlterColumnType`` node."""
    if not isinstance(type_name, dict):
        return None
    names = strs(type_name.get("names"))
    if not names:
        return None
    name = {"character varying": "varchar", "int": "int4", "integer": "int4", "bigint": "int8",
            "smallint": "int2"}.get(names[-1].lower(), names[-1].lower())
    mods: list[int] = []
    for m in type_name.get("typmods") or []:
        kind, c = one(m)
        if kind == "A_Const" and "ival" in c:
            mods.append(int((c.get("ival") or {}).get("ival", 0)))
        else:
            return ColumnType(name, (-1,))
    if type_name.get("arrayBounds"):
        name += "[]"
    return ColumnType(name, tuple(mods))


def type_change_rewrites(old: ColumnType | None, new: ColumnType | None, using: bool) -> bool:
    """Does ``ALTER COLUMN ... TYPE new`` rewrite the table (PostgreSQL skips the rewrite for a
    binary-coercible change that keeps every value: varchar widened or to text, numeric widened
    at the same scale)? Unknown old type or a USING clause: assumed to rewrite."""
    if old is None or new is None or using or -1 in old.mods or -1 in new.mods:
        return True
    if old.name == new.name and old.mods == new.mods:
        return False
    if old.name in TEXT_TYPES and new.name in TEXT_TYPES:
        if new.name == "text" or not new.mods:
            return False
        return not (old.name == "varchar" and old.mods and new.mods[0] >= old.mods[0])
    if old.name == new.name == "numeric":
        if not new.mods:
            return False
        if len(old.mods) >= 1 and len(new.mods) >= 1:
            old_scale = old.mods[1] if len(old.mods) > 1 else 0
            new_scale = new.mods[1] if len(new.mods) > 1 else 0
            return not (old_scale == new_scale and new.mods[0] >= old.mods[0])
    return True


def alter_table_mode(cmd: Node) -> str:
    """The lock an ``ALTER TABLE`` subcommand takes on the table altered."""
    sub = str(cmd.get("subtype", ""))
    if sub in AT_MODES:
        return AT_MODES[sub]
    if sub == "AT_AddConstraint":
        _, con = one(cmd.get("def"))
        return SRE if con.get("contype") == "CONSTR_FOREIGN" else AEL
    if sub in ("AT_SetRelOptions", "AT_ResetRelOptions"):
        names = [str(one(d)[1].get("defname", "")).lower() for d in cmd.get("def") or []]
        return SUE if names and all(n in SUE_RELOPTIONS for n in names) else AEL
    if sub == "AT_DetachPartition":
        _, pc = one(cmd.get("def"))
        return SUE if pc.get("concurrent") else AEL
    return AEL


# -- the statements -------------------------------------------------------------------------------
class State:
    """What the classification needs to know about the schema (answered by the replay)."""

    version: int = LATEST

    def column(self, table: str, column: str) -> tuple[ColumnType | None, bool]:
        """(type, has a validated ``CHECK (col IS NOT NULL)`` or is NOT NULL already)."""
        return None, False

    def index_table(self, index: str) -> str | None:
        return None

    def domain_tables(self, domain: str) -> list[str]:
        return []

    def partitioned(self, table: str) -> bool:
        return False

    def default_partition(self, table: str) -> str | None:
        return None

    def volatile(self, expr: Any) -> str | None:
        return None


Classifier = Callable[[Node, "State", "Keyer"], Effect]


class Keyer:
    """Relation node / qualified name → replay key (given by the replay so both agree)."""

    def __init__(self, rel: Callable[[Node | None], str], qual: Callable[[list[str]], str]) -> None:
        self.rel = rel
        self.qual = qual


def add_column_effect(key: str, coldef: Node, st: State) -> tuple[bool, bool]:
    """(rewrite, scan) of ``ADD COLUMN coldef`` on an existing table with rows."""
    cons = [one(c)[1] for c in coldef.get("constraints") or [] if one(c)[0] == "Constraint"]
    types = {c.get("contype") for c in cons}
    ct = column_type(coldef.get("typeName"))
    serial = ct is not None and ct.name in ("serial", "serial4", "bigserial", "serial8", "smallserial", "serial2")
    default = next((c.get("raw_expr") for c in cons if c.get("contype") == "CONSTR_DEFAULT"), None)
    rewrite = serial or "CONSTR_IDENTITY" in types
    if "CONSTR_GENERATED" in types:
        gen = next(c for c in cons if c.get("contype") == "CONSTR_GENERATED")
        rewrite = rewrite or not (st.version >= 18 and gen.get("generated_kind") == "v")
    if default is not None:
        rewrite = rewrite or st.version < 11 or st.volatile(default) is not None
    not_null = "CONSTR_NOTNULL" in types or bool(coldef.get("is_not_null"))
    scan = rewrite or bool(types & {"CONSTR_CHECK", "CONSTR_FOREIGN", "CONSTR_PRIMARY", "CONSTR_UNIQUE"}) or (
        not_null and default is None)
    return rewrite, scan


def _alter_table(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    key = k.rel(n.get("relation"))
    objtype = n.get("objtype")
    if objtype == "OBJECT_INDEX":
        e.take(st.index_table(key) or "", SUE)
        return e
    for item in n.get("cmds") or []:
        _, cmd = one(item)
        sub = str(cmd.get("subtype", ""))
        e.take(key, alter_table_mode(cmd))
        if sub in AT_REWRITE:
            e.rewrite.add(key)
        elif sub == "AT_AddColumn":
            rewrite, scan = add_column_effect(key, one(cmd.get("def"))[1], st)
            if rewrite:
                e.rewrite.add(key)
            if scan:
                e.scan.add(key)
        elif sub == "AT_AlterColumnType":
            _, coldef = one(cmd.get("def"))
            old, _nn = st.column(key, str(cmd.get("name", "")))
            if type_change_rewrites(old, column_type(coldef.get("typeName")), coldef.get("raw_default") is not None):
                e.rewrite.add(key)
        elif sub == "AT_SetNotNull":
            _, proven = st.column(key, str(cmd.get("name", "")))
            if not proven:
                e.scan.add(key)
        elif sub in ("AT_AddConstraint", "AT_AddIndex"):
            _, con = one(cmd.get("def"))
            ct = con.get("contype")
            if ct == "CONSTR_FOREIGN":
                e.take(k.rel(con.get("pktable")), SRE)
            if (ct in ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION") and not con.get("indexname")) or (ct in ("CONSTR_CHECK", "CONSTR_FOREIGN") and not con.get("skip_validation")):
                e.scan.add(key)
            elif ct == "CONSTR_NOTNULL" and not con.get("skip_validation"):
                if not all(st.column(key, c)[1] for c in strs(con.get("keys"))):
                    e.scan.add(key)
            elif sub == "AT_AddIndex" and one(cmd.get("def"))[0] == "IndexStmt":
                e.scan.add(key)
        elif sub == "AT_ValidateConstraint":
            e.scan.add(key)
        elif sub == "AT_AttachPartition":
            _, pc = one(cmd.get("def"))
            child = k.rel(pc.get("name"))
            e.take(child, AEL)
            e.scan.add(child)
            dflt = st.default_partition(key)
            if dflt:
                e.take(dflt, AEL)
                e.scan.add(dflt)
        elif sub == "AT_DetachPartition":
            _, pc = one(cmd.get("def"))
            e.take(k.rel(pc.get("name")), SUE if pc.get("concurrent") else AEL)
            if pc.get("concurrent"):
                e.no_tx = True
    return e


def _index(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    key = k.rel(n.get("relation"))
    conc = bool(n.get("concurrent"))
    e.take(key, SUE if conc else SHARE)
    e.scan.add(key)
    e.no_tx = conc
    return e


def _drop(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    rt = str(n.get("removeType", ""))
    conc = bool(n.get("concurrent"))
    e.no_tx = conc
    for obj in n.get("objects") or []:
        kind, body = one(obj)
        names = strs(body.get("items")) if kind == "List" else []
        if not names:
            continue
        if rt == "OBJECT_INDEX":
            table = st.index_table(k.qual(names))
            if table:
                e.take(table, SUE if conc else AEL)
        elif rt in ("OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_SEQUENCE", "OBJECT_FOREIGN_TABLE"):
            e.take(k.qual(names), AEL)
        elif rt in ("OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE") and len(names) >= 2:
            e.take(k.qual(names[:-1]), AEL)
    return e


def _rename(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    rt = str(n.get("renameType", ""))
    key = k.rel(n.get("relation"))
    if rt == "OBJECT_INDEX":
        e.take(st.index_table(key) or "", SUE)
    elif rt in ("OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE") or n.get("relation"):
        e.take(key, AEL)
    return e


def _reindex(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    kind = str(n.get("kind", ""))
    conc = bool(bool_option(n.get("params"), "concurrently"))
    e.no_tx = conc or kind in ("REINDEX_OBJECT_SCHEMA", "REINDEX_OBJECT_DATABASE", "REINDEX_OBJECT_SYSTEM")
    if kind == "REINDEX_OBJECT_TABLE":
        key = k.rel(n.get("relation"))
    elif kind == "REINDEX_OBJECT_INDEX":
        key = st.index_table(k.rel(n.get("relation"))) or ""
    else:
        return e
    e.take(key, SUE if conc else SHARE)
    e.scan.add(key)
    return e


def _vacuum(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    full = n.get("is_vacuumcmd") and bool_option(n.get("options"), "full") is not False
    e.no_tx = bool(n.get("is_vacuumcmd"))
    for r in n.get("rels") or []:
        key = k.rel(one(r)[1].get("relation"))
        e.take(key, AEL if full else SUE)
        e.scan.add(key)
        if full:
            e.rewrite.add(key)
    return e


def _cluster(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    if not n.get("relation"):
        e.no_tx = True
        return e
    key = k.rel(n.get("relation"))
    e.take(key, AEL)
    e.rewrite.add(key)
    e.scan.add(key)
    return e


def _refresh(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    key = k.rel(n.get("relation"))
    if n.get("concurrent"):
        e.take(key, EXCL)
    else:
        e.take(key, AEL)
        e.rewrite.add(key)
    return e


def _truncate(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    for r in n.get("relations") or []:
        key = k.rel(one(r)[1])
        e.take(key, AEL)
        e.rewrite.add(key)
    return e


def _lock(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    mode = LOCKMODE_NUMBER.get(int(n.get("mode") or 8), AEL)
    for r in n.get("relations") or []:
        e.take(k.rel(one(r)[1]), mode)
    return e


def _create(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    for parent in n.get("inhRelations") or []:
        e.take(k.rel(one(parent)[1]), AEL if n.get("partbound") else SUE)
    if n.get("partbound"):
        for parent in n.get("inhRelations") or []:
            dflt = st.default_partition(k.rel(one(parent)[1]))
            if dflt:
                e.take(dflt, AEL)
                e.scan.add(dflt)
    for elt in n.get("tableElts") or []:
        kind, body = one(elt)
        cons = [body] if kind == "Constraint" else [
            one(c)[1] for c in body.get("constraints") or [] if one(c)[0] == "Constraint"]
        for c in cons:
            if c.get("contype") == "CONSTR_FOREIGN":
                e.take(k.rel(c.get("pktable")), SRE)
        if kind == "TableLikeClause":
            e.take(k.rel(body.get("relation")), ACCESS_SHARE)
    return e


def _trigger(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    e.take(k.rel(n.get("relation")), SRE)
    return e


def _relation_ael(n: Node, st: State, k: Keyer) -> Effect:
    """Statements that take ACCESS EXCLUSIVE on the ``relation`` they name (policies, rules,
    CREATE OR REPLACE VIEW of an existing view)."""
    e = Effect()
    key = k.rel(n.get("relation") or n.get("view") or (n.get("table")))
    e.take(key, AEL)
    return e


def _domain(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    sub = n.get("subtype")
    _, con = one(n.get("def"))
    scans = (sub == "O") or (sub == "C" and con.get("contype") == "CONSTR_CHECK" and not con.get("skip_validation")) \
        or sub == "V"
    if scans:
        mode = SUE if sub == "V" and st.version >= 18 else SHARE
        for t in st.domain_tables(k.qual(strs(n.get("typeName")))):
            e.take(t, mode)
            e.scan.add(t)
    return e


def _comment(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    if n.get("objtype") in ("OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_COLUMN"):
        kind, body = one(n.get("object"))
        names = strs(body.get("items")) if kind == "List" else []
        if n.get("objtype") == "OBJECT_COLUMN":
            names = names[:-1]
        if names:
            e.take(k.qual(names), SUE)
    return e


def _stats(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    for r in n.get("relations") or []:
        kind, body = one(r)
        if kind == "RangeVar":
            e.take(k.rel(body), SUE)
    return e


def _set_schema(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    if n.get("relation"):
        e.take(k.rel(n.get("relation")), AEL)
    return e


CLASSIFIERS: dict[str, Classifier] = {
    "AlterTableStmt": _alter_table, "IndexStmt": _index, "DropStmt": _drop, "RenameStmt": _rename,
    "ReindexStmt": _reindex, "VacuumStmt": _vacuum, "ClusterStmt": _cluster, "RefreshMatViewStmt": _refresh,
    "TruncateStmt": _truncate, "LockStmt": _lock, "CreateStmt": _create, "CreateTrigStmt": _trigger,
    "CreatePolicyStmt": _relation_ael, "AlterPolicyStmt": _relation_ael, "RuleStmt": _relation_ael,
    "AlterDomainStmt": _domain, "CommentStmt": _comment, "CreateStatsStmt": _stats,
    "AlterObjectSchemaStmt": _set_schema,
}


def needs_autocommit(kind: str, n: Node) -> bool:
    """Does PostgreSQL refuse this statement inside a transaction block?"""
    if kind in ("IndexStmt", "DropStmt"):
        return bool(n.get("concurrent"))
    if kind == "ReindexStmt":
        return bool(bool_option(n.get("params"), "concurrently")) or str(n.get("kind")) in (
            "REINDEX_OBJECT_SCHEMA", "REINDEX_OBJECT_DATABASE", "REINDEX_OBJECT_SYSTEM")
    if kind == "VacuumStmt":
        return bool(n.get("is_vacuumcmd"))
    if kind == "ClusterStmt":
        return not n.get("relation")
    if kind == "AlterTableStmt":
        return any(str(one(c)[1].get("subtype")) == "AT_DetachPartition"
                   and one(one(c)[1].get("def"))[1].get("concurrent") for c in n.get("cmds") or [])
    return kind in ("CreatedbStmt", "DropdbStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt",
                    "AlterSystemStmt")


def classify(kind: str, n: Node, st: State, k: Keyer) -> Effect:
    """The effect of one statement (an empty one for statements that lock no existing relation
    beyond what a query does)."""
    fn = CLASSIFIERS.get(kind)
    return fn(n, st, k) if fn is not None else Effect()
