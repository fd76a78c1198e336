"""1. **Contract operations only in contract migrations.** `DROP COLUMN`, `DROP TABLE`,
   `RENAME COLUMN`, `ALTER TABLE/VIEW ... RENAME TO`, `ALTER COLUMN ... TYPE`, `SET NOT NULL` on a
   column that existed before the migration, `DROP DEFAULT` on a `NOT NULL` column — on a table
   not created in the same migration — appear only in a migration whose first line is
   `-- migrate: contract`. `DROP SCHEMA s` drops each table of `s` (with `CASCADE`, a schema
   these migrations did not create in the same migration is a `DROP TABLE` of whatever it holds),
   and `ALTER TABLE ... SET SCHEMA` is a rename (`rename-table`).
2. **The expand is already on the base branch.** A contract migration added in this change may
   not contract a table that another migration added in the same change expands (creates,
   alters, indexes or backfills with `INSERT`/`UPDATE`), nor a table to which it adds a column
   itself: `-- migrate: contract` with `ADD COLUMN memo` and `DROP COLUMN note` on the same table
   is an expand and a contract in one change, which the conventions forbid ("the expand must
   already be on the base branch": code of the previous release still runs while it applies).
   Inside a contract migration, the steps that serve its contract stay allowed: a backfill
   `UPDATE`/`INSERT` before `SET NOT NULL`, `SET DEFAULT`, a `CHECK ... NOT VALID` and its
   `VALIDATE CONSTRAINT`, an index for `ADD PRIMARY KEY ... USING INDEX` — only a new column
   (`ADD COLUMN`) counts as the expand here.
3. **Applied migrations are immutable.** A migration file that is on the base commit may not be
   edited (the finding points at the first changed line) or deleted.

Which migrations are new comes from the base commit: `prodgate check --base REF`, or the pull
request's base in `pr` mode. git is read as a subprocess with fixed arguments (`ls-tree`,
`cat-file`, `diff --name-status`; hooks, fsmonitor and external diff off, a timeout;
`gate/gitrepo.py`): no repository code runs. Unchanged files are recognised by their blob id
without reading them from git.

Without a base: rule 1 is judged; when a contract migration exists the item is `unverified`
(rules 2 and 3 need the base); expand-only migrations `pass`. A base git cannot read (unknown
ref, not a repository) → `unverified` with git's message, unless rule 1 already fails.
No migrations → `skip`.

Each finding names its rule (`rule` in the JSON report, SARIF `ruleId`
`data.expand-contract/<rule>`): rule 1 by the operation — `drop-column`, `drop-table`,
`rename-column`, `rename-table`, `column-type`, `set-not-null`, `drop-default`; rule 2
`contract-with-its-expand`; rule 3 `edited-migration`, `deleted-migration`; a statement that
does not parse `syntax-error`.

SQL hidden in SQL is judged like top-level SQL, at its own line: the statements of a `DO $$ ...
$$` block and of a function or procedure body (PL/pgSQL through pglast's PL/pgSQL parser, or
`LANGUAGE sql`), and the text of an `EXECUTE` of a constant string (`'...'`, `$q$...$q$`, literals
joined with `||`), nested to 8 levels. An `EXECUTE` of a string built at run time
(`format(...)`, a variable) cannot be read before it runs: it fails the item with a finding
(`dynamic-sql`), as does a body in another procedural language.

## Evidence

repo (migrations parsed with pglast and replayed) + git history of the base commit.

## How to fix

Move the contract operation into its own migration starting with `-- migrate: contract`, merged
in a later change than the expand (after the code stopped using what it removes). Never edit an
applied migration: revert the edit and add a new migration.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.gitrepo import GitError
from gate.model import Finding, Result, failed, passed, skipped, unverified, verdict
from gate.sources.sql.migrations import Replay, compare_with_base, pg_version, replay

CONTRACT_FIX = (
    "move it to a migration of its own whose first line is `-- migrate: contract`, merged once the "
    "code no longer uses what it removes (expand first, contract in a later change)"
)


def _rule1(rp: Replay) -> list[Finding]:
    return [
        i.where.finding(f"{i.message} is a contract operation in an expand migration: {CONTRACT_FIX}", i.table,
                        i.rule)
        for i in rp.contracts
        if not i.where.migration.contract
    ]


def check(ctx: Ctx) -> Result:
    rp = replay(ctx.ws, ctx.service.dir, pg_version(ctx.config))
    if not rp.migrations:
        return skipped("no migrations")
    findings: list[Finding] = list(rp.errors) + _rule1(rp)
    contracts = [m for m in rp.migrations if m.contract]
    base = ctx.run.base
    if base is None:
        if findings:
            return failed(*findings)
        if contracts:
            names = ", ".join(m.name for m in contracts)
            return unverified(f"contract migration(s) {names}: whether their expand is already on the base "
                              "branch needs the base commit (prodgate check --base REF)")
        return passed(f"{len(rp.migrations)} migration(s), expand-only")
    try:
        diff = compare_with_base(ctx.ws, ctx.service.dir, base)
    except GitError as exc:
        if findings:
            return failed(*findings)
        return unverified(f"cannot read the base commit {base} from git: {exc}")
    for path, line in diff.edited:
        findings.append(Finding(f"{path.rpartition('/')[2]} is already on the base branch ({base}) and was "
                                "edited: applied migrations are immutable; revert the edit and add a new "
                                "migration instead", path, line, line, rule="edited-migration"))
    for path in diff.deleted:
        findings.append(Finding(f"{path.rpartition('/')[2]} is on the base branch ({base}) and was deleted: "
                                "applied migrations are immutable; restore it", path, rule="deleted-migration"))
    new_expands: dict[str, str] = {}
    for m in rp.migrations:
        if m.path in diff.new and not m.contract:
            for t in rp.expands.get(m.path, ()):
                new_expands.setdefault(t, m.name)
    for i in rp.contracts:
        m = i.where.migration
        if m.contract and m.path in diff.new and i.table in new_expands:
            findings.append(i.where.finding(
                f"{i.message}: contract migration {m.name} is added in the same change as "
                f"{new_expands[i.table]}, which expands {i.table}: merge and deploy the expand first, "
                "then add the contract in a later change", i.table, "contract-with-its-expand"))
        elif (m.contract and m.path in diff.new and i.table is not None
              and (add := rp.added_columns.get(m.path, {}).get(i.table)) is not None):
            findings.append(i.where.finding(
                f"{i.message}: contract migration {m.name} also expands {i.table} (ADD COLUMN at line "
                f"{add.line}): an expand and a contract of one table in the same change; move the ADD COLUMN "
                "to an expand migration, merge and deploy it first, then contract in a later change",
                i.table, "contract-with-its-expand"))
    n_new = sum(1 for m in rp.migrations if m.path in diff.new)
    return verdict(findings, f"{len(rp.migrations)} migration(s), {n_new} new since {base}: "
                             f"{len(contracts)} contract migration(s), none with its expand in the same change")
