from pathlib import Path

from gate.model import Status
from tests.checks.code_fixture import INDEX_TS, line_of, run


def test_passes(tmp_path: Path) -> None:
    r = run(tmp_path, "auth.public-paths")
    assert r.status == Status.PASS, r.findings


def test_non_allowed_public_path_fails_at_its_line(tmp_path: Path) -> None:
    src = INDEX_TS.replace('export const publicPaths = ["/healthz", "/.well-known/jwks.json"];',
                           'export const publicPaths = [\n  "/healthz",\n  "/oauth/token",\n];')
    r = run(tmp_path, "auth.public-paths", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.line == line_of(src, '"/oauth/token"')
    assert "only /healthz and /.well-known/ paths may be public" in f.message


def test_route_without_scope_not_listed_fails(tmp_path: Path) -> None:
    src = INDEX_TS.replace('export const publicPaths = ["/healthz", "/.well-known/jwks.json"];',
                           'export const publicPaths = ["/.well-known/jwks.json"];')
    r = run(tmp_path, "auth.public-paths", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.line == line_of(src, 'app.get("/healthz"')
    assert "GET /healthz has no requireScope(...) and is not in publicPaths" in f.message


def test_waiver_covers_a_real_exception(tmp_path: Path) -> None:
    from tests.checks.code_fixture import SERVICE_YAML

    src = INDEX_TS.replace('"/.well-known/jwks.json"]', '"/.well-known/jwks.json", "/oauth/token"]')
    yml = SERVICE_YAML + """readiness:
  waivers:
    - item: auth.public-paths
      reason: OAuth token endpoint must be public.
      approved_by: carol
      expires: 2027-06-30
"""
    r = run(tmp_path, "auth.public-paths", index=src, service_yaml=yml)
    assert r.status == Status.WAIVED
