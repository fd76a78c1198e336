"""git in the checkout, for the pull request modes: whether it holds a commit, the files a pull
request changes (``base...head``), a file at a commit, the commit checked out. A failure is None
(the caller falls back to the API, or says what is unknown)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(root: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


def has_commit(root: Path, sha: str) -> bool:
    r = git(root, "cat-file", "-e", f"{sha}^{{commit}}")
    return r is not None and r.returncode == 0


def diff_files(root: Path, base: str, head: str) -> tuple[tuple[str, ...], dict[str, str]] | None:
    """``git diff --name-status base...head``: paths (renames: both names) and statuses."""
    r = git(root, "diff", "--no-ext-diff", "--no-textconv", "--name-status", "-z", "--no-renames", f"{base}...{head}")
    if r is None or r.returncode != 0:
        return None
    parts = r.stdout.decode("utf-8", "replace").split("\0")
    names = {"A": "added", "M": "modified", "D": "removed", "T": "changed"}
    paths: list[str] = []
    status: dict[str, str] = {}
    i = 0
    while i + 1 < len(parts):
        code, path = parts[i], parts[i + 1]
        i += 2
        if not code:
            break
        paths.append(path)
        status[path] = names.get(code[:1], "modified")
    return tuple(dict.fromkeys(paths)), status


def show(root: Path, sha: str, path: str) -> str | None:
    """``path`` at commit ``sha`` (None when git cannot show it)."""
    r = git(root, "show", f"{sha}:{path}")
    if r is None or r.returncode != 0:
        return None
    return r.stdout.decode("utf-8", "replace")


def head(root: Path) -> str:
    """The commit checked out (empty when git cannot tell)."""
    r = git(root, "rev-parse", "HEAD")
    return r.stdout.decode().strip() if r is not None and r.returncode == 0 else ""
