"""CPU-time budgets for work whose cost hostile input can inflate: markdown-it-py is linear on
ordinary pages but slow on crafted ones (a table row of two characters filled out to a header's
256 cells, runs of brackets), so a pull request could otherwise hold the gate for minutes.

Time is this process's CPU time (``ITIMER_PROF``), never the wall clock of a loaded machine.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class OutOfTime(Exception):
    """The budget of a :func:`cpu_budget` block ran out."""


def _out_of_time(signum: int, frame: Any) -> None:
    raise OutOfTime


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`OutOfTime` inside the block once it has used ``seconds`` of CPU time.

    Armed only in the main thread (where signals are delivered) and when no other budget is
    running: a block inside another budget runs under the outer one, which still bounds it."""
    if threading.current_thread() is not threading.main_thread() or signal.getitimer(signal.ITIMER_PROF)[0]:
        yield
        return
    previous = signal.signal(signal.SIGPROF, _out_of_time)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
