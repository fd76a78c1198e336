"""prodgate's benchmarks, side by side with the tools a team would otherwise chain together.

    python -m bench                 # every benchmark
    python -m bench openapi         # one of: openapi, migrations, scale, pr, startup
    python -m bench scale --sizes 50,100
    python -m bench openapi --no-spectral

Each benchmark prints its measurements and one ``ratio:`` line per target, measured in the same
run on the same files (machines are shared and noisy: ratios, never absolute promises). Corpora
are written under ``bench/out/`` (gitignored) and reused by later runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
NODE = Path(os.environ.get("PRODGATE_NODE_MODULES", ROOT / ".cache" / "node" / "node_modules"))
GITHUB_JSON = NODE / "@octokit" / "openapi" / "generated" / "api.github.com.json"
SPECTRAL = NODE / ".bin" / "spectral"

sys.path.insert(0, str(ROOT))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def timed(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
          timeout: int = 1800) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Wall time of one whole process."""
    t0 = time.perf_counter()
    r = subprocess.run(list(cmd), capture_output=True, text=True, env=env or _env(), cwd=cwd, timeout=timeout,
                       check=False)
    return time.perf_counter() - t0, r


def best(n: int, fn: Callable[[], float]) -> float:
    return min(fn() for _ in range(max(1, n)))


def ratio(label: str, value: float, target: str, ok: bool) -> None:
    print(f"ratio: {label} = {value:.3f}  (target {target}: {'met' if ok else 'NOT met'})", flush=True)


def gate_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "gate", *args]


# -- 1. OpenAPI ----------------------------------------------------------------------------------
def github_yaml() -> Path:
    """GitHub's REST description as YAML (converted once with PyYAML's C dumper, cached)."""
    if not GITHUB_JSON.is_file():
        raise SystemExit(f"{GITHUB_JSON} is missing: npm install --prefix .cache/node @octokit/openapi")
    out = OUT / "api.github.com.yaml"
    if not out.is_file() or out.stat().st_mtime < GITHUB_JSON.stat().st_mtime:
        import yaml

        data = json.loads(GITHUB_JSON.read_text(encoding="utf-8"))
        OUT.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True, width=1 << 30)
        out.write_text(text, encoding="utf-8")
    return out


def openapi_repo(spec: Path) -> Path:
    """A one-service repository whose openapi.yaml is ``spec`` (no code: the parity half is empty)."""
    from bench.generate import generate

    root = OUT / "openapi-repo"
    target = root / "services" / "svc0000" / "openapi.yaml"
    if not target.is_file() or target.stat().st_size != spec.stat().st_size:
        shutil.rmtree(root, ignore_errors=True)
        generate(root, 1)
        for d in ("src", "test"):
            shutil.rmtree(root / "services" / "svc0000" / d, ignore_errors=True)
        shutil.copyfile(spec, target)
    return root


_NO_DESC = re.compile(r"^([A-Z]+) (\S+) has no description")


def prodgate_openapi(root: Path) -> tuple[float, bool, set[str], str]:
    """(seconds, valid, operations without a description, first validity message)."""
    rep = OUT / "openapi-report.json"
    t, r = timed(gate_cmd("check", "--repo", str(root), "--only", "artifacts.openapi", "--format", "json",
                          "--output", str(rep), "--offline"))
    if r.returncode not in (0, 1):
        raise SystemExit(f"prodgate failed ({r.returncode}): {r.stderr[-2000:]}")
    data = json.loads(rep.read_text(encoding="utf-8"))
    item = next(i for i in data["services"][0]["items"] if i["id"] == "artifacts.openapi")
    invalid = [f["message"] for f in item["findings"] if f["message"].startswith("invalid OpenAPI")]
    missing = set()
    for f in item["findings"]:
        m = _NO_DESC.match(f["message"])
        if m:
            missing.add(f"{m.group(1).lower()} {m.group(2)}")
    return t, not invalid, missing, invalid[0] if invalid else ""


def osv(spec: Path) -> tuple[float, bool, str]:
    """openapi-spec-validator (its command line, default backend) on ``spec``."""
    t, r = timed([sys.executable, "-m", "openapi_spec_validator", str(spec)])
    return t, r.returncode == 0, (r.stdout + r.stderr).strip().splitlines()[-1:][0] if (r.stdout + r.stderr).strip() else ""


def spectral(spec: Path) -> tuple[float, bool, set[str]] | str:
    """Spectral's ``spectral:oas`` ruleset on ``spec``: (seconds, no error, operation-description set),
    or why it could not run."""
    if not SPECTRAL.exists():
        r = subprocess.run(["npm", "install", "--prefix", str(ROOT / ".cache" / "node"), "@stoplight/spectral-cli"],
                           capture_output=True, text=True, check=False, timeout=900)
        if r.returncode != 0 or not SPECTRAL.exists():
            return f"npm install @stoplight/spectral-cli failed: {r.stderr.strip()[-300:]}"
    ruleset = OUT / ".spectral.yaml"
    ruleset.write_text('extends: ["spectral:oas"]\n', encoding="utf-8")
    out = OUT / "spectral.json"
    env = dict(os.environ, NODE_OPTIONS="--max-old-space-size=8192")
    t, r = timed([str(SPECTRAL), "lint", "--ruleset", str(ruleset), "--format", "json", "--output", str(out),
                  "--quiet", str(spec)], env=env, timeout=1800)
    try:
        found = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"spectral exited {r.returncode} without a report: {(r.stderr or r.stdout).strip()[-300:]}"
    missing = {f"{d['path'][2]} {d['path'][1]}" for d in found
               if d.get("code") == "operation-description" and len(d.get("path", [])) >= 3}
    errors = [d for d in found if d.get("severity") == 0]
    return t, not errors, missing


def bench_openapi(args: argparse.Namespace) -> None:
    from bench import bench_openapi as corpus

    print(f"== 1. OpenAPI: artifacts.openapi on {len(corpus.CORPUS)} real descriptions (npm packages) "
          "vs openapi-spec-validator", flush=True)
    corpus.run(args.docs, args.repeat)
    if args.docs:
        return
    print("== 1b. OpenAPI: artifacts.openapi on GitHub's REST description as YAML vs Spectral", flush=True)
    spec = github_yaml()
    root = openapi_repo(spec)
    print(f"corpus: {spec.relative_to(ROOT)} ({spec.stat().st_size / 1e6:.1f} MB YAML, from {GITHUB_JSON.name})")
    pg_t = best(args.repeat, lambda: prodgate_openapi(root)[0])
    _, pg_valid, pg_missing, pg_msg = prodgate_openapi(root)
    print(f"prodgate check --only artifacts.openapi (process): {pg_t:8.2f} s  valid={pg_valid} "
          f"missing-description={len(pg_missing)} {pg_msg[:120]}", flush=True)
    target_yaml = root / "services" / "svc0000" / "openapi.yaml"
    o_t, o_valid, o_msg = osv(target_yaml)
    print(f"openapi-spec-validator (process):                   {o_t:8.2f} s  valid={o_valid}  {o_msg[:120]}",
          flush=True)
    ratio("prodgate / openapi-spec-validator", pg_t / o_t, "<= 0.100", pg_t / o_t <= 0.1)
    print(f"verdict: prodgate valid={pg_valid}, openapi-spec-validator valid={o_valid}: "
          f"{'same' if pg_valid == o_valid else 'DIFFERENT'}")
    if args.no_spectral:
        print("spectral: skipped (--no-spectral)")
        return
    sp = spectral(target_yaml)
    if isinstance(sp, str):
        print(f"spectral: could not run: {sp}")
        return
    s_t, s_valid, s_missing = sp
    print(f"spectral lint spectral:oas (process):               {s_t:8.2f} s  no-errors={s_valid} "
          f"operation-description={len(s_missing)}", flush=True)
    ratio("prodgate / spectral", pg_t / s_t, "<= 0.020", pg_t / s_t <= 0.02)
    only_pg = sorted(pg_missing - s_missing)
    only_sp = sorted(s_missing - pg_missing)
    print(f"operation-description: prodgate {len(pg_missing)}, spectral {len(s_missing)}, "
          f"{'same set' if not only_pg and not only_sp else 'DIFFERENT'}")
    for op in only_pg:
        print(f"  only prodgate: {op}")
    for op in only_sp:
        print(f"  only spectral: {op}")


# -- 2. Migrations -------------------------------------------------------------------------------
def bench_migrations(args: argparse.Namespace) -> None:
    from bench import bench_migrations as bm

    print(f"== 2. Migrations: data.* on {args.statements} statements vs squawk", flush=True)
    root = OUT / f"migrations-{args.statements}"
    paths = sorted((root / "services" / "bench" / "migrations").glob("*.sql"))
    if not paths:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        paths = bm.generate(root, args.statements, max(1, args.statements // 20))
    n = bm._count(paths)
    print(f"corpus: {len(paths)} files, {n} statements")
    proc = best(args.repeat, lambda: bm.prodgate_process(root))
    inproc = best(args.repeat, lambda: bm.prodgate_in_process(root))
    runs = [bm.squawk_process(paths) for _ in range(args.repeat)]
    sq = min((s for s in runs if s is not None), default=None)
    print(f"prodgate check --only data.* (process): {proc:7.3f} s  {n / proc:8.0f} statements/s")
    print(f"prodgate data.* (in-process):           {inproc:7.3f} s  {n / inproc:8.0f} statements/s")
    if sq is None:
        print("squawk: not installed (pip install squawk-cli)")
        return
    print(f"squawk --reporter json (process):       {sq:7.3f} s  {n / sq:8.0f} statements/s")
    ratio("prodgate process / squawk process", proc / sq, "<= 2.0", proc / sq <= 2.0)


# -- 3. Scale ------------------------------------------------------------------------------------
def scale_repo(n: int) -> Path:
    from bench.generate import generate

    root = OUT / f"scale-{n}"
    if not (root / "sst.config.ts").is_file():
        shutil.rmtree(root, ignore_errors=True)
        generate(root, n)
    return root


def check_repo(root: Path) -> float:
    t, r = timed(gate_cmd("check", "--repo", str(root), "--format", "json", "--output", os.devnull, "--offline"))
    if r.returncode not in (0, 1):
        raise SystemExit(f"prodgate failed on {root}: {r.stderr[-2000:]}")
    return t


def bench_scale(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"== 3. Scale: prodgate check on {', '.join(map(str, sizes))} services", flush=True)
    times: dict[int, float] = {}
    for n in sizes:
        root = scale_repo(n)
        times[n] = best(args.repeat, lambda root=root: check_repo(root))  # type: ignore[misc]
        print(f"{n:4d} services: {times[n]:7.2f} s  {times[n] / n * 1000:7.1f} ms/service  "
              f"{n / times[n]:6.1f} services/s", flush=True)
    big = max(sizes)
    if big in times and big // 2 in times:
        r = times[big] / times[big // 2]
        ratio(f"t({big})/t({big // 2})", r, "<= 2.1", r <= 2.1)
    rate = big / times[big]
    ratio(f"services/second at {big}", rate, ">= 20", rate >= 20)


# -- 4. PR mode ----------------------------------------------------------------------------------
def pr_repo(n: int) -> tuple[Path, str, str]:
    """A git repository of ``n`` generated services; the head commit touches one file of svc0000."""
    from bench.generate import generate

    root = OUT / f"pr-{n}"
    marker = root / ".bench-shas"
    if marker.is_file():
        base, head = marker.read_text().split()
        return root, base, head
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    generate(root, n)
    from tests.github.conftest import git

    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    p = root / "services" / "svc0000" / "src" / "lib" / "helper0.ts"
    p.write_text(p.read_text() + "\nexport const touched = 1;\n")
    git(root, "commit", "-q", "-am", "touch svc0000")
    head = git(root, "rev-parse", "HEAD")
    marker.write_text(f"{base} {head}\n")
    return root, base, head


def bench_pr(args: argparse.Namespace) -> None:
    from tests.github import conftest as gh

    small, large = (int(s) for s in args.pr_sizes.split(","))
    print(f"== 4. PR mode: one touched service in {small} vs {large} services (GitHub stand-in)", flush=True)
    if not gh.OPENAPI.is_file() or not gh.EXAMPLES.is_file():
        print("pr: skipped: npm @octokit/openapi and @octokit/webhooks-examples are needed for the stand-in")
        return
    api = gh.OpenAPI(gh.OPENAPI)
    examples = {e["name"]: e["examples"] for e in json.loads(gh.EXAMPLES.read_text(encoding="utf-8"))}
    results: dict[int, tuple[float, int]] = {}
    for n in (small, large):
        root, base, head = pr_repo(n)
        samples = []
        requests = 0
        for _ in range(max(1, args.repeat)):
            s = gh.Scenario(head_sha=head, base_sha=base)
            s.files = [{"sha": "0" * 40, "filename": "services/svc0000/src/lib/helper0.ts", "status": "modified",
                        "additions": 1, "deletions": 0, "changes": 1}]
            standin = gh.StandIn(api, s)
            try:
                with tempfile.TemporaryDirectory(prefix="prodgate-bench-pr-") as tmp:
                    t0 = time.perf_counter()
                    run = gh.run_gate(root, standin, gh.pr_event(examples, s), tmp=Path(tmp))
                    samples.append(time.perf_counter() - t0)
                if run.code not in (0, 1):
                    raise SystemExit(f"prodgate pr failed ({run.code}): {run.stderr[-2000:]}")
                requests = len(standin.requests)
                if standin.problems:
                    print("  stand-in problems:", *standin.problems[:5], sep="\n  ")
            finally:
                standin.close()
            shutil.rmtree(root / "prodgate-report", ignore_errors=True)
        results[n] = (min(samples), requests)
        print(f"{n:4d} services: {min(samples):6.2f} s  {requests} GitHub requests", flush=True)
    r = results[large][0] / results[small][0]
    ratio(f"t(pr, {large})/t(pr, {small})", r, "<= 1.3", r <= 1.3)
    same = results[large][1] == results[small][1]
    print(f"GitHub requests: {results[small][1]} and {results[large][1]}: {'same' if same else 'DIFFERENT'}")


# -- 5. Start-up ---------------------------------------------------------------------------------
def _importtime(module: str) -> tuple[float, list[tuple[int, str]]]:
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True,
                       text=True, env=_env(), check=False)
    rows: list[tuple[int, str]] = []
    total = 0.0
    for line in r.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), m.group(4)))
            if m.group(4) == module:
                total = int(m.group(2)) / 1e6
    rows.sort(reverse=True)
    return total, rows


def bench_startup(args: argparse.Namespace) -> None:
    print("== 5. Start-up", flush=True)
    t = best(max(5, args.repeat), lambda: timed(gate_cmd("--version"), cwd=Path(tempfile.gettempdir()))[0])
    print(f"python -m gate --version (process): {t * 1000:6.0f} ms")
    exe = shutil.which("prodgate")
    if exe:
        t2 = best(max(5, args.repeat), lambda: timed([exe, "--version"])[0])
        print(f"prodgate --version (process):       {t2 * 1000:6.0f} ms")
        t = min(t, t2)
    for module in ("gate.cli", "gate.modes.check"):
        total, rows = _importtime(module)
        outside = [(us, name) for us, name in rows if not name.startswith(("gate", "_", "encodings", "site"))]
        top = ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in outside[:4])
        print(f"python -X importtime -c 'import {module}': {total * 1000:6.0f} ms (heaviest outside gate: {top})")
    ratio("prodgate --version seconds", t, "<= 0.150", t <= 0.15)


BENCHES: dict[str, Callable[[argparse.Namespace], None]] = {
    "openapi": bench_openapi,
    "migrations": bench_migrations,
    "scale": bench_scale,
    "pr": bench_pr,
    "startup": bench_startup,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("which", nargs="*", metavar="BENCH", help=f"one or more of {', '.join(BENCHES)} (default: all)")
    ap.add_argument("--repeat", type=int, default=1, help="best of N for the fast measurements (default 1)")
    ap.add_argument("--sizes", default="50,100,200,400", help="scale: services per repository")
    ap.add_argument("--pr-sizes", default="10,400", help="pr: the small and the large repository")
    ap.add_argument("--statements", type=int, default=5000, help="migrations: statements in the corpus")
    ap.add_argument("--no-spectral", action="store_true", help="openapi: skip Spectral (about two minutes)")
    ap.add_argument("--docs", default="", help="openapi: only these documents of the corpus (comma-separated names)")
    args = ap.parse_args(argv)
    unknown = [w for w in args.which if w not in BENCHES and w != "all"]
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}: choose from {', '.join(BENCHES)}")
    chosen = list(BENCHES) if not args.which or "all" in args.which else list(dict.fromkeys(args.which))
    OUT.mkdir(parents=True, exist_ok=True)
    for name in chosen:
        BENCHES[name](args)
        print(flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
