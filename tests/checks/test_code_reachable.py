"""Code that is judged wherever it lives (issue 21): an unscoped router placed in a test or stub
folder, in node_modules, in a *.test.ts / *.spec.ts / *.d.ts file, or written in JavaScript, and
mounted from the app, is production code: auth.require-scope fails at its route. A TODO in an
imported stub stays exempt from conventions.no-todo (the conventions' stubs exemption)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.model import Status
from tests.helpers import item, write_tree

SVC = "services/api"
YAML = "name: api\nowner: team-api\nstatus: stable\nscopes:\n  - name: api:read\n"
ROUTER = 'import { Hono } from "hono";\nexport const open = new Hono();\nopen.post("/drain", (c) => c.text("ok"));\n'
PLACES = {
    "stubs": ("src/stubs/open.ts", "./stubs/open"),
    "test-folder": ("test/open.ts", "../test/open"),
    "__tests__": ("src/__tests__/open.ts", "./__tests__/open"),
    "node_modules": ("node_modules/evil/open.ts", "../node_modules/evil/open"),
    "test-file": ("src/open.test.ts", "./open.test"),
    "spec-file": ("src/open.spec.ts", "./open.spec"),
    "declaration": ("src/open.d.ts", "./open"),
    "javascript": ("src/open.js", "./open.js"),
    "module-js": ("src/open.mjs", "./open.mjs"),
}


@pytest.mark.parametrize("place", sorted(PLACES))
def test_an_unscoped_router_mounted_from_the_app_is_judged(tmp_path: Path, place: str) -> None:
    rel, spec = PLACES[place]
    index = ('import { Hono } from "hono";\nimport { requireScope } from "@platform/auth";\n'
             f'import {{ open }} from "{spec}";\n'
             'export const app = new Hono();\napp.get("/ok", requireScope("api:read"), (c) => c.text("ok"));\n'
             'app.route("/x", open);\nexport default app;\n')
    write_tree(tmp_path, {f"{SVC}/service.yaml": YAML, f"{SVC}/src/index.ts": index,
                          f"{SVC}/{rel}": ROUTER})  # valid JavaScript too
    r = item(tmp_path, "api", "auth.require-scope")
    assert r.status == Status.FAIL, (place, r.status, r.reason)
    (f,) = r.findings
    assert f.path == f"{SVC}/{rel}" and f.line == 3
    assert "POST /x/drain enforces no scope" in f.message


def test_a_todo_in_an_imported_stub_stays_exempt(tmp_path: Path) -> None:
    index = ('import { Hono } from "hono";\nimport { charge } from "./stubs/bank";\n'
             'export const app = new Hono();\napp.get("/ok", (c) => c.json(charge()));\n')
    stub = "// " + "TO" + "DO: the real bank\nexport const charge = () => 1;\n"
    write_tree(tmp_path, {f"{SVC}/service.yaml": YAML, f"{SVC}/src/index.ts": index, f"{SVC}/src/stubs/bank.ts": stub})
    assert item(tmp_path, "api", "conventions.no-todo").status == Status.PASS
