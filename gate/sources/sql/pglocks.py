"""What a statement does to the relations it names, as PostgreSQL does it: the lock mode it
takes on each, whether it rewrites the table (a new relfilenode) and whether it reads every row
(a scan), for the PostgreSQL major version the migrations run on.

This is the model ``data.no-long-locks`` judges with (gate.sources.sql.migrations); the oracle test
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


@dataclass(slots=True)
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
    if type(node) is dict and len(node) == 1:
        for k, v in node.items():
            if type(v) is dict:
                return k, v
    return "", {}


def strs(items: Any) -> list[str]:
    """The strings of a list of ``String`` nodes."""
    out: list[str] = []
    for it in items or ():
        body = it.get("String") if type(it) is dict else None
        if type(body) is dict:
            out.append(str(body.get("sval", "")))
    return out


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
        d = cmd.get("def")
        items = one(d)[1].get("items") if isinstance(d, dict) else d
        names = [str(one(x)[1].get("defname", "")).lower() for x in items or []]
        return SUE if names and all(n in SUE_RELOPTIONS for n in names) else AEL
    if sub == "AT_DetachPartition":
        _, pc = one(cmd.get("def"))
        return SUE if pc.get("concurrent") else AEL
    return AEL


# -- the statements -------------------------------------------------------------------------------
class State:
    """What the classification needs to know about the schema (answered by the replay; this base
    knows nothing, which classifies every relation as a plain table)."""

    version: int = LATEST

    def column(self, table: str, column: str) -> tuple[ColumnType | None, bool]:
        """(type, has a validated ``CHECK (col IS NOT NULL)`` or is NOT NULL already)."""
        return None, False

    def index_table(self, index: str) -> str | None:
        return None

    def domain_tables(self, domain: str) -> list[str]:
        return []

    def domain_checked(self, type_name: str) -> bool:
        """Is ``type_name`` a domain with a CHECK / NOT NULL (a new column of it is rewritten)?"""
        return False

    def descendants(self, table: str) -> list[str]:
        """Partitions and inheritance children, recursively."""
        return []

    def partition_parent(self, table: str) -> str | None:
        return None

    def partitioned(self, table: str) -> bool:
        return False

    def default_partition(self, table: str) -> str | None:
        return None

    def foreign_keys(self, table: str) -> dict[str, str]:
        """constraint name → referenced table."""
        return {}

    def referencing(self, table: str) -> list[str]:
        """Tables with a foreign key to ``table``."""
        return []

    def dependent_views(self, table: str) -> list[str]:
        """Views and materialized views that read ``table``."""
        return []

    def attach_implied(self, parent: str, child: str, bound: Node) -> bool:
        """Does a validated CHECK of ``child`` imply the partition bound (PostgreSQL then skips the
        scan of ATTACH PARTITION)?"""
        return False

    def in_index_expression(self, table: str, column: str) -> bool:
        """Does an expression index of ``table`` read ``column``?"""
        return False

    def indexed(self, table: str) -> bool:
        """Has ``table`` an index (unknown table: assumed so)?"""
        return True

    def tables_in(self, schema: str | None) -> list[str]:
        """The tables, materialized views... with storage in ``schema`` (None: every schema)."""
        return []

    def volatile(self, expr: Any) -> str | None:
        return None


Classifier = Callable[[Node, "State", "Keyer"], Effect]


class Keyer:
    """Relation node / qualified name → replay key (given by the replay so both agree)."""

    def __init__(self, rel: Callable[[Node | None], str], qual: Callable[[list[str]], str]) -> None:
        self.rel = rel
        self.qual = qual


def _tree(key: str, st: State, inh: bool = True) -> tuple[list[str], list[str]]:
    """(every relation a recursing command locks, those of them holding rows: the leaves)."""
    rels = [key] + (st.descendants(key) if inh else [])
    return rels, [r for r in rels if not st.partitioned(r)]


def add_column_effect(key: str, coldef: Node, st: State) -> tuple[bool, bool]:
    """(rewrite, scan) of ``ADD COLUMN coldef`` on an existing table with rows."""
    cons = [one(c)[1] for c in coldef.get("constraints") or [] if one(c)[0] == "Constraint"]
    types = {c.get("contype") for c in cons}
    names = strs((coldef.get("typeName") or {}).get("names"))
    tname = names[-1].lower() if names else ""
    serial = tname in ("serial", "serial4", "bigserial", "serial8", "smallserial", "serial2")
    default = next((c.get("raw_expr") for c in cons if c.get("contype") == "CONSTR_DEFAULT"), None)
    rewrite = serial or "CONSTR_IDENTITY" in types or st.domain_checked(tname)
    if "CONSTR_GENERATED" in types:
        gen = next(c for c in cons if c.get("contype") == "CONSTR_GENERATED")
        rewrite = rewrite or not (st.version >= 18 and gen.get("generated_kind") == "v")
    if default is not None:
        rewrite = rewrite or st.version < 11 or st.volatile(default) is not None
    not_null = "CONSTR_NOTNULL" in types or bool(coldef.get("is_not_null"))
    # a new column is NULL in every row unless it has a default: a foreign key has nothing to check
    fk_scan = "CONSTR_FOREIGN" in types and default is not None
    scan = rewrite or fk_scan or bool(types & {"CONSTR_CHECK", "CONSTR_PRIMARY", "CONSTR_UNIQUE"}) or (
        not_null and default is None)
    return rewrite, scan


def self_cast(using: Any, column: str) -> bool:
    """``USING col`` or ``USING col::type``: the same as no USING clause."""
    kind, body = one(using)
    if kind == "TypeCast":
        kind, body = one(body.get("arg"))
    return kind == "ColumnRef" and strs(body.get("fields")) == [column]


#: subcommands that do not recurse to partitions / inheritance children
AT_NO_RECURSE = frozenset({"AT_AttachPartition", "AT_DetachPartition", "AT_DetachPartitionFinalize",
                           "AT_SetRelOptions", "AT_ResetRelOptions", "AT_AddInherit", "AT_DropInherit",
                           "AT_ClusterOn", "AT_DropCluster", "AT_ReplicaIdentity", "AT_EnableRowSecurity",
                           "AT_DisableRowSecurity", "AT_ForceRowSecurity", "AT_NoForceRowSecurity",
                           "AT_SetLogged", "AT_SetUnLogged", "AT_ChangeOwner", "AT_AddOf", "AT_DropOf",
                           "AT_SetAccessMethod", "AT_SetTableSpace"})


def _alter_table(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    key = k.rel(n.get("relation"))
    objtype = n.get("objtype")
    if objtype == "OBJECT_INDEX":
        return e  # the index's own lock: not the table's
    inh = bool((n.get("relation") or {}).get("inh"))
    for item in n.get("cmds") or []:
        _, cmd = one(item)
        sub = str(cmd.get("subtype", ""))
        rels, leaves = _tree(key, st, inh and sub not in AT_NO_RECURSE)
        mode = alter_table_mode(cmd)
        for r in rels:
            e.take(r, mode)
        if sub in AT_REWRITE:
            e.rewrite.update(leaves)
        elif sub == "AT_AddColumn":
            _, coldef = one(cmd.get("def"))
            rewrite, scan = add_column_effect(key, coldef, st)
            if rewrite:
                e.rewrite.update(leaves)
            if scan:
                e.scan.update(leaves)
            for c in coldef.get("constraints") or []:
                if one(c)[1].get("contype") == "CONSTR_FOREIGN":
                    e.take(k.rel(one(c)[1].get("pktable")), SRE)
        elif sub == "AT_AlterColumnType":
            _, coldef = one(cmd.get("def"))
            name = str(cmd.get("name", ""))
            old, _nn = st.column(key, name)
            using = coldef.get("raw_default")
            if type_change_rewrites(old, column_type(coldef.get("typeName")),
                                    using is not None and not self_cast(using, name)):
                e.rewrite.update(leaves)
            elif coldef.get("collClause") or st.in_index_expression(key, name):
                e.scan.update(leaves)  # its indexes are rebuilt (new collation, expression over a new type)
        elif sub == "AT_SetNotNull":
            _, proven = st.column(key, str(cmd.get("name", "")))
            if not proven:
                e.scan.update(leaves)
        elif sub in ("AT_AddConstraint", "AT_AddIndex"):
            _, con = one(cmd.get("def"))
            ct = con.get("contype")
            if ct == "CONSTR_FOREIGN":
                e.take(k.rel(con.get("pktable")), SRE)
            if ct in ("CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION") and not con.get("indexname"):
                e.scan.update(leaves)
            elif ct in ("CONSTR_CHECK", "CONSTR_FOREIGN") and not con.get("skip_validation"):
                e.scan.update(leaves)
                if ct == "CONSTR_FOREIGN":
                    e.scan.add(k.rel(con.get("pktable")))
            elif (ct == "CONSTR_NOTNULL" and not con.get("skip_validation")
                  and not all(st.column(key, c)[1] for c in strs(con.get("keys")))):
                e.scan.update(leaves)
        elif sub == "AT_DropConstraint":
            target = st.foreign_keys(key).get(str(cmd.get("name", "")))
            if target:
                e.take(target, AEL)  # the foreign key's triggers on the referenced table go too
        elif sub == "AT_ValidateConstraint":
            e.scan.update(leaves)
            target = st.foreign_keys(key).get(str(cmd.get("name", "")))
            if target:
                e.scan.add(target)
        elif sub == "AT_AddInherit":
            e.take(k.rel(one(cmd.get("def"))[1]), SUE)
        elif sub == "AT_DropColumn" and cmd.get("behavior") == "DROP_CASCADE":
            for dep in st.dependent_views(key):
                e.take(dep, AEL)  # dropped with the column (fail closed: every view reading the table)
        elif sub == "AT_AttachPartition":
            _, pc = one(cmd.get("def"))
            child = k.rel(pc.get("name"))
            crels, cleaves = _tree(child, st)
            for r in crels:
                e.take(r, AEL)
            if not st.attach_implied(key, child, pc.get("bound") or {}):
                e.scan.update(cleaves)
            dflt = st.default_partition(key)
            if dflt:
                e.take(dflt, AEL)
                e.scan.add(dflt)
        elif sub == "AT_DetachPartition":
            _, pc = one(cmd.get("def"))
            conc = bool(pc.get("concurrent"))
            e.take(k.rel(pc.get("name")), SUE if conc else AEL)
            dflt = st.default_partition(key)
            if dflt and not conc:
                e.take(dflt, AEL)
            e.no_tx = e.no_tx or conc
    return e


def _index(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    key = k.rel(n.get("relation"))
    conc = bool(n.get("concurrent"))
    rels, leaves = _tree(key, st, bool((n.get("relation") or {}).get("inh")))
    for r in rels:
        e.take(r, SUE if conc else SHARE)
    exists = bool(n.get("if_not_exists")) and st.index_table(str(n.get("idxname") or "")) is not None
    if not exists:
        e.scan.update(leaves)
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
            key = k.qual(names)
            e.take(key, AEL)
            parent = st.partition_parent(key)
            if parent:
                e.take(parent, AEL)
            for target in st.foreign_keys(key).values():
                e.take(target, AEL)  # its foreign keys' triggers on the referenced tables go too
            if n.get("behavior") == "DROP_CASCADE":
                for dep in st.dependent_views(key):
                    e.take(dep, AEL)
        elif rt in ("OBJECT_TRIGGER", "OBJECT_POLICY", "OBJECT_RULE") and len(names) >= 2:
            e.take(k.qual(names[:-1]), AEL)
    return e


def _rename(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    rt = str(n.get("renameType", ""))
    key = k.rel(n.get("relation"))
    if rt == "OBJECT_INDEX":
        return e
    if n.get("relation"):
        e.take(key, AEL)
    return e


def _reindex(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    kind = str(n.get("kind", ""))
    conc = bool(bool_option(n.get("params"), "concurrently"))
    e.no_tx = conc or kind in ("REINDEX_OBJECT_SCHEMA", "REINDEX_OBJECT_DATABASE", "REINDEX_OBJECT_SYSTEM")
    mode = SUE if conc else SHARE
    if kind == "REINDEX_OBJECT_TABLE":
        key = k.rel(n.get("relation"))
    elif kind == "REINDEX_OBJECT_INDEX":
        key = st.index_table(k.rel(n.get("relation"))) or ""
    elif kind in ("REINDEX_OBJECT_SCHEMA", "REINDEX_OBJECT_DATABASE"):
        schema = str(n.get("name") or "public") if kind == "REINDEX_OBJECT_SCHEMA" else None
        for t in st.tables_in(schema):
            if st.indexed(t):
                e.take(t, mode)
                e.scan.add(t)
        return e
    else:
        return e
    if st.partitioned(key):
        e.no_tx = True  # a partitioned table is reindexed partition by partition, one transaction each
    rels, leaves = _tree(key, st)
    for r in rels:
        e.take(r, mode)
    e.scan.update(r for r in leaves if kind == "REINDEX_OBJECT_INDEX" or st.indexed(r))
    return e


def _vacuum(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    vacuum = bool(n.get("is_vacuumcmd"))
    full = vacuum and bool_option(n.get("options"), "full") is not False
    e.no_tx = vacuum
    for r in n.get("rels") or []:
        key = k.rel(one(r)[1].get("relation"))
        e.take(key, AEL if full else SUE)
        if full:
            e.rewrite.add(key)
            e.scan.add(key)
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
        e.scan.add(key)
    else:
        e.take(key, AEL)
        e.rewrite.add(key)
    return e


def _truncate(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    todo = [(k.rel(one(r)[1]), bool(one(r)[1].get("inh"))) for r in n.get("relations") or []]
    seen: set[str] = set()
    while todo:
        key, inh = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        rels, leaves = _tree(key, st, inh)
        for r in rels:
            e.take(r, AEL)
        e.rewrite.update(leaves)
        if n.get("behavior") == "DROP_CASCADE":
            todo.extend((r, True) for r in st.referencing(key))
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
    """Statements that take ACCESS EXCLUSIVE on the relation they name (policies, rules)."""
    e = Effect()
    e.take(k.rel(n.get("relation") or n.get("table")), AEL)
    return e


def _view(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    if n.get("replace"):
        e.take(k.rel(n.get("view")), AEL)  # replacing an existing view
    return e


def _sequence(n: Node, st: State, k: Keyer) -> Effect:
    e = Effect()
    key = k.rel(n.get("sequence"))
    e.take(key, SRE)
    names = {str(one(o)[1].get("defname", "")) for o in n.get("options") or []}
    if names - {"owned_by"}:
        e.rewrite.add(key)  # a new sequence tuple in a new file (one row)
    return e


def _dml(n: Node, st: State, k: Keyer) -> Effect:
    """UPDATE / DELETE: ROW EXCLUSIVE, and (fail closed) a scan of the table."""
    e = Effect()
    key = k.rel(n.get("relation"))
    e.take(key, ROW_EXCL)
    e.scan.add(key)
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


def _move_all(n: Node, st: State, k: Keyer) -> Effect:
    """``ALTER TABLE|INDEX|MATERIALIZED VIEW ALL IN TABLESPACE ... SET TABLESPACE``: each relation
    moved is copied under ``AccessExclusiveLock``; which tablespace a relation is in is not
    tracked, so every known table and materialized view (with an index, for ``INDEX``) is taken as
    moved."""
    e = Effect()
    for t in st.tables_in(None):
        if n.get("objtype") != "OBJECT_INDEX" or st.indexed(t):
            e.take(t, AEL)
            e.rewrite.add(t)
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
    "AlterObjectSchemaStmt": _set_schema, "AlterTableMoveAllStmt": _move_all, "ViewStmt": _view, "AlterSeqStmt": _sequence,
    "UpdateStmt": _dml, "DeleteStmt": _dml,
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


def _cval(node: Any) -> tuple[str, str] | None:
    """A constant, comparable: ``A_Const`` → (kind, value)."""
    kind, c = one(node)
    if kind == "TypeCast":
        return _cval(c.get("arg"))
    if kind != "A_Const":
        return None
    for k in ("ival", "sval", "fval", "boolval"):
        if k in c:
            v = c[k]
            return k, str(next(iter(v.values()), "") if isinstance(v, dict) and v else "" if v == {} else v)
    return None


def _cmp(expr: Any, column: str) -> tuple[str, tuple[str, str] | None]:
    """``column <op> const`` (either side) → (op, const); ("", None) for anything else."""
    kind, e = one(expr)
    if kind != "A_Expr" or e.get("kind") != "AEXPR_OP":
        return "", None
    op = "".join(strs(e.get("name")))
    lk, left = one(e.get("lexpr"))
    rk, right = one(e.get("rexpr"))
    if lk == "ColumnRef" and strs(left.get("fields"))[-1:] == [column]:
        return op, _cval(e.get("rexpr"))
    if rk == "ColumnRef" and strs(right.get("fields"))[-1:] == [column]:
        flipped = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "="}.get(op, "")
        return flipped, _cval(e.get("lexpr"))
    return "", None


def bound_implied(bound: Node, column: str, checks: list[Any], not_null: bool) -> bool:
    """Does one of ``checks`` (validated CHECK expressions of the table to attach, partitioned on
    ``column`` NOT NULL) state exactly its partition bound: ``FOR VALUES IN (v...)`` by ``col = v``
    or ``col IN (v...)``; ``FOR VALUES FROM (a) TO (b)`` by ``col >= a AND col < b``? (What
    PostgreSQL proves in general is wider; what is not recognised here is assumed scanned.)"""
    if not not_null or not column:
        return False
    strategy = bound.get("strategy")
    if strategy == "l":
        want = {_cval(d) for d in bound.get("listdatums") or []}
        if None in want or not want:
            return False
        for expr in checks:
            op, val = _cmp(expr, column)
            if op == "=" and {val} == want:
                return True
            kind, e = one(expr)
            if kind == "A_Expr" and e.get("kind") == "AEXPR_IN" and strs(e.get("name")) == ["="]:
                lk, left = one(e.get("lexpr"))
                items = one(e.get("rexpr"))[1].get("items") or []
                if lk == "ColumnRef" and strs(left.get("fields"))[-1:] == [column] and {
                        _cval(i) for i in items} == want:
                    return True
        return False
    if strategy == "r":
        lower, upper = bound.get("lowerdatums") or [], bound.get("upperdatums") or []
        if len(lower) != 1 or len(upper) != 1:
            return False
        lo, hi = _cval(lower[0]), _cval(upper[0])
        for expr in checks:
            kind, e = one(expr)
            if kind != "BoolExpr" or e.get("boolop") != "AND_EXPR":
                continue
            parts = {_cmp(a, column) for a in e.get("args") or []}
            if lo is not None and hi is not None and {(">=", lo), ("<", hi)} <= parts:
                return True
    return False


#: ALTER TABLE subcommands that lock no relation but the one altered (and its children)
_LOCAL_AT = frozenset({"AT_AddColumn", "AT_DropColumn", "AT_AlterColumnType", "AT_SetNotNull", "AT_DropNotNull",
                       "AT_ColumnDefault", "AT_AddConstraint", "AT_SetStatistics", "AT_SetOptions",
                       "AT_ResetOptions", "AT_SetStorage", "AT_ValidateConstraint"})


def local_only(kind: str, n: Node) -> str | None:
    """The one relation (a RangeVar node's key is the caller's) a statement can lock, when it
    cannot lock any other: ``relation`` of an ALTER TABLE made only of local subcommands (no
    foreign key, no CASCADE), a CREATE INDEX, a COMMENT-free UPDATE/DELETE. None otherwise."""
    if kind in ("IndexStmt", "UpdateStmt", "DeleteStmt"):
        return "relation"
    if kind != "AlterTableStmt":
        return None
    for item in n.get("cmds") or ():
        cmd = item.get("AlterTableCmd") if type(item) is dict else None
        if not cmd or cmd.get("subtype") not in _LOCAL_AT or cmd.get("behavior") == "DROP_CASCADE":
            return None
        kind_d, d = one(cmd.get("def"))
        cons = [d] if kind_d == "Constraint" else [one(c)[1] for c in d.get("constraints") or ()]
        if any(c.get("contype") == "CONSTR_FOREIGN" for c in cons):
            return None
    return "relation"


#: ALTER TABLE subcommands that neither rewrite nor scan the table, whatever their arguments
_QUIET_AT = frozenset({"AT_DropColumn", "AT_ColumnDefault", "AT_DropNotNull", "AT_SetStatistics", "AT_SetOptions",
                       "AT_ResetOptions", "AT_SetStorage", "AT_DropConstraint", "AT_ChangeOwner",
                       "AT_SetRelOptions", "AT_ResetRelOptions", "AT_ReplicaIdentity", "AT_ClusterOn",
                       "AT_DropCluster", "AT_EnableTrig", "AT_DisableTrig", "AT_EnableTrigAll", "AT_DisableTrigAll",
                       "AT_EnableTrigUser", "AT_DisableTrigUser", "AT_EnableRowSecurity", "AT_DisableRowSecurity"})


def quiet(kind: str, n: Node) -> bool:
    """A statement that neither rewrites nor scans a table under a lock that blocks traffic: outside
    a transaction and after SET lock_timeout, its effect cannot change a verdict (the replay skips
    classifying it; tests/oracle checks the verdicts are the same with and without skipping)."""
    if kind in ("IndexStmt", "UpdateStmt", "DeleteStmt", "CommentStmt"):
        return True  # CREATE INDEX has its own rules; the others take no lock that blocks writes
    if kind != "AlterTableStmt":
        return False
    for item in n.get("cmds") or ():
        cmd = item.get("AlterTableCmd") if type(item) is dict else None
        if not cmd:
            return False
        sub = cmd.get("subtype")
        if sub in _QUIET_AT:
            continue
        kind_d, d = one(cmd.get("def"))
        if sub == "AT_AddColumn" and kind_d == "ColumnDef" and not d.get("constraints"):
            names = strs((d.get("typeName") or {}).get("names"))
            if names and not names[-1].lower().endswith("serial") and names[-1].lower() not in ("serial2", "serial4",
                                                                                               "serial8"):
                continue  # a plain nullable column: no rewrite, no scan (a domain type is checked below)
        if sub == "AT_AddConstraint" and kind_d == "Constraint" and d.get("skip_validation") and d.get(
                "contype") in ("CONSTR_CHECK", "CONSTR_FOREIGN"):
            continue  # NOT VALID: no scan
        return False
    return True


#: the effect of every statement no classifier knows (shared: never modified)
NO_EFFECT = Effect()


def classify(kind: str, n: Node, st: State, k: Keyer) -> Effect:
    """The effect of one statement (an empty one for statements that lock no existing relation
    beyond what a query does)."""
    fn = CLASSIFIERS.get(kind)
    return fn(n, st, k) if fn is not None else NO_EFFECT
