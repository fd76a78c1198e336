"""``prodgate routes``: the route table as the gate sees it, as text and JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import write_tree

ROOT = Path(__file__).resolve().parents[2]
SVC = "services/api"
INDEX = """
import { Hono } from "hono";
import { requireScope } from "@platform/auth"; import { rateLimit } from "@platform/rate-limit";
export const publicPaths = ["/healthz"];
const app = new Hono();
app.use("/admin/*", requireScope("api:admin"));
app.get("/healthz", (c) => c.text("ok"));
app.get("/admin/users", rateLimit("read"), (c) => c.json([]));
app.post("/items", (c) => c.json({}));
app.get("/::error file=x::owned", requireScope("api:read"), (c) => c.json({}));
export default app;
"""


def prodgate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "gate", "routes", *args], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_text_and_json(tmp_path: Path) -> None:
    write_tree(tmp_path, {f"{SVC}/service.yaml": "name: api\n", f"{SVC}/src/index.ts": INDEX, ".git/HEAD": "x\n"})
    r = prodgate(tmp_path, SVC)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "GET     /admin/users" in out and f"at {SVC}/src/index.ts:7" in out
    assert 'middleware: requireScope("api:admin") [use /admin/*] > rateLimit("read")' in out
    assert "scope: api:admin" in out and "scope: public (publicPaths)" in out
    post = out[out.index("POST    /items"):]
    assert "scope: NO SCOPE" in post.split("\n  GET")[0]
    # a workflow command is read from a line's start, white space trimmed: repository text is never there
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    assert "/::error file=x::owned" in out
    j = json.loads(prodgate(tmp_path, SVC, "--format", "json").stdout)
    routes = {f"{x['method']} {x['path']}": x for x in j["services"]["api"]["routes"]}
    admin = routes["GET /admin/users"]
    assert admin["line"] == 7 and admin["scopes"] == ["api:admin"] and not admin["public"]
    assert [m["name"] for m in admin["middleware"]] == ["requireScope", "rateLimit"]
    assert admin["middleware"][0]["via"] == "/admin/*" and admin["middleware"][0]["args"] == ["api:admin"]
    assert routes["POST /items"]["scopes"] == [] and routes["GET /healthz"]["public"]


def test_lost_trail_is_shown_and_exits_1(tmp_path: Path) -> None:
    src = 'import { Hono } from "hono";\nconst app = new Hono();\napp.get(process.env.P + "/x", (c) => c.text("x"));\nexport default app;\n'
    write_tree(tmp_path, {f"{SVC}/service.yaml": "name: api\n", f"{SVC}/src/index.ts": src, ".git/HEAD": "x\n"})
    r = prodgate(tmp_path)
    assert r.returncode == 1
    assert f"! route table incomplete: {SVC}/src/index.ts:3  the path of this .get() is not known" in r.stdout
    j = json.loads(prodgate(tmp_path, "--format", "json").stdout)
    (p,) = j["services"]["api"]["problems"]
    assert p["line"] == 3 and p["path"] == f"{SVC}/src/index.ts"
