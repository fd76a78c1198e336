"""auth.require-scope: Every route enforces a scope via requireScope(...).

Every route that is not a public path has ``requireScope("<scope>")`` (its own argument or a
matching ``use``), and the scope is declared in service.yaml ``scopes``.
"""

from gate.checks._code_rules import scope_findings
from gate.context import Ctx
from gate.model import Result


def check(ctx: Ctx) -> Result:
    return scope_findings(ctx)
