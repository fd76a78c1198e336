"""The check-run publisher and the runner plumbing, in process, against the stand-in."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from gate import catalog
from gate.github import env as ghenv
from gate.github import publish as pub
from gate.github.client import Client, GitHubError, RetryPolicy, retry_wait
from gate.model import Finding, ItemResult, Level, Report, ServiceReport, Status
from gate.verdict import blocks_pr, pr_blockers, pr_state, promote_blockers
from tests.github.conftest import TOKEN, Scenario, parse_outputs

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)


def _item(item_id: str, status: Status, findings: tuple[Finding, ...] = ()) -> ItemResult:
    it = catalog.BY_ID[item_id]
    return ItemResult(it.id, it.section, it.title, status, findings)


def _service(name: str, items: dict[str, Status], advisory: str = "", findings: int = 0) -> ServiceReport:
    out = []
    for it in catalog.SERVICE_ITEMS:
        st = items.get(it.id, Status.PASS)
        fs: tuple[Finding, ...] = ()
        if it.id == "artifacts.docs-page" and findings:
            fs = tuple(Finding(f"link {n} does not resolve", f"docs/services/{name}.md", n + 1, n + 1)
                       for n in range(findings))
            st = Status.FAIL
        out.append(_item(it.id, st, fs))
    return ServiceReport(name, f"services/{name}", tuple(out), "stable", advisory=advisory)


def _change(status: Status = Status.PASS) -> tuple[ItemResult, ...]:
    return tuple(_item(i.id, status) for i in catalog.CHANGE_ITEMS)


def _client(standin) -> Client:
    return Client(TOKEN, standin.url, RetryPolicy(base_seconds=0.01, sleep=lambda s: None))


def _report(findings: int = 120) -> Report:
    return Report("pr", NOW, _change(), (_service("payments", {}, findings=findings),))


# -- check runs -------------------------------------------------------------------------------
def test_120_annotations_in_3_requests(standin_factory):
    s = Scenario()
    standin = standin_factory(s)
    client = _client(standin)
    notes = pub.collect_annotations(_report())
    assert len(notes) == 120
    res = pub.publish_check_run(client, s.owner, s.repo, s.head_sha, "prod-readiness", "failure", "t", "# s", notes)
    (cr,) = standin.gate_runs()
    assert len(cr["annotations"]) == 120 and res.annotations_sent == 120
    assert [r.method for r in standin.requests] == ["POST", "PATCH", "PATCH"]
    assert [len(r.body["output"]["annotations"]) for r in standin.requests] == [50, 50, 20]
    assert cr["conclusion"] == "failure"


def test_lost_post_answer_is_looked_up_not_repeated(standin_factory):
    s = Scenario()
    standin = standin_factory(s)
    standin.fail("POST", r"/check-runs$", 502, apply=True)  # created, answer lost
    client = _client(standin)
    pub.publish_check_run(client, s.owner, s.repo, s.head_sha, "prod-readiness", "success", "t", "s",
                          pub.collect_annotations(_report()))
    assert len(standin.gate_runs()) == 1
    assert len(standin.gate_runs()[0]["annotations"]) == 120
    assert [r.method for r in standin.requests] == ["POST", "GET", "PATCH", "PATCH"]


def test_lost_patch_answer_is_not_sent_twice(standin_factory):
    s = Scenario()
    standin = standin_factory(s)
    standin.fail("PATCH", r"/check-runs/\d+$", 504, apply=True)  # appended, answer lost
    client = _client(standin)
    pub.publish_check_run(client, s.owner, s.repo, s.head_sha, "prod-readiness", "success", "t", "s",
                          pub.collect_annotations(_report()))
    (cr,) = standin.gate_runs()
    assert len(cr["annotations"]) == 120
    assert [r.method for r in standin.requests] == ["POST", "PATCH", "GET", "PATCH"]


def test_failed_patch_is_sent_again(standin_factory):
    s = Scenario()
    standin = standin_factory(s)
    standin.fail("PATCH", r"/check-runs/\d+$", 502)  # not applied
    client = _client(standin)
    pub.publish_check_run(client, s.owner, s.repo, s.head_sha, "prod-readiness", "success", "t", "s",
                          pub.collect_annotations(_report()))
    (cr,) = standin.gate_runs()
    assert len(cr["annotations"]) == 120
    assert [r.method for r in standin.requests] == ["POST", "PATCH", "GET", "PATCH", "PATCH"]


def test_pending_leaves_the_run_in_progress(standin_factory):
    s = Scenario()
    standin = standin_factory(s)
    report = Report("pr", NOW, _change(Status.PENDING), (_service("payments", {}),))
    assert pr_state(report) == "pending"
    title = pub.title(report, "pending", [it.id for _, it in pr_blockers(report)])
    pub.publish_check_run(_client(standin), s.owner, s.repo, s.head_sha, "prod-readiness", "pending", title, "s", [])
    (cr,) = standin.gate_runs()
    assert cr["status"] == "in_progress" and cr["conclusion"] is None
    assert title.startswith("Waiting for promotion.approved, promotion.ci-green, promotion.freeze")


def test_fork_token_raises_checks_forbidden(standin_factory):
    s = Scenario(read_only=True)
    standin = standin_factory(s)
    with pytest.raises(pub.ChecksForbidden):
        pub.publish_check_run(_client(standin), s.owner, s.repo, s.head_sha, "prod-readiness", "success", "t", "s", [])
    assert len(standin.requests) == 1


def test_summary_is_cut_at_65535_bytes():
    text = "## report\n" + ("é✓ line of the report\n" * 10_000)
    out = pub.cut_bytes(text, pub.MAX_SUMMARY_BYTES, "Full report: the job summary.")
    assert len(out.encode("utf-8")) <= 65_535
    assert out.rstrip().endswith("Full report: the job summary.")
    assert pub.cut_bytes("short", 10, "p") == "short"


def _waived_flood(notes: tuple[str, ...]) -> Report:
    """One failing item, then 11 waived items of 300 findings each: the cut falls inside the
    report's ``<details>`` block of waived items."""
    from gate.model import Waiver

    items = []
    for it in catalog.SERVICE_ITEMS:
        if it.section in ("conventions", "data"):
            fs = tuple(Finding(f"waived finding {n} " + "x" * 80, f"services/pay/f{n}.ts", n + 1, n + 1)
                       for n in range(300))
            items.append(ItemResult(it.id, it.section, it.title, Status.WAIVED, fs, "waived",
                                    Waiver(it.id, "ok", "bob", "2027-01-01")))
        elif it.id == "artifacts.readme":
            items.append(ItemResult(it.id, it.section, it.title, Status.FAIL,
                                    (Finding("README.md is missing", "services/pay/README.md", 1, 1),)))
        else:
            items.append(_item(it.id, Status.PASS))
    return Report("pr", NOW, _change(), (ServiceReport("pay", "services/pay", tuple(items), "stable"),), notes=notes)


def test_a_cut_summary_keeps_the_notes_closes_details_and_counts_what_it_leaves_out():
    from gate.render.markdown import cut, render

    md = render(_waived_flood(("This pull request is blocked (failure) by 1 item(s): pay: artifacts.readme.",
                               "12 annotations were not shown as workflow annotations")))
    assert md.count("<details>") == 1 and len(md.encode()) > 65_535
    out = cut(md, pub.MAX_SUMMARY_BYTES, "POINTER.")
    assert len(out.encode("utf-8")) <= 65_535
    # the pointer is outside the <details> block the cut opened (else it is folded away unseen)
    head, _, after = out.partition("POINTER.")
    assert head.count("<details>") == head.count("</details>") == 1
    assert head.rstrip().endswith("</details>")
    # it counts what is left out: every finding line not shown is counted
    shown = sum(1 for ln in head.splitlines() if ln.startswith("  - "))
    total = sum(1 for ln in md.splitlines() if ln.startswith("  - "))
    assert f"Left out here: {total - shown} finding line(s) of " in after
    # the report's notes (the verdict, annotations not shown) survive the cut
    assert "> Note: This pull request is blocked \\(failure\\) by 1 item" in after
    assert "> Note: 12 annotations were not shown" in after
    # the failing item comes first and is shown
    assert "README\\.md is missing" in head
    assert cut("short\n", 100, "POINTER.") == "short\n"


def test_the_check_run_and_job_summaries_use_the_markdown_cut(standin_factory, tmp_path: Path):
    from gate.render.markdown import render

    md = render(_waived_flood(("the verdict note",)))
    s = Scenario()
    standin = standin_factory(s)
    pub.publish_check_run(_client(standin), s.owner, s.repo, s.head_sha, "prod-readiness", "failure", "t", md, [],
                          pointer="POINTER.")
    (cr,) = standin.gate_runs()
    summary = cr["output"]["summary"]
    assert len(summary.encode("utf-8")) <= 65_535 and "> Note: the verdict note" in summary
    assert summary.partition("POINTER.")[0].count("</details>") == 1
    big = render(_waived_flood(("the verdict note",) * 1)).replace("x" * 80, "x" * 400) * 4
    job = tmp_path / "summary.md"
    pub.write_job_summary(job, big, "POINTER.")
    text = job.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= pub.MAX_JOB_SUMMARY_BYTES
    assert "POINTER. Left out here:" in text and text.rstrip().endswith("> Note: the verdict note")


def test_annotations_carry_no_terminal_escape_control_or_bidi_character():
    hostile = "bad \x1b[8mhidden\x1b[0m \x1b]8;;https://evil\x07link\x1b]8;;\x07 admin\u202eevil\u2066 nul\x00 cr\r end\nnext\tline"
    fs = (Finding(hostile, "services/pay/a.ts", 3, 3),)
    svc = ServiceReport("pay\x1b[2J\u202e", "services/pay",
                        tuple(_item(it.id, Status.FAIL if it.id == "artifacts.readme" else Status.PASS,
                                    fs if it.id == "artifacts.readme" else ())
                              for it in catalog.SERVICE_ITEMS), "stable")
    (a,) = pub.collect_annotations(Report("pr", NOW, _change(), (svc,)))
    assert a.message == ("[pay ] artifacts.readme (fail): bad hidden link admin evil  nul  cr  end\nnext\tline")
    assert a.title.startswith("[pay ] artifacts.readme: ") and "\x1b" not in a.title
    line = pub.workflow_command(a)
    assert "\x1b" not in line and "\u202e" not in line and "\x00" not in line
    assert line.endswith("::[pay ] artifacts.readme (fail): bad hidden link admin evil  nul  cr  end%0Anext\tline")


# -- workflow commands, outputs, environment --------------------------------------------------
def test_workflow_command_escaping():
    a = pub.Annotation("dir/a:b,c.md", 3, 4, "failure", "100% wrong\r\nnext ::set-output", "t: x, y")
    line = pub.workflow_command(a)
    assert line == ("::error file=dir/a%3Ab%2Cc.md,line=3,endLine=4,title=t%3A x%2C y::"
                    "100%25 wrong%0D%0Anext ::set-output")
    assert "\n" not in line


def test_fallback_shows_ten_per_level_and_counts_the_rest():
    notes = [pub.Annotation("a.md", n, n, "failure", f"m{n}", "t") for n in range(1, 26)]
    notes += [pub.Annotation("a.md", n, n, "warning", f"w{n}", "t") for n in range(1, 4)]
    buf = io.StringIO()
    said = pub.emit_workflow_annotations(notes, buf)
    lines = buf.getvalue().splitlines()
    assert sum(ln.startswith("::error ") for ln in lines) == 10
    assert sum(ln.startswith("::warning ") for ln in lines) == 3
    assert said.startswith("15 annotations were not shown") and "15 failure" in said


def test_outputs_use_random_heredoc_delimiters(tmp_path: Path):
    out = tmp_path / "out"
    pub.write_outputs(out, {"ready": "false", "failed-items": "a,b", "multi": "x\nghadelimiter_1\ny"})
    pub.write_outputs(out, {"services": '["payments"]'})
    text = out.read_text()
    delims = [ln.split("<<", 1)[1] for ln in text.splitlines() if "<<" in ln]
    assert len(set(delims)) == 4
    assert parse_outputs(text) == {"ready": "false", "failed-items": "a,b", "multi": "x\nghadelimiter_1\ny",
                                   "services": '["payments"]'}


def test_inputs_keep_hyphens(tmp_path: Path):
    assert ghenv.input_name("github-token") == "INPUT_GITHUB-TOKEN"
    assert ghenv.input_name("sarif-file") == "INPUT_SARIF-FILE"
    ev = tmp_path / "event.json"
    ev.write_text('{"pull_request": {"number": 7, "head": {"sha": "h", "repo": {"full_name": "f/r"}}, '
                  '"base": {"sha": "b", "ref": "main", "repo": {"full_name": "o/r"}}, "user": {"login": "u"}}}')
    env = ghenv.load({"INPUT_GITHUB-TOKEN": "tok", "INPUT_MODE": "pr", "GITHUB_EVENT_PATH": str(ev),
                      "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "merge"})
    assert env.token == "tok" and "tok" not in repr(env)
    pr = env.pull_request()
    assert pr is not None and pr.head_sha == "h" and pr.number == 7 and pr.fork


def test_argv_from_inputs():
    from gate import UsageError
    from gate.modes.pr.event import argv_from_inputs

    assert argv_from_inputs({"INPUT_MODE": "promote", "INPUT_SERVICE": "payments", "INPUT_STAGE": "prod",
                             "INPUT_STRICT": "true"}) == ["promote", "--service", "payments", "--stage", "prod",
                                                          "--strict"]
    assert argv_from_inputs({"INPUT_MODE": ""}) == ["pr"]
    with pytest.raises(UsageError):
        argv_from_inputs({"INPUT_MODE": "deploy"})
    with pytest.raises(UsageError):
        argv_from_inputs({"INPUT_MODE": "promote"})


# -- retry policy -----------------------------------------------------------------------------
def test_retry_waits():
    p = RetryPolicy(base_seconds=1, rand=lambda: 1.0)
    assert retry_wait(502, "", {}, 1, p) == 1.0
    assert retry_wait(None, "", {}, 3, p) == 4.0
    assert retry_wait(403, "Resource not accessible by integration", {}, 1, p) is None
    assert retry_wait(404, "", {}, 1, p) is None
    assert retry_wait(403, "x", {"Retry-After": "7"}, 1, p) == 7.0
    assert retry_wait(403, "x", {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1100"}, 1, p,
                      now_epoch=1000) == 101.0
    assert retry_wait(429, "", {}, 1, p) == 60.0
    assert retry_wait(403, "You have exceeded a secondary rate limit", {}, 1, p) == 60.0


def test_error_messages_never_carry_the_token(standin_factory):
    standin = standin_factory(Scenario())
    standin.fail("GET", r"/pulls/\d+$", 500, times=10)
    client = Client(TOKEN, standin.url, RetryPolicy(max_attempts=2, base_seconds=0.01, sleep=lambda s: None))
    with pytest.raises(GitHubError) as info:
        client.get("/repos/Codertocat/Hello-World/pulls/2")
    assert TOKEN not in str(info.value) and TOKEN not in repr(info.value.__dict__)
    assert len(standin.requests) == 2


# -- verdicts ---------------------------------------------------------------------------------
def test_pr_blocking_rules():
    beta = _service("ledger", {"artifacts.readme": Status.FAIL}, advisory="service is beta")
    only_promotion_time = _service("payments", {"deployment.staging-soak": Status.PENDING,
                                                "oncall.notified": Status.MANUAL,
                                                "observability.alarms": Status.UNVERIFIED})
    r = Report("pr", NOW, _change(Status.FAIL), (beta,))
    assert not blocks_pr(r)  # change-level items block only with a blocking service
    r = Report("pr", NOW, _change(), (beta, only_promotion_time))
    assert not blocks_pr(r) and pr_state(r) == "success"
    assert blocks_pr(r, strict=True)  # unverified blocks with --strict
    r = Report("pr", NOW, _change(Status.FAIL), (only_promotion_time,))
    assert pr_state(r) == "failure"
    assert promote_blockers(Report("promote", NOW, _change(), (only_promotion_time,)))
    monitor = _service("payments", {"promotion.prod-monitor": Status.PENDING})
    assert not promote_blockers(Report("promote", NOW, _change(), (monitor,)))
    assert promote_blockers(Report("promote", NOW, _change(), (monitor,)), after_deploy=True)


def test_annotation_levels_follow_the_pr_verdict():
    beta = _service("ledger", {}, advisory="service is beta", findings=2)
    notes = pub.collect_annotations(Report("pr", NOW, _change(), (beta,)),
                                    pub.non_blocking_pr(Report("pr", NOW, _change(), (beta,))))
    assert {a.level for a in notes} == {"warning"}
    assert notes[0].title.startswith("[ledger] artifacts.docs-page")
    assert Level.FAILURE.value == "failure"


def test_which_check_run_is_reused():
    from gate.github.evidence import CheckRun

    ours = "prodgate:1:1:ab"
    runs = [CheckRun("prod-readiness", "completed", "failure", id=5, external_id=ours),
            CheckRun("test", "completed", "success", id=9),
            CheckRun("prod-readiness", "in_progress", None, id=7, external_id=ours)]
    assert pub.reusable_run(runs, "prod-readiness").id == 7  # a pending run this gate left
    done = [CheckRun("prod-readiness", "completed", "success", id=5, external_id=ours)]
    assert pub.reusable_run(done, "prod-readiness") is None  # completed: never reused
    newer_done = [*runs, CheckRun("prod-readiness", "completed", "success", id=8, external_id=ours)]
    assert pub.reusable_run(newer_done, "prod-readiness") is None
    other = [CheckRun("prod-readiness", "in_progress", None, id=7, app="other-ci")]
    assert pub.reusable_run(other, "prod-readiness") is None  # not created by this gate
    assert pub.reusable_run([], "prod-readiness") is None


def test_lost_post_never_adopts_a_run_that_existed_before(standin_factory):
    s = Scenario()
    s.check_runs = [{"id": 77, "name": "prod-readiness", "head_sha": s.head_sha, "status": "completed",
                     "conclusion": "success", "external_id": "prodgate:1:1:00", "output": {"title": "old"}}]
    standin = standin_factory(s)
    standin.fail("POST", r"/check-runs$", 502)  # not applied: nothing created
    pub.publish_check_run(_client(standin), s.owner, s.repo, s.head_sha, "prod-readiness", "failure", "t", "s",
                          pub.collect_annotations(_report()), ext_id="prodgate:2:1:ff")
    old, new = standin.gate_runs()
    assert old["conclusion"] == "success" and old["annotations"] == [] and old["output"]["title"] == "old"
    assert new["external_id"] == "prodgate:2:1:ff" and new["conclusion"] == "failure"
    assert len(new["annotations"]) == 120
    assert [r.method for r in standin.requests] == ["POST", "GET", "POST", "PATCH", "PATCH"]


def test_a_same_name_run_of_another_app_is_left_alone(standin_factory):
    from gate.github.evidence import CheckRun

    s = Scenario()
    # another app's run, even one that names itself like ours: GitHub refuses our PATCH (403)
    s.check_runs = [{"id": 78, "name": "prod-readiness", "head_sha": s.head_sha, "status": "in_progress",
                     "conclusion": None, "external_id": "prodgate:1:1:00", "app": {"id": 9, "slug": "other-ci"}}]
    standin = standin_factory(s)
    existing = CheckRun("prod-readiness", "in_progress", None, id=78, app="other-ci", external_id="prodgate:1:1:00")
    res = pub.publish_check_run(_client(standin), s.owner, s.repo, s.head_sha, "prod-readiness", "success", "t",
                                "s", [], existing)
    theirs, mine = standin.gate_runs()
    assert theirs["status"] == "in_progress" and theirs["annotations"] == []
    assert mine["id"] == res.check_run_id and mine["conclusion"] == "success" and res.created
    assert [(r.method, r.status) for r in standin.requests] == [("PATCH", 403), ("POST", 201)]


def test_advisory_unless_stable_on_base_or_head():
    from gate.modes.pr.evidence import mark_advisory

    class Base:
        def __init__(self, files: dict[str, str]) -> None:
            self.files = files

        def text(self, path: str) -> str | None:
            return self.files.get(path)

    def svc(name: str, status: str) -> ServiceReport:
        return ServiceReport(name, f"services/{name}", (), status)

    base = Base({"services/promoted/service.yaml": "status: beta\n", "services/demoted/service.yaml": "status: stable\n",
                 "services/beta/service.yaml": "status: beta\n"})
    r = mark_advisory(Report("pr", NOW, (), (svc("promoted", "stable"), svc("demoted", "beta"), svc("beta", "beta"),
                                              svc("new", "experimental"))), base)  # type: ignore[arg-type]
    assert [s.advisory.split(":")[0] for s in r.services] == ["", "", "service is beta", "service is experimental"]

    class Unreadable(Base):
        def text(self, path: str) -> str | None:
            raise GitHubError("GET", path, 502, "Bad Gateway")

    # the base status cannot be read: the service may be stable in prod, so it keeps blocking
    r = mark_advisory(Report("pr", NOW, (), (svc("beta", "beta"),)), Unreadable({}))  # type: ignore[arg-type]
    assert [s.advisory for s in r.services] == [""]
