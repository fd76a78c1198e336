// Loads each corpus app with Hono itself and prints, per app, its route table as Hono's router
// holds it (app.routes) with the file:line where each route was registered, and, per route, the
// scopes whose requireScope ran on a request that this route served (probed with several values
// for each parameter; a scope counts only when it ran on every probe that reached the route).
//
//   node --import tsx harness.mjs <root>=<name>=<entry file> ...
//
// Where a route was registered: every registration reaches the router's add(); the first frame
// of the stack in the app's own files (tsx maps it back to the TypeScript line) is where the
// call was written. A route copied by .route(prefix, sub) keeps the place of the registration it
// copies (Hono copies sub.routes in order, one add() each).
import { pathToFileURL } from "node:url";
import { Hono } from "hono";
import { SmartRouter } from "hono/router/smart-router";

const where = new WeakMap(); // route record -> "file:line"
let copying = null; // { src: the sub-app's route records, k: the next one }
let root = "";

function userFrame() {
  const stack = new Error().stack.split("\n").slice(1);
  for (const line of stack) {
    const m = /\(?(?:file:\/\/)?(\/[^()]*?):(\d+):\d+\)?$/.exec(line.trim());
    if (m && m[1].startsWith(`${root}services/`) && !m[1].includes("/node_modules/")) return `${m[1].slice(root.length)}:${m[2]}`;
  }
  return null;
}

const add = SmartRouter.prototype.add;
SmartRouter.prototype.add = function (method, path, handler) {
  const r = Array.isArray(handler) ? handler[1] : undefined;
  if (r && typeof r === "object") {
    if (copying && copying.k < copying.src.length) where.set(r, where.get(copying.src[copying.k++]) ?? null);
    else where.set(r, userFrame());
  }
  return add.call(this, method, path, handler);
};
const route = Hono.prototype.route;
Hono.prototype.route = function (path, app) {
  const outer = copying;
  copying = { src: [...app.routes], k: 0 };
  try {
    return route.call(this, path, app);
  } finally {
    copying = outer;
  }
};

const CANDIDATES = ["1", "zz", "42", "abc", "a-b", "x.png", "2024"];

const real = (h) => h.__COMPOSED_HANDLER ?? h;
const isMiddleware = (h) => real(h).length > 1 && !String(real(h)).includes("applicationHandler");

function probes(template) {
  // every concrete path the probes try for a route template
  let out = [""];
  const segs = template.split("/").filter((s) => s !== "");
  for (const seg of segs) {
    let vals;
    const m = /^:([A-Za-z0-9_$]+)(\{.*\})?(\?)?$/.exec(seg);
    if (seg === "*") vals = ["x", "x/y"];
    else if (m) {
      if (m[2]) {
        const re = new RegExp(`^(?:${m[2].slice(1, -1)})$`);
        vals = CANDIDATES.filter((v) => re.test(v)).slice(0, 2);
      } else vals = ["1", "zz"];
      if (m[3]) vals = [...vals, null];
    } else if (seg.includes("*")) vals = [seg.replace(/\*/g, "x")];
    else vals = [seg];
    const next = [];
    for (const o of out) for (const v of vals) next.push(v === null ? o : `${o}/${v}`);
    out = next.slice(0, 64);
  }
  const slash = template.length > 1 && template.endsWith("/") ? "/" : "";
  return out.map((p) => (p || "/") + (p ? slash : ""));
}

async function judge(app) {
  const routes = new Map();
  for (const r of app.routes) {
    if (isMiddleware(r.handler)) continue;
    routes.set(`${r.method} ${r.path}`, r);
  }
  const out = [];
  for (const [key, r] of routes) {
    const method = r.method === "ALL" ? "GET" : r.method;
    let scopes = null;
    for (const p of probes(r.path)) {
      const [matched] = app.router.match(method, p);
      const list = Array.isArray(matched?.[0]?.[0]) ? matched.map((x) => x[0]) : matched ?? [];
      const served = list.find(([h]) => !isMiddleware(h));
      if (!served || served[1].path !== r.path || served[1].method !== r.method) continue;
      globalThis.__ran = [];
      await app.request(p, { method });
      const got = new Set(globalThis.__ran.filter((x) => x.startsWith("scope:")).map((x) => x.slice(6)));
      scopes = scopes === null ? got : new Set([...scopes].filter((s) => got.has(s)));
    }
    out.push([r.method, r.path, where.get(r) ?? null, scopes === null ? null : [...scopes].sort()]);
  }
  return out.sort();
}

const result = {};
for (const arg of process.argv.slice(2)) {
  const [dir, name, entry] = arg.split("=");
  root = dir.endsWith("/") ? dir : `${dir}/`;
  try {
    const mod = await import(pathToFileURL(entry).href);
    const app = mod.default ?? mod.app;
    result[name] = { routes: await judge(app) };
  } catch (e) {
    result[name] = { error: String(e && e.stack || e) };
  }
}
process.stdout.write(JSON.stringify(result));
