"""data.expand-contract: Migrations follow expand-only or expand–contract pattern.

1. Contract operations (DROP COLUMN, DROP TABLE, RENAME COLUMN, RENAME TO, ALTER COLUMN TYPE,
   SET NOT NULL on an existing column, DROP DEFAULT on a NOT NULL column) appear only in a
   migration whose first line is ``-- migrate: contract``.
2. With a base commit (``--base REF``, or the pull request's base): a contract migration added in
   this change may not touch a table that another migration added in the same change expands,
   and a migration already on the base may not be edited or deleted (applied migrations are
   immutable). Without a base, a service with a contract migration is ``unverified``.
"""

from __future__ import annotations

from gate.context import Ctx
from gate.gitrepo import GitError
from gate.model import Finding, Result, failed, passed, skipped, unverified, verdict
from gate.sources.migrations import Replay, compare_with_base, pg_version, replay

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
    n_new = sum(1 for m in rp.migrations if m.path in diff.new)
    return verdict(findings, f"{len(rp.migrations)} migration(s), {n_new} new since {base}: "
                             f"{len(contracts)} contract migration(s), none with its expand in the same change")
