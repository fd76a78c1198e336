"""Differential test of the route table against Hono itself.

Each app of ``tests/hono/corpus/`` (small apps written from Hono's documentation and from the
routing styles of public Hono services) is loaded twice:

- by **Hono** in Node (``harness.mjs`` under ``tsx``; ``hono``, ``@hono/zod-openapi`` and
  ``tsx`` are test-only packages that ``scripts/test.sh`` installs under ``.cache/hono``), which
  lists ``app.routes`` and sends requests to each route to see which ``requireScope`` runs
  (``@platform/*`` are stand-ins that record what ran: ``stubs/platform.mjs``);
- by the gate (``code_model``).

The route tables (method, full path, the file:line where the route was registered) and the
per-route scope verdicts must be equal on every app, and the gate must have lost no trail on any
of them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gate.checks._code import code_model
from gate.context import Ctx
from tests.helpers import make_run

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = HERE / "corpus"
MODULES = Path(os.environ.get("PRODGATE_HONO_MODULES", ROOT / ".cache" / "hono" / "node_modules"))
PLATFORM = ("auth", "rate-limit", "idempotency", "audit", "log")
APPS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def _setup(tmp: Path) -> None:
    nm = tmp / "node_modules"
    nm.mkdir()
    for entry in MODULES.iterdir():
        if entry.name.startswith("@") and entry.is_dir():
            (nm / entry.name).mkdir(exist_ok=True)
            for sub in entry.iterdir():
                (nm / entry.name / sub.name).symlink_to(sub)
        else:
            (nm / entry.name).symlink_to(entry)
    for name in PLATFORM:
        pkg = nm / "@platform" / name
        pkg.mkdir(parents=True)
        (pkg / "package.json").write_text(json.dumps({"name": f"@platform/{name}", "type": "module",
                                                      "exports": "./index.mjs"}), encoding="utf-8")
        shutil.copy(HERE / "stubs" / "platform.mjs", pkg / "index.mjs")
    shutil.copy(HERE / "harness.mjs", tmp / "harness.mjs")
    (tmp / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    for app in APPS:
        svc = tmp / "services" / app
        shutil.copytree(CORPUS / app, svc / "src")
        (svc / "service.yaml").write_text(f"name: {app}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    if not (MODULES / "hono").is_dir() or not (MODULES / "tsx").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"hono and tsx are not installed under {MODULES}: run scripts/test.sh")
        pytest.skip(f"hono and tsx are not installed under {MODULES} (scripts/test.sh installs them)")
    tmp = tmp_path_factory.mktemp("hono")
    _setup(tmp)
    args = [f"{tmp}={app}={tmp / 'services' / app / 'src' / 'index.ts'}" for app in APPS]
    r = subprocess.run(["node", "--import", "tsx", "harness.mjs", *args], cwd=tmp, capture_output=True,
                       text=True, timeout=300, check=False)
    assert r.returncode == 0, r.stderr[-3000:]
    return tmp, json.loads(r.stdout)


def test_corpus_is_large_enough() -> None:
    assert len(APPS) >= 40


def gate_table(tmp: Path, app: str) -> tuple[list[list[Any]], list[str]]:
    run = make_run(tmp)
    svc = next(s for s in run.all_services if s.name == app)
    m = code_model(Ctx(run, svc))
    rows = {(r.method, r.path): (f"{r.file}:{r.line}", sorted(set(r.string_args("requireScope")))) for r in m.routes}
    table = sorted([k[0], k[1], where, scopes] for k, (where, scopes) in rows.items())
    return table, [f"{f.path}:{f.line}: {f.message}" for f in m.route_problems]


@pytest.mark.parametrize("app", APPS)
def test_gate_agrees_with_hono(results: tuple[Path, dict[str, Any]], app: str) -> None:
    tmp, hono = results
    got = hono[app]
    assert "error" not in got, got.get("error")
    assert all(row[3] is not None for row in got["routes"]), f"a route no probe reached: {got['routes']}"
    table, problems = gate_table(tmp, app)
    assert not problems
    assert table == got["routes"]
