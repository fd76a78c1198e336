"""auth.require-scope: Every route enforces a scope via requireScope(...).

Every route that is not a public path has ``requireScope("<scope>")`` (its own argument or a
matching ``use``), and the scope is declared in service.yaml ``scopes``.
"""

from gate.context import Ctx
from gate.model import Result
from gate.sources.code import without_gc
from gate.sources.code_rules import scope_findings


@without_gc
def check(ctx: Ctx) -> Result:
    return scope_findings(ctx)
