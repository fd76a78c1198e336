"""Where text leaves the process: stdout and stderr defused of workflow commands, and files
written only where the user asked (:func:`safe_write`).

The Actions runner executes a line of a step's stdout or stderr that starts (after white space)
with ``::`` (``::error``, ``::add-mask::``, ``::stop-commands::``) and, in the older syntax, any
``##[`` in a line. Repository text reaches those streams in many messages (a configuration key
path, an ``.ics`` SUMMARY, an exception's text): :func:`install` wraps both streams once, at the
command line's entry, so every write of every mode is defused in one place. The gate's own
commands (annotations, ``stop-commands`` pairs) are registered with :func:`command` when made,
and only those exact lines pass.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TextIO

from gate import UsageError

#: terminal escape sequences: CSI (``ESC [ … final``), OSC (``ESC ] … BEL`` or ``ESC \\``), and
#: two-character escapes; the 8-bit C1 forms (U+009B CSI, U+009D OSC) too
ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_]"
)

#: the exact command lines the gate itself made (annotations, stop-commands and their end token)
_OWN: set[str] = set()


def command(line: str) -> str:
    """A workflow command the gate emits itself: it passes the stream filter as written."""
    _OWN.add(line)
    return line


def defuse_line(line: str) -> str:
    """``line`` as the runner will not execute it (unless the gate made it): a leading ``::``
    becomes ``: :`` and ``##[`` becomes ``## [``."""
    if line.rstrip("\r\n") in _OWN:
        return line
    stripped = line.lstrip()
    if stripped.startswith("::"):
        line = line[: len(line) - len(stripped)] + ": :" + stripped[2:]
    return line.replace("##[", "## [")


def plain(text: str) -> str:
    """Untrusted text for a terminal: escape sequences removed, control characters other than
    line breaks and tabs made spaces (a message may span lines; each is defused when written)."""
    return "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in ANSI.sub("", text))


def defuse(text: str) -> str:
    """Every line of ``text`` defused (:func:`defuse_line`)."""
    if "::" not in text and "##[" not in text:
        return text
    return "".join(defuse_line(ln) for ln in text.splitlines(keepends=True))


class DefusedStream:
    """A text stream that defuses each line written to it before passing it on. A partial line
    waits for its end (or a flush); what follows a flushed partial line is mid-line."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner
        self._pending = ""
        self._mid_line = False

    def write(self, s: str) -> int:
        text = self._pending + s
        self._pending = ""
        lines = text.splitlines(keepends=True)
        if lines and lines[-1].splitlines() == [lines[-1]]:  # no line break yet
            self._pending = lines.pop()
        out = []
        for ln in lines:
            out.append(ln.replace("##[", "## [") if self._mid_line else defuse_line(ln))
            self._mid_line = False
        if out:
            self.inner.write("".join(out))
        return len(s)

    def flush(self) -> None:
        if self._pending:
            p, self._pending = self._pending, ""
            self.inner.write(p.replace("##[", "## [") if self._mid_line else defuse_line(p))
            self._mid_line = True
        self.inner.flush()

    def writelines(self, lines: list[str]) -> None:
        for ln in lines:
            self.write(ln)

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, buffer ...
        return getattr(self.inner, name)


@contextmanager
def install() -> Iterator[None]:
    """stdout and stderr defused for the duration (the command line's whole run)."""
    saved = sys.stdout, sys.stderr
    if isinstance(sys.stdout, DefusedStream):
        yield
        return
    sys.stdout = DefusedStream(saved[0])
    sys.stderr = DefusedStream(saved[1])
    try:
        yield
    finally:
        for s in (sys.stdout, sys.stderr):
            with suppress(OSError, ValueError):
                s.flush()
        sys.stdout, sys.stderr = saved


# -- files written only where the user asked --------------------------------------------------
def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _refuse(path: Path, why: str) -> Exception:
    return UsageError(f"{path}: {why}; prodgate does not write through it (remove the symlink, or choose "
                      "another path)")


def safe_write(path: Path, body: str | bytes, repo: Path | None = None, _depth: int = 0) -> None:
    """Write ``body`` at ``path`` (its folders created), never through a symlink the judged
    repository holds.

    The whole path is walked from ``/``, one folder at a time, each opened relative to the one
    before (no check-then-use race): a symlink met in a folder inside ``repo`` (``reports ->
    /home/runner/.ssh`` committed in the repository) is refused, one outside it (the user's own
    ``/tmp -> /private/tmp``) is followed; a target that is itself a symlink, a device or a pipe
    is refused inside ``repo``, and outside it (``/dev/stdout``, ``/dev/null``: the user named
    it) written where it leads. The file is written to a new temporary file (``O_EXCL|O_NOFOLLOW``) in its folder and
    renamed over the target, so a reader never sees half a report. A refusal raises UsageError
    (exit 2); an I/O error raises OSError."""
    target = Path(os.path.abspath(path))
    repo_real = os.path.realpath(repo) if repo is not None else None
    data = body.encode("utf-8") if isinstance(body, str) else body
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
    fd = os.open("/", flags)
    cur = "/"  # the real path of the folder ``fd`` is open on
    try:
        for name in target.parent.parts[1:]:
            try:
                st: os.stat_result | None = os.lstat(name, dir_fd=fd)
            except FileNotFoundError:
                st = None
            if st is not None and stat.S_ISLNK(st.st_mode):
                if repo_real is not None and _inside(cur, repo_real):
                    dest = os.readlink(name, dir_fd=fd)
                    raise _refuse(path, f"{os.path.join(cur, name)} is a symlink in the repository (-> {dest})")
                real = os.path.realpath(os.path.join(cur, name))
                nfd = os.open(real, flags)
                cur = real
            else:
                if st is None:
                    with suppress(FileExistsError):
                        os.mkdir(name, 0o755, dir_fd=fd)
                try:
                    nfd = os.open(name, flags | os.O_NOFOLLOW, dir_fd=fd)
                except OSError as exc:
                    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                        raise _refuse(path, f"{os.path.join(cur, name)} is not a folder") from None
                    raise
                cur = os.path.join(cur, name)
            os.close(fd)
            fd = nfd
        try:
            st = os.lstat(target.name, dir_fd=fd)
        except FileNotFoundError:
            st = None
        if st is not None and not stat.S_ISREG(st.st_mode):
            inside = repo_real is None or _inside(cur, repo_real)
            if not inside and stat.S_ISLNK(st.st_mode) and _depth < 8:
                # the user's own link outside the repository (/dev/stdout): written where it leads,
                # one hop at a time under the same rules (a path through a repository symlink is refused)
                dest = os.path.join(cur, os.readlink(target.name, dir_fd=fd))
                if dest in ("/proc/self/fd/1", "/proc/self/fd/2"):  # /dev/stdout, /dev/stderr
                    stream = sys.stdout if dest.endswith("1") else sys.stderr  # defused like all output
                    stream.write(data.decode("utf-8", "replace"))
                    stream.flush()
                    return
                return safe_write(Path(os.path.normpath(dest)), body, repo, _depth=_depth + 1)
            if not inside and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
                # a device or pipe the user named outside the repository (/dev/null): written as is
                dfd = os.open(target.name, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
                with os.fdopen(dfd, "wb") as fh:
                    fh.write(data)
                return
            what = "a symlink" if stat.S_ISLNK(st.st_mode) else "not a regular file"
            raise _refuse(path, f"the target is {what}")
        tmp = f".{target.name}.{os.urandom(8).hex()}.tmp"  # not secrets: its imports cost 2.5 ms
        tfd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=fd)
        try:
            with os.fdopen(tfd, "wb") as fh:
                fh.write(data)
                os.fchmod(fh.fileno(), 0o644)
            os.replace(tmp, target.name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp, dir_fd=fd)
            raise
    finally:
        os.close(fd)


def unchanged(path: Path, body: str | bytes) -> bool:
    """``path`` is a regular file (not a symlink) already holding ``body``."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    with os.fdopen(fd, "rb") as fh:
        return fh.read(len(data) + 1) == data
