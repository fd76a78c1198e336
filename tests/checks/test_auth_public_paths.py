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


PP = 'export const publicPaths = ["/healthz", "/.well-known/jwks.json"];'


def test_entries_the_gate_cannot_read_fail_closed_at_their_line(tmp_path: Path) -> None:
    # "holds only /healthz and paths under /.well-known/": what is not a literal cannot be proven
    cases = [
        ('const extra = ["/payments"];\nexport const publicPaths = ["/healthz", ...extra];', "...extra",
         "publicPaths entry ...extra is not a string literal"),
        ('export const publicPaths = ["/healthz", `/${"admin"}`];', "`/${",
         'publicPaths entry `/${"admin"}` is not a string literal'),
        ('export const publicPaths = ["/healthz", adminPath()];', "adminPath()",
         "publicPaths entry adminPath() is not a string literal"),
        ('export const publicPaths: string[] = ["/healthz"];\npublicPaths.push("/payments");', "publicPaths.push",
         "publicPaths.push(...) changes publicPaths at run time"),
        ('export let publicPaths = ["/healthz"];', "export let",
         "publicPaths is not a const (a let/var binding can be reassigned)"),
        ('export const publicPaths = ["/healthz"].concat(["/payments"]);', "export const publicPaths",
         'publicPaths is ["/healthz"].concat(["/payments"]), not an array literal'),
    ]
    for i, (decl, where, msg) in enumerate(cases):
        src = INDEX_TS.replace(PP, decl)
        r = run(tmp_path / str(i), "auth.public-paths", index=src)
        assert r.status == Status.FAIL, decl
        f = next((f for f in r.findings if f.message.startswith(msg)), None)
        assert f is not None, (decl, [x.message for x in r.findings])
        assert "the gate cannot prove that publicPaths holds only /healthz and /.well-known/ paths" in f.message
        assert f.line == line_of(src, where), decl


def test_a_const_entry_is_read_through_and_judged(tmp_path: Path) -> None:
    src = INDEX_TS.replace(PP, 'const ADMIN = "/admin/stats";\nexport const publicPaths = [\n  "/healthz",\n  ADMIN,\n];')
    r = run(tmp_path, "auth.public-paths", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message.startswith('publicPaths lists "/admin/stats": only /healthz and /.well-known/ paths')
    assert f.line == line_of(src, "  ADMIN,")
    ok = INDEX_TS.replace(PP, 'const HEALTH = "/healthz";\nexport const publicPaths = Object.freeze([HEALTH] as const);')
    assert run(tmp_path / "ok", "auth.public-paths", index=ok).status == Status.PASS


def test_a_well_known_wildcard_lists_the_route(tmp_path: Path) -> None:
    # a pattern entry lists the routes it matches (as auth.require-scope reads it): no false failure
    src = INDEX_TS.replace(PP, 'export const publicPaths = ["/healthz", "/.well-known/*"];').replace(
        'app.get("/healthz"', 'app.get("/.well-known/jwks.json", (c) => c.json({ keys: [] }));\napp.get("/healthz"')
    r = run(tmp_path, "auth.public-paths", index=src)
    assert r.status == Status.PASS, r.findings


def test_a_well_known_path_that_climbs_out_is_not_allowed(tmp_path: Path) -> None:
    for i, bad in enumerate(("/.well-known/../payments", "/.well-known/%2e%2e/payments", "/.well-known//x")):
        src = INDEX_TS.replace(PP, f'export const publicPaths = ["/healthz", "{bad}"];')
        r = run(tmp_path / str(i), "auth.public-paths", index=src)
        assert r.status == Status.FAIL, bad
        (f,) = r.findings
        assert f.message.startswith(f'publicPaths lists "{bad}": only /healthz and /.well-known/ paths may be public')
        assert f.line == line_of(src, "export const publicPaths")
