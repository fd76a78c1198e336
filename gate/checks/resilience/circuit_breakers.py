"""resilience.circuit-breakers: Circuit breakers wrap every outbound vendor call.

A vendor call (through a binding imported from a vendor package or an object built from one,
or ``http.<method>(url)`` to a host outside ``.platform.loop.health``; module-level set-up
excluded) must be inside the function given to ``breaker("<vendor>", fn)``.
"""

from gate.checks._code import at_call, code_model, helper, judge, nothing, plural
from gate.checks._code_rules import vendor_calls, wrapped
from gate.context import Ctx
from gate.model import Finding, Result


def check(ctx: Ctx) -> Result:
    m = code_model(ctx)
    calls = vendor_calls(ctx)
    if not calls:
        return nothing(m, "no outbound vendor calls in src/")
    br = helper(ctx, "breaker")
    out: list[Finding] = []
    for v in calls:
        if wrapped(m, v.call, br) is None:
            out.append(at_call(v.call, f'{v.call.callee}(...) calls {v.vendor} outside a circuit breaker: wrap it in '
                                       f'{br}("{v.vendor}", () => ...)'))
    out.extend(m.impostor_findings("breaker"))
    return judge(m, out, f"{plural(len(calls), 'vendor call')}, each inside {br}(...)")
