from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX_TS, SERVICE_YAML, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "auth.baa-gate")
    assert r.status == Status.PASS, r.findings


def test_phi_route_without_baa_fails(tmp_path: Path) -> None:
    src = INDEX_TS.replace(" requireBaa(),", "")
    r = run(tmp_path, "auth.baa-gate", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.line == line_of(src, 'app.get("/records/:id"')
    assert "add requireBaa() to the route" in f.message


def test_no_phi_scope_is_skip(tmp_path: Path) -> None:
    r = run(tmp_path, "auth.baa-gate", service_yaml=SERVICE_YAML.replace("    phi: true\n", ""))
    assert r.status == Status.SKIP
