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

import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO

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
    from gate.render.common import _ANSI

    return "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in _ANSI.sub("", text))


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
