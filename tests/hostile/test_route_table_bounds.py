"""Route tables that explode: a sub-router mounted twice at each level of a chain of routers
doubles the routes at each level (a 2 KB file would give 2^40 routes); a chain of mounts deeper
than the bound. Each run ends within the suite's bounds with the route items failing at the line
of the mount that was refused — never a hang, never pass."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.conftest import assert_clean, run_cli

SVC = "services/payments"
BOMB = f"{SVC}/src/bomb.ts"
ROUTE_ITEMS = ("auth.require-scope", "conventions.scope-enforcement", "resilience.rate-limits")


def _write(repo: Path, text: str) -> None:
    p = repo / BOMB
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def _refused_at(repo: Path, text: str, line: int, words: str) -> None:
    _write(repo, text)
    run = run_cli(repo, SVC)
    assert_clean(run)
    assert run.code == 1
    for item_id in ROUTE_ITEMS:
        it = run.item("payments", item_id)
        assert it["status"] == "fail", (item_id, it["status"])
        hits = [f for f in it["findings"] if f["path"] == BOMB and words in f["message"]]
        assert hits, (item_id, [f["message"] for f in it["findings"]][:3])
        assert hits[0]["line"] == line
        assert "waive" in hits[0]["message"]


def test_router_mounted_twice_at_each_level_is_refused(repo: Path) -> None:
    lines = ['import { Hono } from "hono";', "const r0 = new Hono();", 'r0.get("/x", (c) => c.text("x"));']
    for k in range(1, 41):
        lines.append(f'const r{k} = new Hono().route("/a", r{k - 1}).route("/b", r{k - 1});')
    lines.append('export const bomb = new Hono().route("/bomb", r40);')
    # 2^14 = 16,384 routes fit under the bound; doubling them at level 15 does not
    _refused_at(repo, "\n".join(lines) + "\n", 3 + 15, "routes: the gate refuses")


def test_mounts_deeper_than_the_bound_are_refused(repo: Path) -> None:
    lines = ['import { Hono } from "hono";', "const r0 = new Hono();", 'r0.get("/x", (c) => c.text("x"));']
    for k in range(1, 61):
        lines.append(f'const r{k} = new Hono().route("/l{k}", r{k - 1});')
    # r0 has depth 0; r32 mounts a router of depth 31 (depth 32, allowed); r33 is refused
    _refused_at(repo, "\n".join(lines) + "\n", 3 + 33, "levels deep")
