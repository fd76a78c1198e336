"""Throughput of the TypeScript code analysis (gate.sources.ts.code) on a generated service.

Writes a synthetic service of N TypeScript files (N = 100, 200, 500) to a temporary folder:
each file a Hono sub-router with routes (middleware, SQL in ``sql`` templates, a vendor call in
breaker/retry, a logging call), mounted from ``src/index.ts``. Times the whole analysis (read,
parse, collect, route table, SQL parse) on a fresh workspace, best of 3, and prints files/s,
routes/s and the ratio t(500)/t(100) (linear growth ≈ 5); the last column is the time of
the 19 code items on a fresh workspace (the analysis included).

    python bench/bench_code.py [--sizes 100,200,500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gate import config as cfg
from gate.sources.ts import code
from gate.workspace import Workspace

ROUTES_PER_FILE = 4

MODULE = """import {{ Hono }} from "hono";
import {{ requireScope }} from "@platform/auth";
import {{ rateLimit }} from "@platform/rate-limit";
import {{ idempotent }} from "@platform/idempotency";
import {{ audit }} from "@platform/audit";
import {{ breaker, retry }} from "@platform/resilience";
import {{ db, sql }} from "@platform/db";
import {{ logger }} from "@platform/log";
import Stripe from "stripe";

const stripe = new Stripe("key");

/** Resource {i}: list, read, create, delete. */
export const r{i} = new Hono();

r{i}.get("/", requireScope("svc:read"), rateLimit("read"), async (c) => {{
  const rows = await db.many(sql`SELECT id, amount FROM items_{i}
    WHERE brand_id = ${{c.var.brandId}} ORDER BY id LIMIT 50`);
  logger.info({{ count: rows.length }});
  return c.json(rows);
}});

r{i}.get("/:id", requireScope("svc:read"), rateLimit("read"), async (c) => {{
  const row = await db.one(sql`SELECT * FROM items_{i} WHERE id = ${{c.req.param("id")}} AND brand_id = ${{c.var.brandId}}`);
  return c.json(row);
}});

r{i}.post("/", requireScope("svc:write"), rateLimit("write"), idempotent(), async (c) => {{
  const body = await c.req.json();
  const charge = await breaker("stripe", () =>
    retry(() => stripe.charges.create({{ amount: body.amount }}), {{ retries: 3, backoff: "exponential", jitter: true }}),
  );
  await db.none(sql`INSERT INTO items_{i} (id, brand_id, amount) VALUES (${{charge.id}}, ${{c.var.brandId}}, ${{body.amount}})`);
  await audit(c, "item_{i}.created", {{ id: charge.id }});
  return c.json({{ id: charge.id }}, 201);
}});

r{i}.delete("/:id", requireScope("svc:write"), rateLimit("write"), idempotent(), async (c) => {{
  await db.none(sql`DELETE FROM items_{i} WHERE id = ${{c.req.param("id")}} AND brand_id = ${{c.var.brandId}}`);
  await audit(c, "item_{i}.deleted", {{ id: c.req.param("id") }});
  return c.body(null, 204);
}});
"""


def write_service(root: Path, n: int) -> str:
    svc = root / "services" / "svc"
    (svc / "src" / "routes").mkdir(parents=True, exist_ok=True)
    (svc / "service.yaml").write_text("name: svc\n", encoding="utf-8")
    imports, mounts = [], []
    for i in range(n - 1):
        (svc / "src" / "routes" / f"r{i}.ts").write_text(MODULE.format(i=i), encoding="utf-8")
        imports.append(f'import {{ r{i} }} from "./routes/r{i}";')
        mounts.append(f'app.route("/items{i}", r{i});')
    index = "\n".join([
        'import { Hono } from "hono";', *imports,
        "export const publicPaths = [\"/healthz\"];",
        "export const app = new Hono();",
        'app.get("/healthz", (c) => c.json({ ok: true }));', *mounts, "",
    ])
    (svc / "src" / "index.ts").write_text(index, encoding="utf-8")
    return "services/svc"


CODE_ITEMS = (
    "auth.require-scope", "auth.public-paths", "auth.baa-gate", "conventions.scope-enforcement",
    "conventions.audit", "conventions.brand-scoping", "conventions.no-raw-fetch",
    "conventions.no-phi-logging", "conventions.no-todo", "conventions.route-tests",
    "idempotency.mutation-key", "idempotency.event-dedupe", "idempotency.cron-retry",
    "resilience.rate-limits", "resilience.circuit-breakers", "resilience.retries",
    "observability.otel", "observability.service-name", "observability.log-fields",
)


def measure_checks(root: Path) -> float:
    """Seconds for the code items over one analysis (the analysis included)."""
    import datetime as dt

    from gate.catalog import BY_ID
    from gate.context import Ctx, RunInfo
    from gate.engine import run_check
    from gate.services import discover

    ws = Workspace(root)
    conf = cfg.defaults()
    run = RunInfo(ws, conf, dt.datetime.now(dt.UTC), all_services=discover(ws, "services"))
    ctx = Ctx(run, run.all_services[0])
    t0 = time.perf_counter()
    for item in CODE_ITEMS:
        run_check(BY_ID[item], ctx)
    return time.perf_counter() - t0


def measure(n: int, repeat: int) -> tuple[float, int, int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        svc = write_service(root, n)
        conf = cfg.defaults()
        best = float("inf")
        routes = stmts = 0
        for _ in range(repeat):
            ws = Workspace(root)
            t0 = time.perf_counter()
            model = code.analyse(ws, conf, svc)
            dt = time.perf_counter() - t0
            best = min(best, dt)
            routes, stmts = len(model.routes), len(model.statements)
            assert len(model.files) == n, (len(model.files), n)
        checks = min(measure_checks(root) for _ in range(repeat))
        return best, routes, stmts, checks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,200,500")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    times: dict[int, float] = {}
    print(f"{'files':>6} {'routes':>7} {'sql':>6} {'seconds':>8} {'files/s':>9} {'routes/s':>9} {'+19 items':>10}")
    for n in sizes:
        t, routes, stmts, checks = measure(n, args.repeat)
        times[n] = t
        print(f"{n:>6} {routes:>7} {stmts:>6} {t:>8.3f} {n / t:>9.0f} {routes / t:>9.0f} {checks:>9.3f}s")
    if 100 in times and 500 in times:
        print(f"t(500)/t(100) = {times[500] / times[100]:.2f}  (linear ≈ 5)")


if __name__ == "__main__":
    main()
