"""conventions.scope-enforcement: the same rule as auth.require-scope, reported in both sections."""

from gate.context import Ctx
from gate.model import Result
from gate.sources.code import without_gc
from gate.sources.code_rules import scope_findings


@without_gc
def check(ctx: Ctx) -> Result:
    return scope_findings(ctx)
