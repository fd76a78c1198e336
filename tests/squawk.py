"""Run squawk (PyPI ``squawk-cli``: a Rust binary, called as a subprocess) on SQL files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest


def binary() -> str:
    """The squawk executable; under CI its absence fails the test, elsewhere it skips it."""
    found = shutil.which("squawk")
    if found is None:
        msg = "squawk not found (pip install squawk-cli)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return found


def run(paths: list[str], exe: str | None = None) -> list[dict[str, Any]]:
    """squawk's findings (``--reporter json``; lines are 0-based there) for ``paths``."""
    proc = subprocess.run([exe or binary(), "--reporter", "json", *paths], capture_output=True, text=True,
                          timeout=300, check=False)
    if proc.returncode not in (0, 1, 2, 3) or not proc.stdout.strip().startswith("["):
        raise RuntimeError(f"squawk failed ({proc.returncode}): {proc.stderr[-2000:]}")
    data: list[dict[str, Any]] = json.loads(proc.stdout)
    return data


def rules_per_case(cases: list[str], pg_version: int, workdir: str, exe: str | None = None) -> list[set[str]]:
    """squawk's rule names for each case (``;``-separated statements in one file; one run over
    every file), told the PostgreSQL major version."""
    width = len(str(len(cases)))
    paths = []
    for i, case in enumerate(cases):
        path = os.path.join(workdir, f"{i:0{width}d}.sql")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(";\n".join(s.strip() for s in case.split(";") if s.strip()) + ";\n")
        paths.append(path)
    proc = subprocess.run([exe or binary(), "--reporter", "json", f"--pg-version={pg_version}.0", *paths],
                          capture_output=True, text=True, timeout=300, check=False)
    if proc.returncode not in (0, 1, 2, 3) or not proc.stdout.strip().startswith("["):
        raise RuntimeError(f"squawk failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out: list[set[str]] = [set() for _ in cases]
    index = {os.path.basename(p): i for i, p in enumerate(paths)}
    for d in json.loads(proc.stdout):
        out[index[os.path.basename(str(d["file"]))]].add(str(d["rule_name"]))
    return out
