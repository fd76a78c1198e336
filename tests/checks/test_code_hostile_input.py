"""Hostile or unusual code does not crash the analysis nor make it slow: long call chains, deep
member chains, deep parentheses (no recursion over the tree, no walk up per call)."""

import time
from pathlib import Path

from gate.checks._code import code_model
from gate.context import Ctx
from tests.helpers import make_run, write_tree


def test_long_chains_and_deep_nesting(tmp_path: Path) -> None:
    n = 2500
    chain = "app" + "".join(f'.get("/r{i}", (c) => c.json({{}}))' for i in range(n))
    member = "x" + ".a" * n
    parens = "(" * 1500 + "1" + ")" * 1500
    write_tree(tmp_path, {
        "services/x/service.yaml": "name: x\n",
        "services/x/src/a.ts": 'import { Hono } from "hono";\nexport const app = new Hono();\n' + chain + ";\n",
        "services/x/src/b.ts": f"export const f = () => {member}(1);\nexport const g = () => fetch({parens});\n",
    })
    run = make_run(tmp_path)
    ctx = Ctx(run, run.all_services[0])
    t0 = time.perf_counter()
    m = code_model(ctx)
    assert time.perf_counter() - t0 < 10
    assert len(m.routes) == n
    assert m.routes[0].key.startswith("GET /r")
    calls = {c.callee for c in m.calls}
    assert member in calls and "fetch" in calls
