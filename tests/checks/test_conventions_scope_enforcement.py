from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX_TS, line_of, run


def test_passes(tmp_path: Path) -> None:
    assert run(tmp_path, "conventions.scope-enforcement").status == Status.PASS


def test_fails_like_require_scope(tmp_path: Path) -> None:
    src = INDEX_TS.replace('app.post("/payments", requireScope("payments:write"), ', 'app.post("/payments", ')
    r = run(tmp_path, "conventions.scope-enforcement", index=src)
    assert r.status == Status.FAIL
    assert r.findings[0].line == line_of(src, 'app.post("/payments"')
    assert 'add requireScope("payments:write")' in r.findings[0].message
