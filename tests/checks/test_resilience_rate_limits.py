from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX_TS, SERVICE_YAML, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "resilience.rate-limits")
    assert r.status == Status.PASS, r.findings


def test_missing_and_unknown_class(tmp_path: Path) -> None:
    src = INDEX_TS.replace('requireScope("payments:read"), rateLimit("read"),', 'requireScope("payments:read"),')
    src = src.replace('requireBaa(), rateLimit("read")', 'requireBaa(), rateLimit("bulk")')
    r = run(tmp_path, "resilience.rate-limits", index=src)
    assert r.status == Status.FAIL
    assert [f.line for f in r.findings] == [line_of(src, 'app.get("/payments/:id"'), line_of(src, 'app.get("/records/:id"')]
    assert 'add rateLimit("read")' in r.findings[0].message
    assert 'class "bulk", which is not in service.yaml rate_limits' in r.findings[1].message


def test_no_rate_limits_in_yaml(tmp_path: Path) -> None:
    yml = SERVICE_YAML.replace("rate_limits:\n  read: 600/min\n  write: 60/min\n", "")
    r = run(tmp_path, "resilience.rate-limits", service_yaml=yml)
    assert r.status == Status.FAIL
