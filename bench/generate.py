"""Synthetic platform repositories written to the conventions, for benchmarks and stress tests.

``generate(root, services=N)`` writes N services, each with a realistic openapi.yaml (~40
operations), ~30 migrations, ~40 TypeScript files, infra.ts, docs pages and an SDK package.
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

RESOURCES = ("accounts", "invoices", "refunds", "ledgers", "payouts", "disputes", "customers", "plans",
             "coupons", "events")


def _w(root: Path, rel: str, text: str) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def _openapi(name: str, ops: int) -> str:
    lines = [
        "openapi: 3.1.0",
        f"info: {{title: {name}, version: 1.0.0}}",
        "components:",
        "  parameters:",
        "    IdempotencyKey: {name: Idempotency-Key, in: header, required: true, schema: {type: string}}",
        "paths:",
        "  /healthz:",
        "    get:",
        "      operationId: healthz",
        "      description: Liveness probe.",
        "      responses:",
        "        '200':",
        "          description: ok",
        "          content: {application/json: {example: {ok: true}}}",
    ]
    n = 0
    for i in range(max(1, ops // 4)):
        res = f"{RESOURCES[i % len(RESOURCES)]}{i}"
        lines += [
            f"  /{res}:",
            "    get:",
            f"      operationId: list{res.title()}",
            f"      description: List {res}.",
            "      responses:",
            "        '200': {description: ok, content: {application/json: {example: [{id: a1}]}}}",
            "    post:",
            f"      operationId: create{res.title()}",
            f"      description: Create one of {res}.",
            "      parameters: [{$ref: '#/components/parameters/IdempotencyKey'}]",
            "      requestBody: {content: {application/json: {example: {amount: 100}}}}",
            "      responses:",
            "        '201': {description: created, content: {application/json: {example: {id: a1}}}}",
            f"  /{res}/{{id}}:",
            "    get:",
            f"      operationId: get{res.title()}",
            f"      description: Get one of {res}.",
            "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]",
            "      responses:",
            "        '200': {description: ok, content: {application/json: {example: {id: a1}}}}",
            "    delete:",
            f"      operationId: delete{res.title()}",
            f"      description: Delete one of {res}.",
            "      parameters: [{name: id, in: path, required: true, schema: {type: string}}, {$ref: '#/components/parameters/IdempotencyKey'}]",
            "      responses:",
            "        '204': {description: deleted}",
        ]
        n += 4
    return "\n".join(lines) + "\n"


def _route_file(name: str, i: int) -> str:
    res = f"{RESOURCES[i % len(RESOURCES)]}{i}"
    return f'''
    import {{ Hono }} from "hono";
    import {{ requireScope }} from "@platform/auth";
    import {{ rateLimit }} from "@platform/rate-limit";
    import {{ idempotent }} from "@platform/idempotency";
    import {{ audit }} from "@platform/audit";
    import {{ db, sql }} from "@platform/db";

    export const r{i} = new Hono();

    r{i}.get("/{res}", requireScope("{name}:read"), rateLimit("read"), async (c) => {{
      const rows = await db.many(sql`SELECT id, amount FROM {res} WHERE brand_id = ${{c.var.brandId}} ORDER BY id LIMIT 50`);
      return c.json(rows);
    }});

    r{i}.post("/{res}", requireScope("{name}:write"), rateLimit("write"), idempotent(), async (c) => {{
      const body = await c.req.json();
      const row = await db.one(sql`INSERT INTO {res} (id, brand_id, amount) VALUES (${{body.id}}, ${{c.var.brandId}}, ${{body.amount}}) RETURNING id`);
      await audit(c, "{res}.created", {{ id: row.id }});
      return c.json(row, 201);
    }});

    r{i}.get("/{res}/:id", requireScope("{name}:read"), rateLimit("read"), async (c) => {{
      const row = await db.one(sql`SELECT * FROM {res} WHERE id = ${{c.req.param("id")}} AND brand_id = ${{c.var.brandId}}`);
      return c.json(row);
    }});

    r{i}.delete("/{res}/:id", requireScope("{name}:write"), rateLimit("write"), idempotent(), async (c) => {{
      await db.none(sql`DELETE FROM {res} WHERE id = ${{c.req.param("id")}} AND brand_id = ${{c.var.brandId}}`);
      await audit(c, "{res}.deleted", {{ id: c.req.param("id") }});
      return c.body(null, 204);
    }});
    '''


def _helper_file(i: int) -> str:
    return f'''
    // helpers {i}
    export function format{i}(amount: number, currency: string): string {{
      const value = (amount / 100).toFixed(2);
      return `${{value}} ${{currency}}`;
    }}

    export interface Row{i} {{
      id: string;
      amount: number;
      createdAt: Date;
    }}

    export const LIMITS_{i} = {{ page: 50, max: 500 }} as const;
    '''


def _migration(i: int, res: str) -> str:
    if i == 0:
        return f"""
        CREATE TABLE {res} (
          id text PRIMARY KEY,
          brand_id text NOT NULL,
          amount bigint NOT NULL DEFAULT 0,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        """
    return f"""
    SET lock_timeout = '5s';
    ALTER TABLE {res} ADD COLUMN note_{i} text;
    CREATE INDEX CONCURRENTLY IF NOT EXISTS {res}_note_{i}_idx ON {res} (note_{i});
    ALTER TABLE {res} ADD CONSTRAINT {res}_amount_{i}_chk CHECK (amount >= 0) NOT VALID;
    ALTER TABLE {res} VALIDATE CONSTRAINT {res}_amount_{i}_chk;
    COMMENT ON COLUMN {res}.note_{i} IS 'note {i}';
    """


def generate_service(root: Path, name: str, ops: int = 40, migrations: int = 30, ts_files: int = 40,
                     consumers: tuple[str, ...] = ()) -> None:
    title = name.title()
    svc = f"services/{name}"
    _w(root, f"{svc}/service.yaml", f"""
    name: {name}
    description: Synthetic service {name}.
    owner: team-{name}
    status: stable
    tier: 2
    brand_scope: [all]
    phi: false
    on_call:
      primary: alice
      secondary: bob
      pagerduty_schedule: P{hashlib.sha1(name.encode()).hexdigest()[:6].upper()}
    dashboards:
      - https://grafana.platform.loop.health/d/{name}
    contracts:
      openapi: openapi.yaml
      consumes: []
      events:
        publishes: []
        subscribes: []
    scopes:
      - name: {name}:read
      - name: {name}:write
    rate_limits:
      read: 600/min
      write: 60/min
    domain_primitives: []
    readiness:
      attestations:
        - {{item: oncall.notified, by: dave, at: 2026-11-20, evidence: https://example.invalid/1}}
        - {{item: oncall.dashboard-access, by: dave, at: 2026-11-20, evidence: https://example.invalid/2}}
    """)
    _w(root, f"{svc}/README.md", f"""
    # {name}

    ## Run locally

    ```sh
    pnpm --filter @platform/{name} dev
    ```
    """)
    _w(root, f"{svc}/RUNBOOK.md", f"""
    # {name} runbook

    ## Alarms
    Error rate, latency p99 and DLQ depth alarms page the on-call.

    ## Dashboards
    https://grafana.platform.loop.health/d/{name}

    ## Remediation
    Restart the service; check the database.

    ## Escalation
    - Primary on-call
    - Secondary on-call

    ## Recent incidents
    None.

    ## Rollback
    Redeploy the previous image; migrations are expand-only and need no rollback.
    """)
    spec = _openapi(name, ops)
    _w(root, f"{svc}/openapi.yaml", spec)
    _w(root, f"{svc}/package.json", f'{{"name": "@platform/{name}", "version": "1.0.0"}}\n')
    routers = max(1, ops // 4)
    imports = "\n".join(f'import {{ r{i} }} from "./routes/r{i}";' for i in range(routers))
    mounts = "\n".join(f'app.route("/", r{i});' for i in range(routers))
    _w(root, f"{svc}/src/app.ts", f'''
    import {{ Hono }} from "hono";
    {imports}

    export const publicPaths = ["/healthz"];
    export const app = new Hono();

    app.get("/healthz", (c) => c.json({{ ok: true }}));
    {mounts}
    ''')
    for i in range(routers):
        _w(root, f"{svc}/src/routes/r{i}.ts", _route_file(name, i))
    for i in range(max(0, ts_files - routers - 1)):
        _w(root, f"{svc}/src/lib/helper{i}.ts", _helper_file(i))
    tests = []
    for i in range(routers):
        res = f"{RESOURCES[i % len(RESOURCES)]}{i}"
        tests.append(f'''
        test("{res}", async () => {{
          await app.request("/{res}");
          await app.request("/{res}", {{ method: "POST" }});
          await app.request("/{res}/1");
          await app.request("/{res}/1", {{ method: "DELETE" }});
        }});''')
    _w(root, f"{svc}/test/integration/routes.test.ts",
       'import { app } from "../../src/app";\n\ntest("healthz", async () => { await app.request("/healthz"); });\n'
       + "\n".join(textwrap.dedent(t) for t in tests) + "\n")
    for i in range(migrations):
        res = f"{RESOURCES[i % len(RESOURCES)]}{i % routers}"
        _w(root, f"{svc}/migrations/{i + 1:04d}_m{i}.sql", _migration(0 if i < routers else i, res))
    _w(root, f"{svc}/infra.ts", f'''
    /// <reference path="../../.sst/platform/config.d.ts" />
    import {{ cluster }} from "../../infra/cluster";
    import {{ alarms }} from "../../infra/alarms";

    const sentryDsn = new sst.Secret("{title}SentryDsn");

    const scaling = {{
      dev: {{ min: 1, max: 1 }},
      staging: {{ min: 1, max: 2 }},
      prod: {{ min: 2, max: 10 }},
    }};

    export const service = new sst.aws.Service("{title}", {{
      cluster,
      image: {{ context: "services/{name}" }},
      link: [sentryDsn],
      scaling: scaling[$app.stage],
      loadBalancer: {{
        domain: {{ name: `{name}.${{$app.stage}}.platform.loop.health`, dns: sst.cloudflare.dns() }},
        rules: [{{ listen: "443/https", forward: "3000/http" }}],
        health: {{ "3000/http": {{ path: "/healthz", interval: "10 seconds" }} }},
      }},
    }});

    alarms("{name}", service, {{
      errorRatePercent: 1,
      latencyP99Ms: 1000,
      dlqDepth: 0,
      critical: "pagerduty",
      warn: "slack",
    }});
    ''')
    _w(root, f"docs/services/{name}.md", f"""
    ---
    title: {name}
    description: Synthetic service {name}.
    status: stable
    owner: team-{name}
    dashboards:
      - https://grafana.platform.loop.health/d/{name}
    ---

    # {name}

    See the [SDK reference](../sdk/{name}.md) and [operations](#operations).

    ## Operations

    Runbook lives beside the code.
    """)
    op_ids = [line.split(":", 1)[1].strip() for line in spec.splitlines() if "operationId:" in line]
    _w(root, f"docs/sdk/{name}.md", f"# @platform/sdk-{name}\n\n" + "\n".join(f"- `{o}`" for o in op_ids) + "\n")
    _w(root, f"packages/sdk-{name}/package.json", f'''
    {{
      "name": "@platform/sdk-{name}",
      "version": "1.0.0",
      "scripts": {{"build": "tsc -p ."}},
      "publishConfig": {{"registry": "https://npm.pkg.github.com"}}
    }}
    ''')
    (root / f"packages/sdk-{name}/.openapi-sha256").write_text(hashlib.sha256(spec.encode()).hexdigest() + "\n")
    _w(root, f"packages/sdk-{name}/src/index.ts", 'export const client = { healthz: () => fetchJson("/healthz") };\ndeclare function fetchJson(p: string): unknown;\n')
    _w(root, f"apps/canary-{name}/src/index.ts",
       f'import {{ client }} from "@platform/sdk-{name}";\n\nexport async function probe(): Promise<void> {{\n  await client.healthz();\n}}\n')


def generate(root: Path, services: int, **kw: int) -> list[str]:
    """Write a repository of ``services`` services under ``root``; returns their names."""
    names = [f"svc{i:04d}" for i in range(services)]
    for name in names:
        generate_service(root, name, **kw)
    imports = "\n".join(f'    await import("./services/{n}/infra");' for n in names)
    _w(root, "sst.config.ts", "export default $config({\n  app() { return { name: \"platform\", home: \"aws\" }; },\n"
       f"  async run() {{\n{imports}\n  }},\n}});\n")
    _w(root, "infra/cluster.ts", "export const cluster = new sst.aws.Cluster(\"Cluster\", { vpc: new sst.aws.Vpc(\"Vpc\") });\n")
    _w(root, "infra/alarms.ts", "export function alarms(name: string, svc: unknown, opts: Record<string, unknown>): void {}\n")
    return names


if __name__ == "__main__":
    import sys

    generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10)
