"""Throughput of the migration analysis (data.* items) beside squawk, on the same files.

Generates one service with ~250 migration files holding 5,000 statements in total (tables,
columns, indexes, constraints, grants, contract migrations, comments, a few lock problems) in a
temporary folder, then times, in one run and on the same files:

- prodgate in-process: a fresh workspace, parse + replay + the five data checks (best of N);
- prodgate whole process: ``python -m gate check --only data.* --format json``;
- squawk whole process: ``squawk --reporter json <files>`` (PyPI ``squawk-cli``).

Prints statements/s and files/s for each and the ratios to squawk.

    python bench/bench_migrations.py [--statements 5000] [--files 250] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gate.catalog import BY_ID
from gate.context import RunInfo
from gate.engine import evaluate_service
from gate.services import Service
from gate.workspace import Workspace

DATA_ITEMS = frozenset(i for i in BY_ID if i.startswith("data."))


def _statements(f: int, n: int) -> list[str]:
    """``n`` statements for file number ``f`` (a realistic mix; every 10th file is a contract)."""
    t = f"t{f}"
    out: list[str] = []
    if f % 10 == 9:
        out.append("-- migrate: contract")
    out.append("SET lock_timeout = '5s';")
    out.append(f"CREATE TABLE {t} (\n  id bigint PRIMARY KEY,\n  brand_id uuid NOT NULL,\n  amount int,\n"
               f"  note text NOT NULL DEFAULT '',\n  created_at timestamptz NOT NULL DEFAULT now()\n);")
    k = 0
    while len(out) - (1 if f % 10 == 9 else 0) < n:
        prev = f"t{max(f - 1, 0)}"
        kind = k % 10
        if kind == 0:
            out.append(f"-- column {k}\nALTER TABLE {prev} ADD COLUMN c{k} text;")
        elif kind == 1:
            out.append(f"CREATE INDEX CONCURRENTLY {prev}_c{k - 1} ON {prev} (c{k - 1});")
        elif kind == 2:
            out.append(f"ALTER TABLE {prev} ADD CONSTRAINT {prev}_amount_{k} CHECK (amount >= 0) NOT VALID;")
        elif kind == 3:
            out.append(f"ALTER TABLE {prev} VALIDATE CONSTRAINT {prev}_amount_{k - 1};")
        elif kind == 4:
            out.append(f"GRANT SELECT, INSERT ON {t} TO app_{f % 7};")
        elif kind == 5:
            out.append(f"INSERT INTO {t} (id, brand_id, amount) VALUES ({k}, '00000000-0000-0000-0000-000000000000', {k});")
        elif kind == 6:
            out.append(f"UPDATE {t} SET amount = amount + 1 WHERE id = {k} AND brand_id IS NOT NULL;")
        elif kind == 7:
            out.append(f"CREATE INDEX {t}_amount_{k} ON {t} (amount, created_at);")
        elif kind == 8:
            out.append(f"COMMENT ON TABLE {t} IS 'table {t}, step {k}';")
        else:
            if f % 10 == 9:
                out.append(f"ALTER TABLE {prev} DROP COLUMN IF EXISTS c{k - 9};")
            else:
                out.append(f"ALTER TABLE {prev} ADD COLUMN d{k} int NOT NULL DEFAULT 0;")
        k += 1
    return out


def generate(root: Path, statements: int, files: int) -> list[Path]:
    svc = root / "services" / "bench"
    mdir = svc / "migrations"
    mdir.mkdir(parents=True)
    (svc / "service.yaml").write_text("name: bench\ndata:\n  ledger: [t3]\n", encoding="utf-8")
    (svc / "RUNBOOK.md").write_text("# Bench\n\n## Rollback\n\nMigrations are expand-only.\n", encoding="utf-8")
    per = max(1, statements // files)
    paths = []
    for f in range(files):
        p = mdir / f"{f + 1:04d}_step_{f}.sql"
        p.write_text("\n".join(_statements(f, per)) + "\n", encoding="utf-8")
        paths.append(p)
    return paths


def _count(paths: list[Path]) -> int:
    from gate.sources.sql.parse import parse

    return sum(len(parse(str(p), p.read_text()).statements) for p in paths)


def prodgate_in_process(root: Path) -> float:
    from gate import config as cfg

    ws = Workspace(root)
    run = RunInfo(ws, cfg.defaults(), __import__("datetime").datetime.now(__import__("datetime").UTC))
    t0 = time.perf_counter()
    rep = evaluate_service(run, Service("bench", "services/bench"), DATA_ITEMS)
    dt = time.perf_counter() - t0
    assert all(rep.item(i).status.value != "fail" or rep.item(i).findings for i in DATA_ITEMS)
    return dt


def prodgate_process(root: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gate", "check", "--repo", str(root), "--only", ",".join(sorted(DATA_ITEMS)),
                    "--format", "json", "--offline"], capture_output=True, check=False, timeout=600)
    return time.perf_counter() - t0


def squawk_process(paths: list[Path]) -> float | None:
    exe = shutil.which("squawk")
    if exe is None:
        return None
    t0 = time.perf_counter()
    subprocess.run([exe, "--reporter", "json", *map(str, paths)], capture_output=True, check=False, timeout=600)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--statements", type=int, default=5000)
    ap.add_argument("--files", type=int, default=250)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="prodgate-bench-mig-") as tmp:
        root = Path(tmp)
        paths = generate(root, args.statements, args.files)
        n = _count(paths)
        inproc = min(prodgate_in_process(root) for _ in range(args.repeat))
        proc = min(prodgate_process(root) for _ in range(args.repeat))
        sq_runs = [squawk_process(paths) for _ in range(args.repeat)]
        sq = min((s for s in sq_runs if s is not None), default=None)
        print(f"corpus: {len(paths)} files, {n} statements")
        print(f"prodgate data.* in-process : {inproc:7.3f} s  {n / inproc:9.0f} statements/s  {len(paths) / inproc:7.0f} files/s")
        print(f"prodgate check (process)   : {proc:7.3f} s  {n / proc:9.0f} statements/s  {len(paths) / proc:7.0f} files/s")
        if sq is None:
            print("squawk: not installed (pip install squawk-cli)")
        else:
            print(f"squawk (process)           : {sq:7.3f} s  {n / sq:9.0f} statements/s  {len(paths) / sq:7.0f} files/s")
            print(f"ratio prodgate in-process / squawk: {inproc / sq:.2f}x")
            print(f"ratio prodgate process / squawk   : {proc / sq:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
