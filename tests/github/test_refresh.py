"""``prodgate refresh`` against the stand-in for api.github.com (every request checked against
GitHub's OpenAPI description): it re-runs exactly the workflow runs of expired verdicts, the
stalest first and boundedly, writes nothing when nothing expired, falls back to a check run of
the time-only items where a re-run is not possible, and exits 2 without the permissions it needs.

The end-to-end test plays the schedule with a simulated clock (``--now``): a PR judged green
before the weekend freeze is red one refresh period after the freeze starts, and green again one
period after it ends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from gate import validity
from tests.github.conftest import Scenario, StandIn, git, platform_repo, pr_event, run_gate
from tests.test_validity import WEEKLY

REPO_URL = "https://github.com/Codertocat/Hello-World"
RUN_ID = 987654321  # GITHUB_RUN_ID of run_gate
#: the change-level items (the services of this small repository are not complete: judging only
#: these keeps the verdict about the freeze)
ONLY = "promotion.approved,promotion.ci-green,promotion.freeze"
PERIOD = dt.timedelta(minutes=10)  # the schedule of the refresh workflow


def z(t: dt.datetime) -> str:
    return validity.iso(t)


def marker(until: str, item: str = "promotion.freeze", rest: str = "none") -> str:
    return f"## prodgate: ✓ Production-ready\n\n[//]: # (prodgate:valid-until={until} item={item} rest={rest})\n"


def gate_run(ident: int, sha: str, until: str, run_id: int, conclusion: str = "success", **kw: str) -> dict[str, Any]:
    return {"id": ident, "name": "prod-readiness", "head_sha": sha, "status": "completed", "conclusion": conclusion,
            "details_url": f"{REPO_URL}/actions/runs/{run_id}", "output": {"title": "t", "summary": marker(until, **kw)}}


def refresh(ws: Path, standin: StandIn, now: str, *extra: str) -> Any:
    return run_gate(ws, standin, {}, event_name="schedule", argv=["refresh", "--now", now, *extra],
                    inputs={"mode": "refresh"})


def _ops(standin: StandIn) -> list[str]:
    return [standin.api.operation(r.method, r.path) for r in standin.requests]


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    ws = tmp_path / "workspace"
    platform_repo(ws, {"payments": "stable"}, base_files={".github/prod-readiness.yml": WEEKLY})
    return ws


SHAS = [f"{n:02d}" * 20 for n in range(1, 6)]


def _many(now: dt.datetime) -> Scenario:
    """Five open PRs: #1 expired an hour ago, #2 expired a minute ago, #3 valid for a day, #4 no
    marker (another tool's run), #5 expired two hours ago but its run is still in progress."""
    s = Scenario()
    s.open_pulls = [{"number": n, "head_sha": SHAS[n - 1]} for n in range(1, 6)]
    s.check_runs = [
        gate_run(101, SHAS[0], z(now - dt.timedelta(hours=1)), 5001),
        gate_run(102, SHAS[1], z(now - dt.timedelta(minutes=1)), 5002),
        gate_run(103, SHAS[2], z(now + dt.timedelta(days=1)), 5003),
        {"id": 104, "name": "prod-readiness", "head_sha": SHAS[3], "status": "completed", "conclusion": "success",
         "output": {"title": "t", "summary": "no marker"}},
        gate_run(105, SHAS[4], z(now - dt.timedelta(hours=2)), 5005),
        # an older verdict on #3's head, in another suite: only the newest counts
        gate_run(99, SHAS[2], z(now - dt.timedelta(days=1)), 4999),
    ]
    s.workflow_runs = {5001: {"head_sha": SHAS[0]}, 5002: {"head_sha": SHAS[1]}, 5003: {"head_sha": SHAS[2]},
                       5005: {"head_sha": SHAS[4], "status": "in_progress"}}
    return s


NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


def test_reruns_exactly_the_expired_verdicts(ws: Path, standin_factory: Any) -> None:
    s = _many(NOW)
    standin = standin_factory(s)
    run = refresh(ws, standin, z(NOW))
    assert run.code == 0, run.stderr
    assert s.reruns == [5001, 5002]  # stalest first; #5's run is still re-judging
    assert "#5: skipped: workflow run 5005 is in_progress" in run.stdout
    assert [r.line for r in standin.sent("POST")] == [
        "POST /repos/Codertocat/Hello-World/actions/runs/5001/rerun",
        "POST /repos/Codertocat/Hello-World/actions/runs/5002/rerun",
    ]
    assert not standin.sent("PATCH") and len(standin.gate_runs()) == 6  # no check run written
    # a small constant per PR: one read each; per expired PR its run, and the re-run when it is done
    assert len(standin.requests) == 1 + 5 + 2 + 2 + 1
    assert "## prodgate refresh" in run.summary and "#1: re\\-ran" in run.summary


def test_at_most_max_prs_the_stalest_first(ws: Path, standin_factory: Any) -> None:
    s = _many(NOW)
    s.workflow_runs[5005]["status"] = "completed"
    standin = standin_factory(s)
    run = refresh(ws, standin, z(NOW), "--max-prs", "2")
    assert run.code == 0, run.stderr
    assert s.reruns == [5005, 5001]
    assert "1 more expired verdict(s) left for the next run (--max-prs 2): #2" in run.stdout


def test_nothing_expired_nothing_written(ws: Path, standin_factory: Any) -> None:
    s = _many(NOW)
    s.check_runs = [c for c in s.check_runs if c["id"] in (103, 104)]
    standin = standin_factory(s)
    run = refresh(ws, standin, z(NOW))
    assert run.code == 0, run.stderr
    assert "no verdict has expired: nothing to do" in run.stdout
    assert not [r for r in standin.requests if r.method != "GET"]
    assert sorted(set(_ops(standin))) == ["GET /repos/{owner}/{repo}/commits/{ref}/check-runs",
                                          "GET /repos/{owner}/{repo}/pulls"]


def test_without_the_permission_to_list_pulls_it_says_so_and_exits_2(ws: Path, standin_factory: Any) -> None:
    standin = standin_factory(_many(NOW))
    standin.fail("GET", r"/pulls$", 403, message="Resource not accessible by integration")
    run = refresh(ws, standin, z(NOW))
    assert run.code == 2
    assert "the token lacks 'pull-requests: read'" in run.stderr
    assert "actions: write" in run.stderr and "checks: write" in run.stderr
    assert not [r for r in standin.requests if r.method != "GET"]


def test_without_actions_write_the_fallback_judges_and_it_exits_2(ws: Path, standin_factory: Any) -> None:
    s = _many(NOW)
    s.check_runs = [c for c in s.check_runs if c["id"] == 102]
    standin = standin_factory(s)
    standin.fail("POST", r"/rerun$", 403, message="Resource not accessible by integration")
    run = refresh(ws, standin, z(NOW))  # a Wednesday: no freeze holds
    assert run.code == 2
    assert "the token lacks actions: write" in run.stderr
    (posted,) = [c for c in standin.gate_runs() if c["id"] != 102]
    assert posted["head_sha"] == SHAS[1] and posted["conclusion"] == "success"
    assert posted["output"]["title"] == "Ready: no freeze window holds now"


# -- the fallback: a check run for the time-only items ------------------------------------------------
def _fallback_scenario(ws: Path, until: dt.datetime, rest: str = "none", conclusion: str = "success") -> Scenario:
    s = Scenario()
    s.open_pulls = [{"number": 7, "head_sha": SHAS[0]}]
    s.check_runs = [gate_run(201, SHAS[0], z(until), 6001, conclusion, rest=rest)]
    s.workflow_runs = {6001: {"head_sha": SHAS[0], "rerunnable": False}}  # over a month old
    return s


def test_fallback_freeze_starts_red_then_green_after_it(ws: Path, standin_factory: Any) -> None:
    base = git(ws, "rev-parse", "HEAD~1")
    starts = dt.datetime(2026, 12, 4, 21, 0, tzinfo=dt.UTC)  # Fri 16:00 EST
    s = _fallback_scenario(ws, starts)
    s.open_pulls[0]["base_sha"] = base
    s.contents = {base: {".github/prod-readiness.yml": WEEKLY}}
    standin = standin_factory(s)
    run = refresh(ws, standin, z(starts + PERIOD))
    assert run.code == 0, run.stderr
    assert s.reruns == []
    red = standin.gate_runs()[-1]
    assert red["conclusion"] == "failure" and red["output"]["title"] == "Frozen: a freeze window holds now"
    assert "weekly freeze window 'Weekend'" in red["output"]["summary"]
    m = validity.read_marker(red["output"]["summary"])
    ends = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)  # Mon 09:00 EST
    assert m == validity.Marker(ends, "promotion.freeze", "", None, "success")
    # the next runs, while the freeze holds: nothing expired, nothing written
    writes = len(standin.sent("POST"))
    assert refresh(ws, standin, z(ends - PERIOD)).code == 0
    assert len(standin.sent("POST")) == writes
    # after it: the verdict before the freeze (success) holds again
    run = refresh(ws, standin, z(ends + PERIOD))
    assert run.code == 0, run.stderr
    green = standin.gate_runs()[-1]
    assert green["conclusion"] == "success" and green["output"]["title"] == "Ready: no freeze window holds now"


def test_fallback_never_greens_a_verdict_whose_rest_expired(ws: Path, standin_factory: Any) -> None:
    until = NOW - dt.timedelta(minutes=5)
    s = _fallback_scenario(ws, until, rest=z(NOW - dt.timedelta(minutes=1)))
    standin = standin_factory(s)
    assert refresh(ws, standin, z(NOW)).code == 0
    posted = standin.gate_runs()[-1]
    assert posted["conclusion"] == "failure" and posted["output"]["title"] == "Verdict expired: re-run needed"


def test_fallback_for_a_service_item_fails_closed(ws: Path, standin_factory: Any) -> None:
    s = _fallback_scenario(ws, NOW - dt.timedelta(minutes=5))
    s.check_runs[0]["output"]["summary"] = marker(z(NOW - dt.timedelta(minutes=5)), "promotion.rollback").replace(
        " rest=", " service=payments rest=")
    standin = standin_factory(s)
    assert refresh(ws, standin, z(NOW)).code == 0
    posted = standin.gate_runs()[-1]
    assert posted["conclusion"] == "failure"
    assert "\\(payments: promotion\\.rollback\\)" in posted["output"]["summary"]
    # the failure carries no boundary: the next ticks leave it alone until a run re-judges it
    assert validity.read_marker(posted["output"]["summary"]) == validity.Marker(None, prior="success")
    assert "push a commit or re\\-run the workflow" in posted["output"]["summary"]


# -- end to end: the pr workflow, the schedule, and the re-runs it triggers ----------------------
def test_green_before_the_freeze_red_during_green_after(tmp_path: Path, standin_factory: Any,
                                                        webhook_examples: Any) -> None:
    ws = tmp_path / "workspace"
    base, head = platform_repo(ws, {"payments": "stable"}, base_files={".github/prod-readiness.yml": WEEKLY})
    s = Scenario(head_sha=head, base_sha=base)
    s.files = [{"sha": "0" * 40, "filename": "services/payments/src/index.ts", "status": "modified",
                "additions": 1, "deletions": 0, "changes": 1}]
    s.reviews = [{"id": 80, "user": {"login": "octocat"}, "state": "APPROVED", "commit_id": head,
                  "submitted_at": "2026-12-04T10:00:00Z", "body": ""}]
    s.check_runs = [{"id": 11, "name": "test", "head_sha": head, "status": "completed", "conclusion": "success"}]
    s.statuses = [{"context": "ci/build", "state": "success", "target_url": "https://ci.example.com/1"}]
    s.open_pulls = [{"number": s.number, "head_sha": head, "base_sha": base}]
    s.workflow_runs = {RUN_ID: {"head_sha": head}}
    standin = standin_factory(s)
    event = pr_event(webhook_examples, s)

    def judge(now: dt.datetime) -> dict[str, Any]:
        """The pr workflow (first run, or the re-run that refresh asked for) at ``now``."""
        run = run_gate(ws, standin, event, argv=["pr", "--now", z(now), "--only", ONLY])
        assert run.code in (0, 1), run.stderr
        s.workflow_runs[RUN_ID]["status"] = "completed"
        return standin.gate_runs()[-1]

    starts = dt.datetime(2026, 12, 4, 21, 0, tzinfo=dt.UTC)  # Fri 16:00 EST
    ends = dt.datetime(2026, 12, 7, 14, 0, tzinfo=dt.UTC)  # Mon 09:00 EST
    first = judge(starts - dt.timedelta(hours=1))
    assert first["conclusion"] == "success", first["output"]
    assert validity.read_marker(first["output"]["summary"]).until == starts  # type: ignore[union-attr]

    # the schedule runs every PERIOD; the tick before the freeze does nothing
    assert refresh(ws, standin, z(starts - dt.timedelta(minutes=5))).code == 0
    assert s.reruns == []
    # the first tick after the freeze starts re-runs the PR's workflow run; the re-run is red
    run = refresh(ws, standin, z(starts + dt.timedelta(minutes=5)))
    assert run.code == 0, run.stderr
    assert s.reruns == [RUN_ID]
    red = judge(starts + dt.timedelta(minutes=6))
    assert red["conclusion"] == "failure"
    assert "merging is frozen" in red["output"]["summary"]
    assert validity.read_marker(red["output"]["summary"]).until == ends  # type: ignore[union-attr]
    # while it holds, the ticks re-run nothing
    assert refresh(ws, standin, z(ends - dt.timedelta(minutes=5))).code == 0
    assert s.reruns == [RUN_ID]
    # the first tick after it ends re-runs it again; the re-run is green
    assert refresh(ws, standin, z(ends + dt.timedelta(minutes=5))).code == 0
    assert s.reruns == [RUN_ID, RUN_ID]
    green = judge(ends + dt.timedelta(minutes=6))
    assert green["conclusion"] == "success"


def test_example_workflow_grants_what_refresh_needs() -> None:
    import yaml

    from gate.modes.refresh_args import PERMISSIONS
    from tests.github.conftest import ROOT

    wf = yaml.safe_load((ROOT / "examples/workflows/prod-readiness-refresh.yml").read_text(encoding="utf-8"))
    granted = {f"{k}: {v}" for k, v in wf["permissions"].items()}
    assert granted == {p for p, _ in PERMISSIONS}
    (step,) = [st for st in wf["jobs"]["refresh"]["steps"] if "prodgate" in str(st.get("uses", ""))]
    assert step["with"]["mode"] == "refresh"
    assert wf[True]["schedule"][0]["cron"] == "*/10 * * * *"  # PyYAML reads the key `on` as True


def test_one_unreadable_verdict_does_not_leave_the_others_expired(ws: Path, standin_factory: Any) -> None:
    """An API error reading one PR's check runs is an error for that PR (exit 1); the other
    expired verdicts are still re-judged, never left green past their validity."""
    s = _many(NOW)
    standin = standin_factory(s)
    standin.fail("GET", rf"/commits/{SHAS[0]}/check-runs", 422, message="Unprocessable")
    run = refresh(ws, standin, z(NOW))
    assert run.code == 1, run.stderr
    assert "#1: error: its verdict could not be read" in run.stdout
    assert s.reruns == [5002]
