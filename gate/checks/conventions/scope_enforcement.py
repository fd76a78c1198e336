"""conventions.scope-enforcement: the same rule as auth.require-scope, reported in both sections."""

from gate.checks._code_rules import scope_findings
from gate.context import Ctx
from gate.model import Result


def check(ctx: Ctx) -> Result:
    return scope_findings(ctx)
