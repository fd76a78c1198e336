"""The route table (gate/sources/ts/routes/): every way Hono registers a route, every way a router
reaches its mount, middleware as Hono applies it; and failing closed where a trail is lost."""

from __future__ import annotations

from pathlib import Path

from gate.checks._code import code_model
from gate.context import Ctx
from gate.model import Status
from gate.sources.ts.code import CodeModel
from tests.helpers import item, make_run, write_tree

SVC = "services/api"
YAML = """
name: api
owner: team-api
status: stable
scopes:
  - name: api:read
  - name: api:write
"""
HEAD = 'import { Hono } from "hono";\nimport { requireScope } from "@platform/auth";\nconst h = (c: any) => c.text("ok");\n'


def model(tmp_path: Path, files: dict[str, str]) -> CodeModel:
    write_tree(tmp_path, {f"{SVC}/service.yaml": YAML, **{f"{SVC}/src/{k}": v for k, v in files.items()}})
    run = make_run(tmp_path)
    return code_model(Ctx(run, run.all_services[0]))


def table(m: CodeModel) -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in m.routes}


def scopes(m: CodeModel) -> dict[str, list[str]]:
    return {r.key: r.string_args("requireScope") for r in m.routes}


def line(src: str, needle: str) -> int:
    return src[: src.index(needle)].count("\n") + 1


def test_every_method_on_and_chains(tmp_path: Path) -> None:
    src = HEAD + """
export const app = new Hono();
app.get("/g", h); app.post("/p", h); app.put("/u", h); app.patch("/pa", h); app.delete("/d", h);
app.options("/o", h); app.all("/any", h);
app.on("PURGE", "/cache", h);
app.on(["GET", "POST"], ["/x", "/y"], h);
app.get("/a", h).post(h).put("/b", h);
"""
    m = model(tmp_path, {"index.ts": src})
    assert table(m) == {("GET", "/g"), ("POST", "/p"), ("PUT", "/u"), ("PATCH", "/pa"), ("DELETE", "/d"),
                        ("OPTIONS", "/o"), ("ALL", "/any"), ("PURGE", "/cache"), ("GET", "/x"), ("POST", "/x"),
                        ("GET", "/y"), ("POST", "/y"), ("GET", "/a"), ("POST", "/a"), ("PUT", "/b")}
    post_a = next(r for r in m.routes if r.key == "POST /a")
    assert post_a.line == line(src, "post(h)") and not m.route_problems


def test_base_path_route_mount_and_param_kinds(tmp_path: Path) -> None:
    src = HEAD + """
const BASE = "/v1";
const users = new Hono();
users.get("/:id{[0-9]+}", h);
users.get("/:slug?", h);
users.get(`${BASE}/files/*`, h);
export const app = new Hono().basePath("/api");
app.route("/users", users);
users.get("/late", h);
app.mount("/legacy", (req: Request) => new Response("x"));
"""
    m = model(tmp_path, {"index.ts": src})
    assert table(m) == {("GET", "/api/users/:id{[0-9]+}"), ("GET", "/api/users/:slug?"),
                        ("GET", "/api/users/v1/files/*"), ("ALL", "/api/legacy/*")}
    assert not m.route_problems  # /late was added after the mount: Hono does not serve it


def test_exports_barrels_namespaces_factories_and_parameters(tmp_path: Path) -> None:
    files = {
        "routes/users.ts": HEAD + 'export const users = new Hono();\nusers.get("/", h);\n',
        "routes/orders.ts": HEAD + 'const orders = new Hono();\norders.get("/", h);\nexport default orders;\n',
        "routes/items.ts": HEAD + 'export function createItems() { const r = new Hono(); r.get("/", h); return r; }\n',
        "routes/index.ts": 'export { users } from "./users";\nexport { default as orders } from "./orders.js";\nexport * from "./items";\n',
        "register.ts": HEAD + 'export function registerRoutes(app: Hono) { app.get("/registered", h); }\n',
        "factory.ts": 'import { createFactory } from "hono/factory";\nexport const factory = createFactory();\n',
        "index.ts": HEAD + """
import * as r from "./routes";
import { registerRoutes } from "./register";
import { factory } from "./factory";
const app = factory.createApp();
app.route("/users", r.users).route("/orders", r.orders).route("/items", r.createItems());
registerRoutes(app);
export default app;
""",
    }
    m = model(tmp_path, files)
    assert table(m) == {("GET", "/users"), ("GET", "/orders"), ("GET", "/items"), ("GET", "/registered")}
    assert not m.route_problems


def test_middleware_order_patterns_and_siblings(tmp_path: Path) -> None:
    src = HEAD + """
export const app = new Hono();
app.get("/before", h);
app.use("/before", requireScope("api:read"));
app.use("/v2*", requireScope("api:read"));
app.get("/v2/things", h);
app.use("/n/:id{[0-9]+}/*", requireScope("api:write"));
app.get("/n/:id/x", h);
app.get("/n/:id{[0-9]+}/y", h);
const guard = new Hono();
guard.use("*", requireScope("api:write"));
const api = new Hono();
api.get("/z", h);
app.route("/s", guard);
app.route("/s", api);
"""
    m = model(tmp_path, {"index.ts": src})
    assert scopes(m) == {"GET /before": [], "GET /v2/things": ["api:read"], "GET /n/:id/x": [],
                         "GET /n/:id{[0-9]+}/y": ["api:write"], "GET /s/z": ["api:write"]}


def test_zod_openapi_routes(tmp_path: Path) -> None:
    src = HEAD + """
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
const getUser = createRoute({ method: "get", path: "/users/{id}", middleware: [requireScope("api:read")],
  responses: { 200: { description: "ok" } } });
export const app = new OpenAPIHono();
app.openapi(getUser, (c) => c.json({}));
app.openapi(createRoute({ method: "post", path: "/users", responses: {} }), (c) => c.json({}));
"""
    m = model(tmp_path, {"index.ts": src})
    assert scopes(m) == {"GET /users/:id": ["api:read"], "POST /users": []}


def fails_at(tmp_path: Path, files: dict[str, str], file: str, needle: str, words: str) -> None:
    write_tree(tmp_path, {f"{SVC}/service.yaml": YAML, **{f"{SVC}/src/{k}": v for k, v in files.items()}})
    for item_id in ("auth.require-scope", "conventions.scope-enforcement", "resilience.rate-limits",
                    "idempotency.mutation-key", "conventions.audit"):
        r = item(tmp_path, "api", item_id)
        assert r.status == Status.FAIL, (item_id, r.status, r.reason)
        hit = [f for f in r.findings if words in f.message]
        assert hit, (item_id, [f.message for f in r.findings])
        assert hit[0].path == f"{SVC}/src/{file}" and hit[0].line == line(files[file], needle), hit[0]
        assert "waive" in hit[0].message


def test_dynamic_path_fails_closed_at_its_line(tmp_path: Path) -> None:
    src = HEAD + 'export const app = new Hono();\napp.post(process.env.PREFIX + "/x", requireScope("api:write"), h);\n'
    fails_at(tmp_path, {"index.ts": src}, "index.ts", "process.env", "is not known")


def test_router_in_a_data_structure_fails_closed(tmp_path: Path) -> None:
    src = HEAD + """
const a = new Hono();
a.post("/a", requireScope("api:write"), h);
const table = new Map([["/a", a]]);
export const app = new Hono();
for (const [p, r] of table) app.route(p, r);
"""
    fails_at(tmp_path, {"index.ts": src}, "index.ts", "new Map", "cannot follow")


def test_unresolved_import_fails_closed(tmp_path: Path) -> None:
    src = HEAD + 'import { users } from "@/routes/users";\nexport const app = new Hono();\napp.route("/users", users);\n'
    fails_at(tmp_path, {"index.ts": src}, "index.ts", "users);", "does not read")
    src2 = HEAD + 'import { users } from "./routes/missing";\nexport const app = new Hono();\napp.route("/users", users);\n'
    fails_at(tmp_path / "b", {"index.ts": src2}, "index.ts", "users);", "names no source file")


def test_hono_app_with_no_route_is_not_a_skip(tmp_path: Path) -> None:
    src = HEAD + 'export const app = new Hono();\nregisterEverything(app);\n'
    write_tree(tmp_path, {f"{SVC}/service.yaml": YAML, f"{SVC}/src/index.ts": src})
    r = item(tmp_path, "api", "auth.require-scope")
    assert r.status == Status.FAIL
    assert any("registerEverything" in f.message and f.line == line(src, "registerEverything") for f in r.findings)
    bare = HEAD + "export const app = new Hono();\n"
    write_tree(tmp_path, {f"{SVC}/src/index.ts": bare})
    for item_id in ("auth.require-scope", "observability.log-fields", "conventions.route-tests"):
        r = item(tmp_path, "api", item_id)
        assert r.status == Status.FAIL, (item_id, r.status)
        (f,) = r.findings
        assert "found no route" in f.message and f.line == line(bare, "new Hono")


def test_tsconfig_path_aliases_are_followed(tmp_path: Path) -> None:
    files = {
        "routes/users.ts": HEAD + 'export const users = new Hono();\nusers.get("/", requireScope("api:read"), h);\n',
        "lib/app.ts": HEAD + "export const createApp = () => new Hono();\n",
        "index.ts": HEAD + 'import { users } from "@/routes/users";\nimport { createApp } from "~lib/app";\n'
                           'const app = createApp();\napp.route("/users", users);\nexport default app;\n',
    }
    tsconfig = """{
      // comments and trailing commas, as tsconfig.json allows
      "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"], "~lib/*": ["src/lib/*",], }, },
    }"""
    write_tree(tmp_path, {f"{SVC}/tsconfig.json": tsconfig})
    m = model(tmp_path, files)
    assert scopes(m) == {"GET /users": ["api:read"]} and not m.route_problems


def test_ways_around_the_table_fail_closed(tmp_path: Path) -> None:
    cases = {
        "computed-method": ('const m = process.env.M;\napp[m]("/x", h);\n', "app[m]", "chosen at run"),
        "indirect-call": ('app.post.call(app, "/x", h);\n', "app.post.call", "used indirectly"),
        "foreign-router": ('import { makeRouter } from "@acme/web";\nconst r = makeRouter();\nr.post("/x", (c: any) => c.text("x"));\n'
                           'app.get("/ok", requireScope("api:read"), h);\n', "r.post", "cannot tell is a Hono router"),
        "spread-mount": ('import { mounts } from "@acme/web";\napp.route(...mounts);\n', "...mounts", "arguments of this .route()"),
        "spread-on": ('import { spec } from "@acme/web";\napp.on(...spec);\n', "...spec", "arguments of this .on()"),
        "recursion": ('function deep(n: number): void { deep(n + 1); }\ndeep(0);\napp.get("/ok", requireScope("api:read"), h);\n',
                      "deep(n + 1)", "nested deeper"),
    }
    for name, (body, needle, words) in cases.items():
        src = HEAD + "export const app = new Hono();\n" + body
        m = model(tmp_path / name, {"index.ts": src})
        hits = [p for p in m.route_problems if words in p.message]
        assert hits, (name, [p.message for p in m.route_problems])
        assert hits[0].line == line(src, needle), (name, hits[0])


def test_a_path_the_gate_cannot_read_is_not_filed_under_the_previous_path(tmp_path: Path) -> None:
    """Hono takes a non-string first argument as a handler at the current path: an unread path
    (a package constant, an environment variable) must not be filed under the path before it."""
    cases = {
        "package-constant": ('import { P } from "@platform/paths";\napp.get("/health", h);\n'
                             'app.post(P.users, h);\n', "P.users", ".post()"),
        "env": ('app.get("/health", h);\napp.delete(process.env.X as string, h);\n', "process.env.X", ".delete()"),
        "use-prefix": ('import { P } from "@platform/paths";\napp.use(P.admin, requireScope("api:write"));\n'
                       'app.get("/x", h);\n', "P.admin", ".use()"),
    }
    for name, (body, needle, words) in cases.items():
        src = HEAD + "export const app = new Hono();\n" + body
        m = model(tmp_path / name, {"index.ts": src})
        hits = [p for p in m.route_problems if words in p.message and "not known" in p.message]
        assert hits and hits[0].line == line(src, needle), (name, [p.message for p in m.route_problems])
    src = HEAD + ('import { auth } from "@platform/auth";\nimport { P } from "@platform/mw";\nexport const app = new Hono();\n'
                  'app.use(auth);\napp.use(P.cors);\napp.get("/x", h).post(requireScope("api:write"), h);\n')
    m = model(tmp_path / "handlers", {"index.ts": src})
    assert table(m) == {("GET", "/x"), ("POST", "/x")} and not m.route_problems


def test_serving_the_app_is_not_a_lost_trail(tmp_path: Path) -> None:
    src = HEAD + ('import { serve } from "@hono/node-server";\nexport const app = new Hono();\n'
                  'app.get("/x", requireScope("api:read"), h);\nserve({ fetch: app.fetch });\n'
                  "export default { fetch: app.fetch.bind(app), port: 3000 };\n")
    m = model(tmp_path, {"index.ts": src})
    assert scopes(m) == {"GET /x": ["api:read"]} and not m.route_problems


def test_a_class_extending_hono_builds_routers(tmp_path: Path) -> None:
    src = HEAD + "class Api extends Hono {}\nexport const app = new Api();\napp.post(\"/x\", h);\n"
    m = model(tmp_path, {"index.ts": src})
    assert table(m) == {("POST", "/x")} and not m.route_problems


def test_middleware_in_dead_code_is_not_credited(tmp_path: Path) -> None:
    src = HEAD + """
export const app = new Hono();
if (false) {
  app.use("*", requireScope("api:read"));
}
function neverCalled() {
  app.use("*", requireScope("api:read"));
}
app.get("/x", h);
"""
    m = model(tmp_path, {"index.ts": src})
    assert scopes(m) == {"GET /x": []}


def test_a_string_export_name_is_read_like_the_import_that_names_it(tmp_path: Path) -> None:
    users = HEAD + 'const users = new Hono();\nusers.get("/", requireScope("api:read"), h);\nexport { users as "users-app" };\n'
    index = HEAD + 'import { "users-app" as users } from "./users";\nexport const app = new Hono();\napp.route("/users", users);\n'
    m = model(tmp_path, {"index.ts": index, "users.ts": users})
    assert scopes(m) == {"GET /users": ["api:read"]} and not m.route_problems, [p.message for p in m.route_problems]
