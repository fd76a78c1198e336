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


def test_spreads_of_spreads_are_followed_within_a_bound(tmp_path: Path) -> None:
    from tests.checks.code_fixture import INDEX, INDEX_TS, line_of, run

    levels = ["const l0 = { a: 1 };"] + [
        f"const l{i} = {{ {', '.join(f'...l{i - 1}' for _ in range(6))} }};" for i in range(1, 12)]
    logged = INDEX_TS.index("  logger.info({")
    end = INDEX_TS.index("});\n", logged) + 4
    src = INDEX_TS.replace("export const publicPaths", "\n".join(levels) + "\nexport const publicPaths")
    src = src.replace(INDEX_TS[logged:end], "  logger.info({ ...l11, client_id: 1, brand_id: 2 });\n")
    t0 = time.perf_counter()
    r = run(tmp_path, "observability.log-fields", index=src)
    assert time.perf_counter() - t0 < 10
    (f,) = r.findings
    assert (f.path, f.line) == (INDEX, line_of(src, "logger.info({ ...l11"))
    assert f.message.startswith("the request log lacks request_id, route, status, duration_ms (...l2, ...l3, ...l4 and 6 more "
                              "are not constant objects"), f.message
