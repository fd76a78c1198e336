"""What the logging items read in a service's code: request-logging middleware and the fields
a request log carries (``observability.log-fields``), and the keys that name the service to
OpenTelemetry (``observability.service-name``).
"""

from __future__ import annotations

from dataclasses import dataclass

from gate.sources.ts.code import CodeModel
from gate.sources.ts.files import Call
from gate.sources.ts.routes.table import Use

LOG_FIELDS = ("request_id", "route", "status", "duration_ms", "client_id", "brand_id")
SERVICE_NAME_KEYS = frozenset(
    {"service.name", "ATTR_SERVICE_NAME", "SemanticResourceAttributes.SERVICE_NAME", "SEMRESATTRS_SERVICE_NAME"}
)


@dataclass(frozen=True)
class RequestLog:
    use: Use
    path: str  # file of the middleware body
    calls: tuple[Call, ...]  # logger calls after `await next()`


def request_logs(m: CodeModel) -> list[RequestLog]:
    """The ``use`` middleware that call a logger after ``await next()`` (the request log)."""
    out: list[RequestLog] = []
    log_ids = {c.node.id for c in m.log_calls}
    for u in m.uses:
        for mw in u.middleware:
            path, node = m.value(u.call.path, mw)
            within = m.calls_within(path, node)
            nexts = [c for c in within if c.callee == "next" and c.node.parent is not None
                     and c.node.parent.type == "await_expression"]
            if not nexts:
                continue
            first = min(c.node.start_byte for c in nexts)
            logs = tuple(c for c in within if c.node.id in log_ids and c.node.start_byte > first)
            if logs:
                out.append(RequestLog(u, path, logs))
    return out
