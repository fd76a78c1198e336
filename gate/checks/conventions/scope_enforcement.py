"""conventions.scope-enforcement: the same rule as auth.require-scope, reported in both sections."""

from gate.context import Ctx
from gate.model import Result
from gate.sources.code_rules import scope_findings


def check(ctx: Ctx) -> Result:
    return scope_findings(ctx)
