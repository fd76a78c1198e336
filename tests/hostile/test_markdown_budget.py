"""Markdown that is cheap to write and slow to parse (wide tables: every short row is filled out
to its header's cells, up to 65,536 per table): each page has a CPU budget, past which it is a
finding, and each rendering of a section a smaller one, past which only what surely shows counts
(never more than rendering would show). The budgets are made small here so the tests stay fast."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from gate import budget, workspace
from gate.model import Status
from gate.sources.markdown import parse as md
from tests.helpers import make_run, write_tree

#: a table of 256 columns whose 256 rows are two characters each: about 65,000 cells in 1.5 KB
WIDE = "|" + "|".join("a" * 256) + "|\n|" + "|".join("-" * 256) + "|\n" + "a\n" * 256 + "\n"


def test_a_page_past_its_cpu_budget_is_a_finding_at_line_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gate.engine import evaluate

    monkeypatch.setattr(workspace, "MARKDOWN_SECONDS", 0.2)
    write_tree(tmp_path, {
        "services/pay/service.yaml": "name: pay\nowner: team-pay\nstatus: stable\n",
        "services/pay/README.md": "# Pay\n\n## Run locally\n\n" + WIDE * 40,
    })
    run = make_run(tmp_path)
    report = evaluate(run, run.all_services, frozenset({"artifacts.readme"}))
    (res,) = [i for i in report.services[0].items if i.id == "artifacts.readme"]
    assert res.status == Status.FAIL
    (f,) = res.findings
    assert (f.path, f.line) == ("services/pay/README.md", 1)
    assert f.message == ("services/pay/README.md took more than 0.2 s of CPU to parse, the most the gate spends on a "
                         "Markdown page (tables with many columns, long runs of brackets); not judged: simplify or "
                         "split the page")


# the first signal may land in a garbage-collector callback (hypothesis installs one), where Python
# prints and drops it: the next one, AGAIN later, stops the rendering
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_section_past_its_render_budget_counts_only_what_surely_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("Restart the worker.\n\n" + WIDE * 8)[: md.RENDER_LIMIT]
    monkeypatch.setattr(md, "RENDER_SECONDS", 0.05)
    assert md.visible_text(text) == md._certainly_shown(text)
    assert md.visible_list_items(text) == md._certain_list_items(text)
    assert md.visible_fences(text) == md._certain_fences(text)
    # a cheap text is still rendered
    assert md.visible_text("[](https://x) Restart the worker.") == "Restart the worker."


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_the_budget_stops_the_block_and_is_disarmed_after() -> None:
    import signal

    with pytest.raises(budget.OutOfTime), budget.cpu_budget(0.05):
        _spin(2)
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    with budget.cpu_budget(5):
        _spin(0.01)
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_a_dropped_signal_is_followed_by_another() -> None:
    """Python prints and drops an exception raised in a finaliser or a garbage-collector callback:
    the budget keeps signalling until the block ends (here the block swallows the first one)."""
    import signal

    swallowed = 0
    with pytest.raises(budget.OutOfTime), budget.cpu_budget(0.02):
        try:
            _spin(2)
        except budget.OutOfTime:
            swallowed += 1
        _spin(2)
    assert swallowed == 1
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)


def test_an_inner_budget_runs_under_the_outer_one_and_a_thread_has_none() -> None:
    # the inner budget is not armed: the outer one still stops the block
    with pytest.raises(budget.OutOfTime), budget.cpu_budget(0.05), budget.cpu_budget(100):
        _spin(2)
    done: list[bool] = []

    def worker() -> None:
        with budget.cpu_budget(0.001):  # signals reach the main thread only: no budget here
            _spin(0.05)
        done.append(True)

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert done == [True]
