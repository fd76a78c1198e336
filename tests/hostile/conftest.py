"""Shared helpers of the hostile suite: a copy of the example platform to break, and the real CLI
run as a subprocess under a wall-clock timeout and an address-space limit.

Every run is checked the same way (:func:`assert_clean`): exit code 0/1 (a verdict) or 2 (a clear
error), never a traceback, and none of the secret sentinels in any output (stdout, stderr, every
report file).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "platform"
#: the bounds every CLI run of this suite must respect (stated in docs/reliability.md)
TIMEOUT_S = 60
MEMORY_BYTES = 3 * 1024**3
NOW = "2026-11-29T12:00:00Z"
SECRET = "SENTINEL-do-not-read-7f3a9c"


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


@dataclass
class CliRun:
    code: int
    stdout: str
    stderr: str
    seconds: float
    files: dict[str, str] = field(default_factory=dict)
    #: every path the gate process opened (audit hook), as given to open()
    opened: list[str] = field(default_factory=list)

    def opened_real(self) -> set[str]:
        return {os.path.realpath(p) for p in self.opened}

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.files["report.json"])  # type: ignore[no-any-return]

    def everything(self) -> str:
        return "\n".join([self.stdout, self.stderr, *self.files.values()])

    def item(self, service: str, item_id: str) -> dict[str, Any]:
        for s in self.report["services"]:
            if s["name"] == service:
                for it in s["items"]:
                    if it["id"] == item_id:
                        return it  # type: ignore[no-any-return]
        raise KeyError((service, item_id))

    def findings(self) -> list[dict[str, Any]]:
        return [f for s in self.report["services"] for it in s["items"] for f in it["findings"]] + [
            f for it in self.report["items"] for f in it["findings"]
        ]


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None, timeout: float = TIMEOUT_S) -> CliRun:
    """``python -m gate check --offline --out-dir <tmp> ARGS`` in ``root``; every format written."""
    out = root.parent / f"out-{time.monotonic_ns()}"
    out.mkdir()
    e = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    e["PYTHONPATH"] = str(ROOT)
    e.update(env or {})
    log = out.parent / f"{out.name}.opened"
    cmd = [sys.executable, str(ROOT / "tests" / "hostile" / "audited.py"), str(log), "-m", "gate", "check",
           "--offline", "--now", NOW,
           "--format", "text,json,markdown,sarif", "--out-dir", str(out), *args]
    t0 = time.monotonic()
    r = subprocess.run(cmd, cwd=root, env=e, capture_output=True, text=True, timeout=timeout,
                       preexec_fn=_limits, check=False)
    dt = time.monotonic() - t0
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir()) if p.is_file()}
    opened = log.read_text(encoding="utf-8", errors="surrogateescape").splitlines() if log.exists() else []
    return CliRun(r.returncode, r.stdout, r.stderr, dt, files, opened)


def assert_never_opened(run: CliRun, *targets: Path) -> None:
    """No file at or under ``targets`` was opened by the gate (symlinks resolved)."""
    real = run.opened_real()
    for t in targets:
        rt = os.path.realpath(t)
        hits = [p for p in real if p == rt or p.startswith(rt.rstrip("/") + "/")]
        assert not hits, f"opened outside the workspace: {hits[:5]}"


def assert_clean(run: CliRun, secrets: Iterable[str] = (), codes: tuple[int, ...] = (0, 1)) -> None:
    """A verdict (or a clear error), no traceback, no secret anywhere, within the bounds."""
    assert run.code in codes, f"exit {run.code}\n{run.stderr[-3000:]}"
    assert "Traceback" not in run.stdout + run.stderr, run.stderr[-3000:]
    assert run.seconds < TIMEOUT_S
    blob = run.everything()
    for s in (SECRET, *secrets):
        assert s not in blob, f"secret {s!r} leaked"
    if run.code in (0, 1):
        assert "report.json" in run.files
        validate_report(run.report)


_SCHEMA: Any = None


def validate_report(report: dict[str, Any]) -> None:
    global _SCHEMA
    import jsonschema

    if _SCHEMA is None:
        _SCHEMA = json.loads((ROOT / "gate" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, _SCHEMA)


def platform(tmp: Path, services: tuple[str, ...] = ("payments",)) -> Path:
    """A copy of the example platform holding only ``services`` (and everything else)."""
    root = tmp / "repo"
    shutil.copytree(EXAMPLE, root, symlinks=True)
    for d in (root / "services").iterdir():
        if d.name not in services:
            shutil.rmtree(d)
    return root


def secret_home(tmp: Path) -> Path:
    """A stand-in for the runner's $HOME holding a secret file."""
    home = tmp / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text(f"-----BEGIN KEY-----\n{SECRET}-home\n", encoding="utf-8")
    (home / ".gitconfig").write_text(f"[user]\n  name = {SECRET}-home\n", encoding="utf-8")
    return home


def secret_event(tmp: Path) -> Path:
    p = tmp / "event.json"
    p.write_text(json.dumps({"secret": f"{SECRET}-event", "pull_request": {"title": "x"}}), encoding="utf-8")
    return p


PASSWD_MARK = "root:x:0:0"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return platform(tmp_path)
