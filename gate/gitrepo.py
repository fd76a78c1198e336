"""Read git history without executing repository code.

``git`` runs as a subprocess with fixed arguments (never through a shell, never with the
repository's hooks, aliases or configured external tools: plumbing commands only, with
``core.fsmonitor``/``diff.external``/textconv switched off), with a timeout, and every failure is
raised as :class:`GitError` with a message that says what to do.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

TIMEOUT_SECONDS = 30
MAX_OUTPUT = 64 * 1024 * 1024

_SAFE = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "diff.external=",
    "-c", "protocol.allow=never",
)


class GitError(Exception):
    """git could not answer (not a repository, unknown ref, git missing, timeout)."""


def _check_ref(ref: str) -> None:
    if not ref or ref.startswith("-") or ".." in ref or any(c in ref for c in "\0\n\r\t "):
        raise GitError(f"{ref!r} is not a valid git revision")


def _git(root: Path, *args: str) -> bytes:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C",
                "GIT_OPTIONAL_LOCKS": "0"})
    cmd = ["git", "-C", str(root), *_SAFE, *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, env=env, check=False, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("git is not installed (it is needed to compare with --base)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not answer within {TIMEOUT_SECONDS} s") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        text = " ".join(err[-2:]) if err else f"exit {proc.returncode}"
        hint = ""
        if "dubious ownership" in text:
            hint = " (mark the checkout safe: git config --global --add safe.directory <path>)"
        elif "not a git repository" in text.lower():
            hint = " (run in a git checkout, or leave --base out)"
        elif any(w in text for w in ("promisor remote", "unable to read", "missing blob", "is corrupt",
                                     "bad object")):
            hint = (" (the checkout lacks this object: a partial clone (--filter=blob:none) or a shallow clone;"
                    " with actions/checkout use fetch-depth: 0 and no filter)")
        elif any(w in text for w in ("Not a valid object name", "unknown revision", "not a tree object",
                                     "Not a valid commit name", "bad revision")):
            hint = " (is the base commit fetched? with actions/checkout use fetch-depth: 0)"
        raise GitError(f"git {args[0]} failed: {text}{hint}")
    if len(proc.stdout) > MAX_OUTPUT:
        raise GitError(f"git {args[0]} printed more than {MAX_OUTPUT} bytes")
    return proc.stdout


def resolve(root: Path, ref: str) -> str:
    """The commit id of ``ref`` (GitError when it is unknown)."""
    _check_ref(ref)
    out = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    return out.decode().strip()


def ls_tree(root: Path, ref: str, path: str) -> dict[str, str]:
    """Files under ``path`` (relative to ``root``) at ``ref``: relative path → blob id."""
    _check_ref(ref)
    out = _git(root, "ls-tree", "-r", "-z", ref, "--", path or ".")
    files: dict[str, str] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == b"blob":
            files[name.decode("utf-8", "surrogateescape")] = parts[2].decode()
    return files


def has_commit(root: Path, ref: str) -> bool:
    """The checkout holds the commit ``ref`` (False when git cannot tell)."""
    try:
        resolve(root, ref)
    except GitError:
        return False
    return True


def merge_base(root: Path, a: str, b: str) -> str:
    """The best common ancestor of the commits ``a`` and ``b`` (GitError when they have none)."""
    _check_ref(a)
    _check_ref(b)
    return _git(root, "merge-base", "--end-of-options", a, b).decode().strip()


def show(root: Path, ref: str, path: str) -> bytes:
    """The bytes of ``path`` (relative to ``root``) at ``ref``."""
    _check_ref(ref)
    rel = path if path.startswith("./") else f"./{path}"
    return _git(root, "cat-file", "blob", f"{ref}:{rel}")


def diff_name_status(root: Path, base: str, path: str, head: str = "HEAD") -> list[tuple[str, str]]:
    """(status letter, path) of the files under ``path`` that differ between the commits ``base``
    and ``head`` (A added, M modified, D deleted). Tree to tree: the working tree is not read, so
    no clean/smudge filter of the repository runs."""
    _check_ref(base)
    _check_ref(head)
    out = _git(root, "diff-tree", "-r", "--no-renames", "--name-status", "-z", base, head, "--", path)
    items = [x.decode("utf-8", "surrogateescape") for x in out.split(b"\0") if x]
    return [(items[i][:1], items[i + 1]) for i in range(0, len(items) - 1, 2)]


def blob_id(data: bytes, like: str = "") -> str:
    """git's object id of a blob with these bytes (what ``ls-tree`` lists), without running git;
    SHA-256 when ``like`` (an id of the same repository) is one."""
    body = b"blob %d\0" % len(data) + data
    if len(like) == 64:
        return hashlib.sha256(body).hexdigest()
    return hashlib.sha1(body, usedforsecurity=False).hexdigest()


def removed_lines(root: Path, base: str, head: str, paths: list[str]) -> str:
    """The lines that the commits ``base`` → ``head`` remove from ``paths`` (a zero-context patch's
    ``-`` lines, joined): one ``git diff-tree``, tree to tree, no external diff or textconv."""
    _check_ref(base)
    _check_ref(head)
    out = _git(root, "diff-tree", "-r", "-p", "-U0", "--no-renames", "--no-ext-diff", "--no-textconv", base, head,
               "--", *paths)
    lines = out.decode("utf-8", "replace").splitlines()
    return "\n".join(ln[1:] for ln in lines if ln.startswith("-") and not ln.startswith("---"))
