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

#: once the budget is spent, the signal comes back this often (CPU seconds) until the block ends:
#: an exception raised while Python runs a finaliser or a garbage-collector callback is printed
#: and dropped, not raised in the block, so one signal may not be enough
AGAIN = 0.05


class OutOfTime(Exception):
    """The budget of a :func:`cpu_budget` block ran out."""


class _Budget:
    armed = False


def _out_of_time(signum: int, frame: Any) -> None:
    if _Budget.armed:  # a signal that arrives as the block ends is ignored
        raise OutOfTime


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`OutOfTime` inside the block once it has used ``seconds`` of CPU time (and
    every :data:`AGAIN` seconds after, until the block ends).

    Armed only in the main thread (where signals are delivered) and when no other budget is
    running: a block inside another budget runs under the outer one, which still bounds it."""
    if threading.current_thread() is not threading.main_thread() or _Budget.armed \
            or signal.getitimer(signal.ITIMER_PROF)[0]:
        yield
        return
    previous = signal.signal(signal.SIGPROF, _out_of_time)
    _Budget.armed = True
    signal.setitimer(signal.ITIMER_PROF, seconds, AGAIN)
    try:
        yield
    finally:
        # disarmed before any call (where a pending signal is handled): the handler then returns
        _Budget.armed = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
