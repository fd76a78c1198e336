"""GitHub outages in the middle of a run and answers that echo the token, through the real
entrypoint against the stand-in: the check run says what happened and is never left
``in_progress``; a re-run publishes a complete new run without duplicate annotations; the token is
never shown.
(tests/github/ covers transient 5xx, secondary limits, lost POST/PATCH answers, the retry budget
and the fork fallback; these are the cases it does not.)"""

from __future__ import annotations

from pathlib import Path

from tests.github.conftest import (  # noqa: F401  (fixtures)
    ORG_TOKEN,
    TOKEN,
    Scenario,
    git,
    openapi,
    platform_repo,
    pr_event,
    run_gate,
    standin_factory,
    webhook_examples,
)


def _repo(tmp: Path, links: int) -> tuple[Path, str, str]:
    ws = tmp / "workspace"
    body = "\n".join(f"See [part {i}](./missing-{i}.md)." for i in range(links))
    base, head = platform_repo(ws, {"payments": "stable"},
                               head_files={"docs/services/payments.md": f"# Payments\n\n{body}\n"})
    return ws, base, head


def _scenario(base: str, head: str) -> Scenario:
    s = Scenario(head_sha=head, base_sha=base)
    s.files = [{"sha": "0" * 40, "filename": "docs/services/payments.md", "status": "modified",
                "additions": 1, "deletions": 0, "changes": 1}]
    return s


def _no_token(run, ws: Path) -> None:  # type: ignore[no-untyped-def]
    assert TOKEN not in run.stdout + run.stderr + run.summary
    for p in (ws / "prodgate-report").glob("*"):
        assert TOKEN not in p.read_text(encoding="utf-8")


def test_outage_between_annotation_batches_then_rerun(tmp_path: Path, standin_factory, webhook_examples) -> None:  # noqa: F811
    ws, base, head = _repo(tmp_path, 120)
    s = _scenario(base, head)
    standin = standin_factory(s)
    # the run is created with the first 50; the second batch meets an outage (every retry)
    standin.fail("PATCH", r"/check-runs/\d+$", 503, times=2, message="Service Unavailable")
    first = run_gate(ws, standin, pr_event(webhook_examples, s), extra_env={"PRODGATE_RETRY_ATTEMPTS": "2"})
    assert first.code == 1, first.stderr
    assert "Traceback" not in first.stderr
    (cr,) = standin.gate_runs()
    assert cr["status"] == "completed" and cr["conclusion"] == "failure"
    assert len(cr["annotations"]) == 50
    # the last write (the API answers again) says what happened on the run itself
    assert cr["output"]["title"].startswith("Incomplete: ")
    assert "could not finish publishing" in cr["output"]["summary"]
    assert "after 50 of " in cr["output"]["summary"]
    # the job summary says so and keeps every finding (none lost)
    assert "could not be published" in first.summary
    assert first.summary.count("missing\\-") >= 120 or first.summary.count("missing-") >= 120
    _no_token(first, ws)
    # the API is back: the re-run publishes on a new check run (GitHub keeps a completed run's
    # conclusion and annotations; the newest run of the name is the one shown), each annotation once
    second = run_gate(ws, standin, pr_event(webhook_examples, s, action="synchronize"))
    assert second.code == 1, second.stderr
    old, new = standin.gate_runs()
    assert old is cr and len(cr["annotations"]) == 50
    keys = [(a["path"], a["start_line"], a["message"]) for a in new["annotations"]]
    assert len(keys) == len(set(keys))
    positioned = [f for sv in second.report["services"] for i in sv["items"] for f in i["findings"]
                  if f["path"] and f["line"]]
    assert len(keys) == len(positioned)


def test_outage_after_a_pending_run_was_created_does_not_leave_it_in_progress(standin_factory) -> None:  # noqa: F811
    """A pending verdict (the run is created ``in_progress``) whose second annotation batch meets an
    outage: the run is completed, as ``failure`` (fail closed), saying what happened."""
    import pytest

    from gate.github import publish as pub
    from gate.github.client import Client, GitHubError, RetryPolicy
    from tests.github.test_publish import _report

    s = Scenario()
    standin = standin_factory(s)
    client = Client(TOKEN, standin.url, RetryPolicy(base_seconds=0.01, max_attempts=2, sleep=lambda x: None))
    notes = pub.collect_annotations(_report(120))
    standin.fail("PATCH", r"/check-runs/\d+$", 503, times=2, message="Service Unavailable")
    with pytest.raises(GitHubError):
        pub.publish_check_run(client, s.owner, s.repo, s.head_sha, "prod-readiness", "pending",
                              "Waiting for CI", "# summary", notes)
    (cr,) = standin.gate_runs()
    assert cr["status"] == "completed" and cr["conclusion"] == "failure"
    assert cr["output"]["title"] == "Incomplete: Waiting for CI"
    assert "after 50 of 120 annotations" in cr["output"]["summary"]
    assert TOKEN not in str(cr)


def test_error_answers_that_echo_the_token_are_never_shown(tmp_path: Path, standin_factory, webhook_examples) -> None:  # noqa: F811
    ws, base, head = _repo(tmp_path, 3)
    s = _scenario(base, head)
    standin = standin_factory(s)
    echo = (f"Bad credentials (Authorization: token {TOKEN}; org {ORG_TOKEN})\n"
            "::set-output name=ready::true")
    standin.fail("GET", r"/pulls/\d+$", 401, times=5, message=echo)
    run = run_gate(ws, standin, pr_event(webhook_examples, s), extra_env={"PRODGATE_RETRY_ATTEMPTS": "2"},
                   inputs={"org-token": ORG_TOKEN})
    assert run.code == 2
    assert "HTTP 401" in run.stderr
    assert TOKEN not in run.stdout + run.stderr + run.summary
    assert ORG_TOKEN not in run.stdout + run.stderr + run.summary
    assert "\n::set-output" not in run.stderr
    # and when the check-run write echoes it
    standin2 = standin_factory(_scenario(base, head))
    standin2.fail("POST", r"/check-runs$", 422, times=1, message=echo)
    run2 = run_gate(ws, standin2, pr_event(webhook_examples, _scenario(base, head)))
    assert "Traceback" not in run2.stderr
    _no_token(run2, ws)
    assert "::set-output" not in run2.stdout + run2.stderr + run2.summary


def test_total_time_budget_bounds_a_hanging_api(tmp_path: Path, standin_factory, webhook_examples) -> None:  # noqa: F811
    import time

    ws, base, head = _repo(tmp_path, 3)
    s = _scenario(base, head)
    standin = standin_factory(s)
    standin.fail("GET", r"/pulls/\d+/files$", 503, times=1000, message="Service Unavailable")
    t0 = time.monotonic()
    run = run_gate(ws, standin, pr_event(webhook_examples, s),
                   extra_env={"PRODGATE_RETRY_ATTEMPTS": "1000", "PRODGATE_RETRY_BUDGET": "3"})
    assert time.monotonic() - t0 < 60
    assert run.code in (1, 2)  # fails closed
    assert "Traceback" not in run.stderr
    if run.report is not None:
        assert run.report["ready"] is False
