"""The one reader of TypeScript imports: import statements (gate.sources.ts.parse.import_names)
and the one resolver of specifiers to a service's files (gate.sources.ts.imports.resolver), which
the code analysis, the route table, helper provenance and values followed across files share."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.checks._code import code_model
from gate.context import Ctx
from gate.sources.ts import imports as tsimports
from gate.sources.ts import parse as ts
from tests.helpers import make_run, write_tree

SVC = "services/api"


def names(src: str) -> list[tuple[str, str, str, bool]]:
    f = ts.parse("x.ts", src.encode())
    return [(n.binding, n.name, n.kind, n.type_only)
            for st in f.root.named_children if st.type == "import_statement" for n in ts.import_names(f, st)]


def test_import_names_reads_every_kind_of_binding() -> None:
    src = ('import D, { a, b as c, type T, "d-e" as de } from "m";\n'
           'import * as ns from "n";\nimport type { U } from "u";\nimport type V from "v";\nimport "side";\n')
    assert names(src) == [("D", "default", "default", False), ("a", "a", "named", False), ("c", "b", "named", False),
                          ("T", "T", "named", True), ("de", "d-e", "named", False), ("ns", "*", "namespace", False),
                          ("U", "U", "named", True), ("V", "default", "default", True)]


def test_module_specifiers_are_imports_and_re_exports() -> None:
    f = ts.parse("x.ts", b'import a from "./a";\nexport { b } from "./b.js";\nexport * from "@/c";\nexport const x = 1;\n')
    assert ts.module_specifiers(f) == ["./a", "./b.js", "@/c"]


def test_the_resolver_names_the_services_files() -> None:
    known = {f"{SVC}/src/{p}" for p in ("a.ts", "b/index.ts", "c.tsx", "d.d.ts", "lib/e.mjs")}
    aliases = [("@/*", [f"{SVC}/src/*"]), ("~e", [f"{SVC}/src/lib/e.mjs"])]
    resolve = tsimports.resolver(SVC, aliases, known)
    at = f"{SVC}/src/x.ts"
    assert resolve(at, "./a") == resolve(at, "./a.js") == f"{SVC}/src/a.ts"  # ./a.js written, a.ts on disk
    assert resolve(at, "./b") == f"{SVC}/src/b/index.ts"
    assert resolve(at, "./c.jsx") == f"{SVC}/src/c.tsx"
    assert resolve(at, "./d") == f"{SVC}/src/d.d.ts"
    assert resolve(at, "@/b") == f"{SVC}/src/b/index.ts" and resolve(at, "~e") == f"{SVC}/src/lib/e.mjs"
    assert resolve(at, "./missing") is None and resolve(at, "hono") is None and resolve(at, "@/missing") is None
    assert resolve(at, "../../other/src/a") is None  # outside the service: not its code
    # TypeScript does not add .mjs to an extensionless specifier: no file
    assert resolve(at, "./lib/e") is None and resolve(at, "./lib/e.mjs") == f"{SVC}/src/lib/e.mjs"


S = f"{SVC}/src"
#: (files present, specifier, the file TypeScript resolves it to under moduleResolution "bundler";
#: a declaration file only when no code file is found: the code that runs is in the file beside it)
TS_ORDER = [
    (("a.ts", "a.tsx", "a.d.ts", "a.js", "a.jsx"), "./a", "a.ts"),
    (("a.tsx", "a.d.ts", "a.js"), "./a", "a.tsx"),
    (("a.d.ts", "a.js", "a.jsx"), "./a", "a.js"),
    (("a.d.ts",), "./a", "a.d.ts"),
    (("a.js", "a.jsx", "a.mts", "a.mjs"), "./a", "a.js"),
    (("a.mts", "a.mjs", "a.cts"), "./a", None),  # TypeScript adds no .mts/.mjs/.cts
    # a file before a folder
    (("routes.ts", "routes/index.ts"), "./routes", "routes.ts"),
    (("routes.js", "routes/index.ts"), "./routes", "routes.js"),
    (("routes/index.ts", "routes/index.js", "routes/index.tsx"), "./routes", "routes/index.ts"),
    (("routes/index.tsx", "routes/index.d.ts"), "./routes/", "routes/index.tsx"),
    (("routes.ts", "routes/index.ts"), "./routes/", "routes/index.ts"),  # a trailing slash: a folder
    # a written .js stands for the TypeScript file first
    (("x.ts", "x.js"), "./x.js", "x.ts"),
    (("x.tsx", "x.js"), "./x.js", "x.tsx"),
    (("x.d.ts", "x.js"), "./x.js", "x.js"),
    (("x.js", "x.js/index.ts"), "./x.js", "x.js"),
    (("x.js.ts",), "./x.js", "x.js.ts"),
    (("x.ts", "x.jsx", "x.tsx"), "./x.jsx", "x.tsx"),
    (("x.ts", "x.jsx"), "./x.jsx", "x.ts"),
    (("x.ts", "x.mts", "x.mjs"), "./x.mjs", "x.mts"),
    (("x.d.mts", "x.mjs"), "./x.mjs", "x.mjs"),
    (("x.d.mts",), "./x.mjs", "x.d.mts"),
    (("x.cjs", "x.cts"), "./x.cjs", "x.cts"),
    # a written TypeScript extension: that file first
    (("x.ts", "x.tsx", "x.js"), "./x.ts", "x.ts"),
    (("x.tsx", "x.ts"), "./x.tsx", "x.tsx"),
    (("x.service.ts", "x.ts"), "./x.service", "x.service.ts"),
]


@pytest.mark.parametrize(("present", "spec", "expected"), TS_ORDER)
def test_the_resolver_follows_typescripts_order(present, spec, expected) -> None:
    files = {f"{S}/{p}" for p in present}
    want = f"{S}/{expected}" if expected else None
    at = f"{S}/app.ts"
    # whichever of them were listed before, and whichever only the disk holds
    assert tsimports.resolver(SVC, [], files)(at, spec) == want
    assert tsimports.resolver(SVC, [], set(), files.__contains__)(at, spec) == want
    for listed in files:
        assert tsimports.resolver(SVC, [], {listed}, files.__contains__)(at, spec) == want, listed


#: (files present, specifier, the file esbuild bundles: SST's bundler)
ESBUILD_ORDER = [
    (("a.ts", "a.tsx"), "./a", "a.tsx"),  # its resolveExtensions: .tsx first
    (("a.ts", "a.js"), "./a", "a.ts"),
    (("a.d.ts", "a.js"), "./a", "a.js"),  # a declaration is never bundled
    (("a.d.ts",), "./a", None),
    (("x.ts", "x.js"), "./x.js", "x.js"),  # the written file first, then .js rewritten to .ts
    (("x.ts",), "./x.js", "x.ts"),
    (("routes.ts", "routes/index.ts"), "./routes", "routes.ts"),
    (("routes.ts", "routes/index.ts"), "./routes/", "routes/index.ts"),
    (("x.mts", "x.mjs"), "./x.mjs", "x.mjs"),
]


@pytest.mark.parametrize(("present", "spec", "expected"), ESBUILD_ORDER)
def test_the_bundler_resolver_follows_esbuilds_order(present, spec, expected) -> None:
    files = {f"{S}/{p}" for p in present}
    want = f"{S}/{expected}" if expected else None
    assert tsimports.resolver(SVC, [], set(), files.__contains__, bundler=True)(f"{S}/app.ts", spec) == want


@pytest.mark.parametrize(("real", "decoy", "spec"), [
    ("admin.js", "admin.ts", "./admin.js"),   # TypeScript reads admin.ts, esbuild ships admin.js
    ("admin.tsx", "admin.ts", "./admin"),     # TypeScript reads admin.ts, esbuild ships admin.tsx
])
def test_an_import_compilers_resolve_differently_fails_the_code_items(tmp_path: Path, real: str, decoy: str,
                                                                      spec: str) -> None:
    """A scoped stand-in beside the file that ships: the gate would judge the stand-in, so the
    import itself fails every code item, at its line, naming both files."""
    unscoped = ('import { Hono } from "hono";\nexport const admin = new Hono();\n'
                'admin.get("/admin/users", (c) => c.json([]));\n')
    scoped = ('import { Hono } from "hono";\nimport { requireScope } from "@acme/auth";\n'
              'export const admin = new Hono();\n'
              'admin.get("/admin/users", requireScope("admin:read"), (c) => c.json([]));\n')
    write_tree(tmp_path, {
        f"{SVC}/service.yaml": "name: api\nowner: team-api\nstatus: stable\n",
        f"{SVC}/src/index.ts": f'import {{ Hono }} from "hono";\nimport {{ admin }} from "{spec}";\n'
                               'const app = new Hono();\napp.route("/", admin);\nexport default app;\n',
        f"{SVC}/src/{real}": unscoped,
        f"{SVC}/src/{decoy}": scoped,
    })
    run = make_run(tmp_path)
    m = code_model(Ctx(run, run.all_services[0]))
    found = [f for f in m.errors if "names two files" in f.message]
    assert len(found) == 1, m.errors
    f = found[0]
    assert (f.path, f.line) == (f"{SVC}/src/index.ts", 2)
    assert f.message == (f"{SVC}/src/index.ts:2: '{spec}' names two files: TypeScript reads {SVC}/src/{decoy}, "
                         f"esbuild (which SST bundles with) ships {SVC}/src/{real}; the gate cannot tell which code "
                         "runs: keep one of them")


def test_a_folders_package_json_names_its_file_before_its_index() -> None:
    files = {f"{S}/admin/index.ts", f"{S}/admin/lib/real.ts", f"{S}/admin/lib/types.d.ts", f"{S}/admin/main/index.ts"}
    at = f"{S}/app.ts"

    def with_package(pkg: str | None) -> tsimports.ModuleFile:
        return tsimports.resolver(SVC, [], files, read={f"{S}/admin/package.json": pkg}.get)

    assert with_package('{"main": "./lib/real.js"}')(at, "./admin") == f"{S}/admin/lib/real.ts"
    # the types it names are declarations: the code is the file ``main`` names
    assert with_package('{"types": "./lib/types.d.ts", "main": "./lib/real.js"}')(at, "./admin") == \
        f"{S}/admin/lib/real.ts"
    assert with_package('{"types": "./lib/types.d.ts"}')(at, "./admin") == f"{S}/admin/index.ts"
    assert with_package('{"main": "main"}')(at, "./admin") == f"{S}/admin/main/index.ts"
    # none, a field naming no file, or not JSON: the index
    for pkg in (None, '{"main": "./gone.js"}', "{", "[]"):
        assert with_package(pkg)(at, "./admin") == f"{S}/admin/index.ts"
    # without a reader, the index
    assert tsimports.resolver(SVC, [], files)(at, "./admin") == f"{S}/admin/index.ts"


def test_the_resolver_asks_the_disk_only_when_told() -> None:
    on_disk = {f"{SVC}/test/stub.ts"}
    at = f"{SVC}/src/x.ts"
    assert tsimports.resolver(SVC, [], set())(at, "../test/stub") is None
    assert tsimports.resolver(SVC, [], set(), on_disk.__contains__)(at, "../test/stub") == f"{SVC}/test/stub.ts"


def test_values_are_followed_through_a_path_alias(tmp_path: Path) -> None:
    """A constant imported through a tsconfig.json alias is followed like one imported by a
    relative path (the route table already followed aliases; values now use the same resolver)."""
    write_tree(tmp_path, {
        f"{SVC}/service.yaml": "name: api\nowner: team-api\nstatus: stable\n",
        f"{SVC}/tsconfig.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@/*": ["./src/*"]}}}',
        f"{SVC}/src/queries.ts": 'export const LIST = "SELECT id FROM items WHERE brand_id = $1";\n',
        f"{SVC}/src/index.ts": 'import { db } from "@platform/db";\nimport { LIST } from "@/queries";\n'
                               "export const list = (b: string) => db.many(LIST, [b]);\n",
    })
    run = make_run(tmp_path)
    m = code_model(Ctx(run, run.all_services[0]))
    assert [(s.path, s.line) for s in m.statements] == [(f"{SVC}/src/queries.ts", 1)]


def test_an_import_past_the_bound_fails_every_code_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files the code imports from outside src/ are followed up to MAX_REACHED; the first
    import past it is a finding (the files it leads to are never judged as passing)."""
    from gate.model import Status
    from tests.helpers import item

    monkeypatch.setattr(tsimports, "MAX_REACHED", 2)
    write_tree(tmp_path, {
        f"{SVC}/service.yaml": "name: api\nowner: team-api\nstatus: stable\nscopes: [{name: api:read}]\n",
        f"{SVC}/src/index.ts": 'import { Hono } from "hono";\nimport { a } from "../lib/a";\n'
                               "export const app = new Hono();\napp.route(\"/a\", a);\n",
        f"{SVC}/lib/a.ts": 'import { Hono } from "hono";\nimport { b } from "./b";\nexport const a = new Hono();\n'
                           'a.route("/b", b);\n',
        f"{SVC}/lib/b.ts": 'import { Hono } from "hono";\n\nimport { c } from "./c";\nexport const b = new Hono();\n'
                           'b.route("/c", c);\n',
        # past the bound: an unscoped route the gate would otherwise judge
        f"{SVC}/lib/c.ts": 'import { Hono } from "hono";\nexport const c = new Hono();\nc.get("/x", (ctx) => ctx.json({}));\n',
    })
    run = make_run(tmp_path)
    m = code_model(Ctx(run, run.all_services[0]))
    assert f"{SVC}/lib/c.ts" not in m.files and f"{SVC}/lib/b.ts" in m.files
    (f,) = m.errors
    assert f.path == f"{SVC}/lib/b.ts" and f.line == 3
    assert f.message.startswith(f"{SVC}/lib/b.ts:3: the import of './c' ({SVC}/lib/c.ts) was not followed: the "
                                "service's code imports more than 2 files beyond its own src/ files")
    r = item(tmp_path, "api", "auth.require-scope")
    assert r.status == Status.FAIL and f.message in [x.message for x in r.findings]
    # within the bound: followed, no such finding
    monkeypatch.setattr(tsimports, "MAX_REACHED", 3)
    run = make_run(tmp_path)
    m = code_model(Ctx(run, run.all_services[0]))
    assert f"{SVC}/lib/c.ts" in m.files and m.errors == []


@pytest.mark.parametrize(("spec", "tsconfig"), [
    ("../../../lib/keys", None),
    ("@shared/keys", '{"compilerOptions": {"baseUrl": ".", "paths": {"@shared/*": ["../../lib/*"]}}}'),
])
def test_an_import_that_leaves_the_service_fails_the_code_items(tmp_path: Path, spec: str,
                                                                 tsconfig: str | None) -> None:
    """Code outside the service's folder is not judged (nor re-judged when a PR changes it): an
    import of it is a finding at its line that fails every code item."""
    files = {
        f"{SVC}/service.yaml": "name: api\nowner: team-api\nstatus: stable\n",
        f"{SVC}/src/secrets.ts": f'import {{ key }} from "{spec}";\nexport const k = () => key();\n',
        "lib/keys.ts": 'import { Resource } from "sst";\nexport const key = () => Resource.Undeclared.value;\n',
    }
    if tsconfig:
        files[f"{SVC}/tsconfig.json"] = tsconfig
    write_tree(tmp_path, files)
    run = make_run(tmp_path)
    m = code_model(Ctx(run, run.all_services[0]))
    (f,) = [e for e in m.errors if "outside the service" in e.message]
    assert (f.path, f.line) == (f"{SVC}/src/secrets.ts", 1)
    assert f.message == (f"{SVC}/src/secrets.ts:1: '{spec}' imports lib/keys.ts, outside the service's folder: the "
                         "gate judges a service by its own files (and packages by their name), so that code is not "
                         "judged; move it into the service, or into a package under packages/ imported by its name")


def test_an_import_of_a_package_by_name_or_of_nothing_on_disk_is_not_a_finding(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        f"{SVC}/service.yaml": "name: api\nowner: team-api\nstatus: stable\n",
        f"{SVC}/src/a.ts": 'import { http } from "@platform/http";\nimport x from "../../../gone";\nexport const a = [http, x];\n',
    })
    run = make_run(tmp_path)
    m = code_model(Ctx(run, run.all_services[0]))
    assert not [e for e in m.errors if "outside the service" in e.message]
