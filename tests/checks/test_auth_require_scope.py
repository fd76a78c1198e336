from pathlib import Path

import pytest

from gate.model import Status
from tests.checks.code_fixture import ADMIN, ADMIN_TS, BASE, INDEX, INDEX_TS, SVC, line_of, run
from tests.helpers import item, write_tree


def test_passes_with_scopes_on_routes_and_through_use(tmp_path: Path) -> None:
    r = run(tmp_path, "auth.require-scope")
    assert r.status == Status.PASS, r.findings
    assert "5 non-public routes" in r.reason


def test_route_without_scope_fails_at_route_line(tmp_path: Path) -> None:
    src = INDEX_TS.replace('app.get("/payments/:id", requireScope("payments:read"), ', 'app.get("/payments/:id", ')
    r = run(tmp_path, "auth.require-scope", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.path == INDEX and f.line == line_of(src, 'app.get("/payments/:id"')
    assert 'add requireScope("payments:read")' in f.message


def test_sub_router_route_gets_scope_from_parent_use(tmp_path: Path) -> None:
    # without the parent's app.use("/admin/*", requireScope(...)), /admin/stats has no scope
    src = INDEX_TS.replace('app.use("/admin/*", requireScope("payments:admin"));', "")
    r = run(tmp_path, "auth.require-scope", index=src)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "GET /admin/stats" in f.message
    assert f.path.endswith("src/routes/admin.ts") and f.line == line_of(ADMIN_TS, "admin.get(")


def test_use_pattern_without_star_matches_exact_path_only(tmp_path: Path) -> None:
    src = INDEX_TS.replace('app.use("/admin/*", requireScope("payments:admin"));',
                           'app.use("/admin", requireScope("payments:admin"));')
    r = run(tmp_path, "auth.require-scope", index=src)
    assert r.status == Status.FAIL
    assert "GET /admin/stats" in r.findings[0].message


def test_use_without_pattern_applies_to_every_route_of_the_router(tmp_path: Path) -> None:
    admin = ADMIN_TS.replace("export const admin = new Hono();",
                             'export const admin = new Hono();\nadmin.use(requireScope("payments:admin"));').replace(
                             'import { Hono } from "hono";', 'import { Hono } from "hono";\nimport { requireScope } from "@platform/auth";')
    src = INDEX_TS.replace('app.use("/admin/*", requireScope("payments:admin"));', "")
    r = run(tmp_path, "auth.require-scope", index=src, admin=admin)
    assert r.status == Status.PASS, r.findings


def test_undeclared_scope_fails(tmp_path: Path) -> None:
    src = INDEX_TS.replace('requireScope("payments:read")', 'requireScope("payments:view")')
    r = run(tmp_path, "auth.require-scope", index=src)
    assert r.status == Status.FAIL
    assert 'scope "payments:view", which service.yaml does not declare' in r.findings[0].message
    assert r.findings[0].line == line_of(src, 'app.get("/payments/:id"')


def test_no_routes_is_skip(tmp_path: Path) -> None:
    r = run(tmp_path, "auth.require-scope", index="export const x = 1;\n", admin="export const y = 2;\n")
    assert r.status == Status.SKIP


def test_syntax_error_is_a_finding_and_the_rest_still_judged(tmp_path: Path) -> None:
    src = INDEX_TS.replace('app.get("/payments/:id", requireScope("payments:read"), ', 'app.get("/payments/:id", ')
    broken = "export const broken = (;\n"
    r = run(tmp_path, "auth.require-scope", index=src, extra={"services/payments/src/broken.ts": broken})
    assert r.status == Status.FAIL
    msgs = [(f.path, f.line, f.message) for f in r.findings]
    assert any(p.endswith("src/broken.ts") and ln == 1 and "syntax error" in m for p, ln, m in msgs)
    assert any("GET /payments/:id enforces no scope" in m for _, _, m in msgs)


def test_chained_routes_and_default_export_router(tmp_path: Path) -> None:
    admin = """
    import { Hono } from "hono";
    import { rateLimit } from "@platform/rate-limit";
    export default new Hono()
      .get("/stats", rateLimit("read"), (c) => c.json({}))
      .post("/reset", rateLimit("write"), (c) => c.json({}));
    """
    src = INDEX_TS.replace('import { admin } from "./routes/admin";', 'import admin from "./routes/admin";')
    src = src.replace('app.use("/admin/*", requireScope("payments:admin"));', "")
    r = run(tmp_path, "auth.require-scope", index=src, admin=admin)
    assert r.status == Status.FAIL
    got = [(f.line, f.message.split(" enforces")[0]) for f in r.findings]
    assert got == [(4, "GET /admin/stats"), (5, "POST /admin/reset")]


def test_base_path_applies_to_full_paths(tmp_path: Path) -> None:
    admin = """
    import { Hono } from "hono";
    import { rateLimit } from "@platform/rate-limit";
    export const admin = new Hono().basePath("/v2");
    admin.get("/stats", rateLimit("read"), (c) => c.json({}));
    """
    r = run(tmp_path, "auth.require-scope", admin=admin)
    # /admin/v2/stats still matches app.use("/admin/*", requireScope(...))
    assert r.status == Status.PASS, r.findings
    from gate.checks._code import code_model
    from gate.context import Ctx
    from tests.checks.code_fixture import repo
    from tests.helpers import make_run

    run_ = make_run(repo(tmp_path / "b", admin=admin))
    ctx = Ctx(run_, next(s for s in run_.all_services if s.name == "payments"))
    assert "GET /admin/v2/stats" in [r.key for r in code_model(ctx).routes]


def test_scope_from_a_constant_object(tmp_path: Path) -> None:
    consts = 'export const SCOPES = { read: "payments:read", write: "payments:write" } as const;\n'
    src = INDEX_TS.replace('requireScope("payments:read")', "requireScope(SCOPES.read)")
    src = 'import { SCOPES } from "./scopes";\n' + src.lstrip("\n")
    r = run(tmp_path, "auth.require-scope", index=src, extra={"services/payments/src/scopes.ts": consts})
    assert r.status == Status.PASS, r.findings


def test_router_built_inside_a_factory_function(tmp_path: Path) -> None:
    code = """
    import { Hono } from "hono";
    export function buildApp() {
      const app = new Hono();
      app.get("/factory", (c) => c.json({}));
      return app;
    }
    """
    r = run(tmp_path, "auth.require-scope", extra={"services/payments/src/factory.ts": code})
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert (f.path, f.line) == ("services/payments/src/factory.ts", 4)
    assert "GET /factory enforces no scope" in f.message


SCOPED_ADMIN_TS = ADMIN_TS.replace('admin.get("/stats", ', 'admin.get("/stats", requireScope("payments:admin"), ').replace(
    'import { Hono } from "hono";\n', 'import { Hono } from "hono";\nimport { requireScope } from "@platform/auth";\n')
UNSCOPED_INDEX = INDEX_TS.replace('app.use("/admin/*", requireScope("payments:admin"));', "")


@pytest.mark.parametrize(("written", "real", "decoy"), [
    # ./routes/admin.js is routes/admin.ts to TypeScript, not a routes/admin.js beside it
    ("./routes/admin.js", "routes/admin.ts", "routes/admin.js"),
    # ./routes/admin is routes/admin.js: TypeScript adds no .mts
    ("./routes/admin", "routes/admin.js", "routes/admin.mts"),
    # a file before a folder
    ("./routes/admin", "routes/admin.ts", "routes/admin/index.ts"),
])
def test_a_stand_in_beside_the_router_typescript_bundles_is_not_read(written, real, decoy, tmp_path: Path) -> None:
    src = UNSCOPED_INDEX.replace('from "./routes/admin";', f'from "{written}";')
    real_path, decoy_path = f"{SVC}/src/{real}", f"{SVC}/src/{decoy}"
    tree = {k: v for k, v in BASE.items() if k != ADMIN}
    write_tree(tmp_path, {**tree, INDEX: src, real_path: ADMIN_TS, decoy_path: SCOPED_ADMIN_TS})
    r = item(tmp_path, "payments", "auth.require-scope")
    assert r.status == Status.FAIL, r.reason
    *ambiguous, f = r.findings
    assert "GET /admin/stats" in f.message
    assert f.path == real_path and f.line == line_of(ADMIN_TS, "admin.get(")
    if written.endswith(".js") and decoy.endswith(".js"):
        # esbuild (SST's bundler) ships the written .js: the import names two files, itself a failure
        (a,) = ambiguous
        assert (a.path, a.line) == (INDEX, line_of(src, f'from "{written}"'))
        assert f"'{written}' names two files: TypeScript reads {real_path}, esbuild (which SST bundles with) ships " \
               f"{decoy_path}" in a.message
    else:
        assert not ambiguous
