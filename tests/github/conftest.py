"""A local stand-in for api.github.com, shared by the GitHub tests.

- :class:`StandIn` answers like api.github.com from scenario data (pull request, files, reviews,
  check runs, statuses, deployments, teams, contents) and keeps the check runs the gate writes
  (annotations appended per PATCH, as GitHub does; more than 50 in one request → 422).
- Every request is validated against GitHub's official OpenAPI description (npm
  ``@octokit/openapi``): method + path template, query parameters, JSON body. The description is
  loaded once per session. ``standin.problems`` lists every violation; the fixture fails the test
  when any remains.
- Faults are scripted with :meth:`StandIn.fail` (status, headers, how many times).
- :func:`run_gate` runs the real entrypoint as the runner does: a subprocess ``python -m gate``
  with ``INPUT_*`` variables (hyphens kept), ``GITHUB_EVENT_PATH``, ``GITHUB_API_URL`` pointing at
  the stand-in, ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` files.

Event payloads come from npm ``@octokit/webhooks-examples``. When the npm packages are absent
the tests are skipped, or fail when ``CI`` is set.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = Path(os.environ.get("PRODGATE_NODE_MODULES", ROOT / ".cache" / "node" / "node_modules"))
OPENAPI = NODE / "@octokit" / "openapi" / "generated" / "api.github.com.json"
EXAMPLES = NODE / "@octokit" / "webhooks-examples" / "api.github.com" / "index.json"
TOKEN = "ghs_standinTOKEN0123456789abcdefSECRET"
ORG_TOKEN = "ghp_standinORGTOKEN0123456789readORG"

HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
#: GITHUB_RUN_ID of the gate's runs and the check suite of that workflow run
RUN_ID = 987654321
OWN_SUITE = 9000
#: the app of GITHUB_TOKEN (check runs it creates; the only app it may PATCH runs of)
ACTIONS_APP = {"id": 15368, "slug": "github-actions", "name": "GitHub Actions"}
BASE = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"


def _need(path: Path) -> None:
    if path.is_file():
        return
    msg = f"{path} is missing: run `npm install --prefix .cache/node @octokit/openapi @octokit/webhooks-examples`"
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


# -- OpenAPI ----------------------------------------------------------------------------------
class OpenAPI:
    """GitHub's REST description: find the operation of a request, validate query and body."""

    def __init__(self, path: Path) -> None:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT7

        self.spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        self.registry = Registry().with_resource("urn:github", Resource.from_contents(self.spec, DRAFT7))
        self.routes: list[tuple[re.Pattern[str], str, int]] = []
        for template in self.spec["paths"]:
            rx = ""
            for part in re.split(r"(\{[^}]+\})", template):
                if part.startswith("{"):
                    rx += "(.+)" if part == "{path}" else "([^/]+)"
                else:
                    rx += re.escape(part)
            literal = len(re.sub(r"\{[^}]+\}", "", template))
            self.routes.append((re.compile(f"^{rx}$"), template, literal))
        self.routes.sort(key=lambda r: -r[2])

    def _deref(self, obj: Any) -> Any:
        while isinstance(obj, dict) and "$ref" in obj:
            ref = obj["$ref"]
            cur: Any = self.spec
            for part in ref.lstrip("#/").split("/"):
                cur = cur[part.replace("~1", "/").replace("~0", "~")]
            obj = cur
        return obj

    @staticmethod
    def _pointer(*parts: str) -> str:
        return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)

    def validate(self, method: str, path: str, query: list[tuple[str, str]], body: Any) -> list[str]:
        import jsonschema

        method = method.lower()
        template = None
        for rx, tpl, _ in self.routes:
            if rx.match(path) and method in self.spec["paths"][tpl]:
                template = tpl
                break
        if template is None:
            return [f"{method.upper()} {path}: no such operation in GitHub's OpenAPI description"]
        op = self.spec["paths"][template][method]
        problems: list[str] = []
        params = {}
        for p in op.get("parameters", []):
            p = self._deref(p)
            if p.get("in") == "query":
                params[p["name"]] = p
        for name, value in query:
            p = params.get(name)
            if p is None:
                problems.append(f"{method.upper()} {template}: unknown query parameter {name!r}")
                continue
            schema = p.get("schema", {})
            v: Any = value
            if schema.get("type") == "integer":
                try:
                    v = int(value)
                except ValueError:
                    problems.append(f"{method.upper()} {template}: {name}={value!r} is not an integer")
                    continue
            if schema.get("type") == "boolean":
                v = value == "true"
            try:
                jsonschema.validate(v, schema)
            except jsonschema.ValidationError as exc:
                problems.append(f"{method.upper()} {template}: query {name}: {exc.message}")
        rb = op.get("requestBody")
        if body is not None:
            if rb is None:
                problems.append(f"{method.upper()} {template}: sends a body the operation does not take")
            else:
                ptr = self._pointer("paths", template, method, "requestBody", "content", "application/json", "schema")
                schema = {"$ref": f"urn:github#/{ptr}"}
                validator = jsonschema.Draft7Validator(schema, registry=self.registry)
                for err in validator.iter_errors(body):
                    where = "/".join(map(str, err.absolute_path))
                    problems.append(f"{method.upper()} {template}: body {where}: {err.message[:300]}")
        elif rb is not None and rb.get("required"):
            problems.append(f"{method.upper()} {template}: the operation requires a body")
        return problems

    def operation(self, method: str, path: str) -> str:
        for rx, tpl, _ in self.routes:
            if rx.match(path) and method.lower() in self.spec["paths"][tpl]:
                return f"{method.upper()} {tpl}"
        return f"{method.upper()} {path}"


@pytest.fixture(scope="session")
def openapi() -> OpenAPI:
    _need(OPENAPI)
    return OpenAPI(OPENAPI)


@pytest.fixture(scope="session")
def webhook_examples() -> dict[str, list[dict[str, Any]]]:
    _need(EXAMPLES)
    data = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    return {e["name"]: e["examples"] for e in data}


def event_payload(examples: dict[str, list[dict[str, Any]]], name: str, action: str | None = None) -> dict[str, Any]:
    for ex in examples[name]:
        if action is None or ex.get("action") == action:
            return copy.deepcopy(ex)
    raise KeyError(f"{name}.{action}")


# -- the stand-in -----------------------------------------------------------------------------
@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    times: int
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "Server Error"
    #: apply the request anyway before answering with the fault (a lost answer)
    apply: bool = False


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]
    body: Any
    status: int
    auth: str

    @property
    def line(self) -> str:
        return f"{self.method} {self.path}"


def iso(t: str) -> str:
    return t


@dataclass
class Scenario:
    owner: str = "Codertocat"
    repo: str = "Hello-World"
    number: int = 2
    head_sha: str = HEAD
    base_sha: str = BASE
    author: str = "Codertocat"
    title: str = "Update the README with new information."
    labels: list[str] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    check_runs: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    #: environment → deployments (newest first), each with "statuses"
    deployments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    teams: dict[str, list[str] | None] = field(default_factory=dict)
    #: ref → path → text
    contents: dict[str, dict[str, str]] = field(default_factory=dict)
    #: commit sha → associated pull request numbers
    commit_pulls: dict[str, list[int]] = field(default_factory=dict)
    #: POST check-runs answers 403 "Resource not accessible by integration" (a fork's token)
    read_only: bool = False
    changed_files: int | None = None
    #: the open pull requests (``GET /pulls``): each {"number", "head_sha", "base_sha", "labels"};
    #: empty → the scenario's own pull request
    open_pulls: list[dict[str, Any]] = field(default_factory=list)
    #: Actions workflow runs by id: {"status", "conclusion", "head_sha", "run_attempt", "rerunnable",
    #: "workflow_id", "check_suite_id"}; the run executing the gate (GITHUB_RUN_ID 987654321, its
    #: workflow 77, suite 9000, on the scenario's head) is added when absent
    workflow_runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: ids of the workflow runs re-run (``POST /actions/runs/{id}/rerun``), in order
    reruns: list[int] = field(default_factory=list)
    #: login → repository permission (admin, maintain, write, triage, read); absent → 404
    permissions: dict[str, str] = field(default_factory=dict)
    #: pull request number → fields overriding the PR's answer (state, merged_at, base ref...)
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)
    default_branch: str = "main"


class StandIn:
    def __init__(self, api: OpenAPI, scenario: Scenario) -> None:
        self.api = api
        self.s = scenario
        self.requests: list[Request] = []
        self.problems: list[str] = []
        self.faults: list[Fault] = []
        self.next_id = 4000
        self._link = ""
        self.lock = threading.Lock()
        for c in self.s.check_runs:
            c.setdefault("annotations", [])
        self.s.workflow_runs.setdefault(RUN_ID, {"workflow_id": 77, "check_suite_id": OWN_SUITE,
                                                 "head_sha": self.s.head_sha, "status": "in_progress",
                                                 "conclusion": None})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, method: str, path_regex: str, status: int, times: int = 1, headers: dict[str, str] | None = None,
             message: str = "Server Error", apply: bool = False) -> None:
        self.faults.append(Fault(method, re.compile(path_regex), status, times, headers or {}, message, apply))

    # views for assertions
    def sent(self, method: str | None = None, op: str | None = None) -> list[Request]:
        out = [r for r in self.requests if method is None or r.method == method]
        if op is not None:
            out = [r for r in out if self.api.operation(r.method, r.path) == op]
        return out

    def gate_runs(self, name: str = "prod-readiness") -> list[dict[str, Any]]:
        return [c for c in self.s.check_runs if c["name"] == name]

    # -- answers ------------------------------------------------------------------------------
    def _repo(self) -> dict[str, Any]:
        return {"id": 1296269, "name": self.s.repo, "full_name": f"{self.s.owner}/{self.s.repo}",
                "owner": {"login": self.s.owner, "id": 1}, "default_branch": self.s.default_branch}

    def _pull(self, number: int) -> dict[str, Any]:
        out = {
            "id": 1000 + number, "number": number, "state": "open", "title": self.s.title,
            "user": {"login": self.s.author, "id": 21031067},
            "labels": [{"id": i, "name": n} for i, n in enumerate(self.s.labels)],
            "head": {"sha": self.s.head_sha, "ref": "changes", "repo": self._repo()},
            "base": {"sha": self.s.base_sha, "ref": "main", "repo": self._repo()},
            "changed_files": self.s.changed_files if self.s.changed_files is not None else len(self.s.files),
            "merge_commit_sha": None, "merged_at": None,
        }
        extra = self.s.pulls.get(number, {})
        for k, v in extra.items():
            if k in ("head", "base"):
                out[k] = {**out[k], **v}
            else:
                out[k] = v
        return out

    def _open_pull(self, p: dict[str, Any]) -> dict[str, Any]:
        out = self._pull(int(p["number"]))
        out["head"] = {**out["head"], "sha": p["head_sha"]}
        out["base"] = {**out["base"], "sha": p.get("base_sha", self.s.base_sha)}
        out["labels"] = [{"id": i, "name": n} for i, n in enumerate(p.get("labels", []))]
        return out

    def _workflow_run(self, run_id: int, r: dict[str, Any]) -> dict[str, Any]:
        """A workflow run as GitHub describes it (the fields a client reads)."""
        return {"id": run_id, "name": "prod-readiness", "head_sha": r.get("head_sha", self.s.head_sha),
                "event": r.get("event", "pull_request"), "status": r.get("status", "completed"),
                "conclusion": r.get("conclusion", "success"), "run_attempt": r.get("run_attempt", 1),
                "html_url": f"https://github.com/{self.s.owner}/{self.s.repo}/actions/runs/{run_id}",
                "created_at": "2026-11-29T10:00:00Z", "updated_at": "2026-11-29T10:05:00Z",
                # each workflow run is one check suite; its jobs are the suite's check runs
                "workflow_id": r.get("workflow_id", 1), "check_suite_id": r.get("check_suite_id", 100_000 + run_id)}

    def _page(self, items: list[Any], q: dict[str, str]) -> list[Any]:
        """One page, and GitHub's Link header (rel="next" while more remain)."""
        per = min(int(q.get("per_page", 30)), 100)
        page = int(q.get("page", 1))
        last = max(1, -(-len(items) // per))
        links = []
        if page < last:
            links.append(f'<{self.url}/x?page={page + 1}>; rel="next"')
            links.append(f'<{self.url}/x?page={last}>; rel="last"')
        if page > 1:
            links.append(f'<{self.url}/x?page=1>; rel="first"')
        self._link = ", ".join(links)
        return items[(page - 1) * per : page * per]

    def _check_run_json(self, c: dict[str, Any]) -> dict[str, Any]:
        c.setdefault("annotations", [])
        out = {k: v for k, v in c.items() if k not in ("annotations", "requests")}
        out["output"] = {**(c.get("output") or {}), "annotations_count": len(c["annotations"])}
        out.setdefault("html_url", f"https://github.com/{self.s.owner}/{self.s.repo}/runs/{c['id']}")
        out.setdefault("app", ACTIONS_APP)
        out.setdefault("check_suite", {"id": 1})
        return out

    @staticmethod
    def _latest(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``filter=latest``: the most recent run of each name *within each check suite*; a re-run
        in another suite leaves both listed.
        Models docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference: "filter:
        Filters check runs by their completed_at timestamp. latest returns the most recent check
        runs." (GitHub applies it per check suite: github-facts.md, Check runs)."""
        best: dict[tuple[Any, str], dict[str, Any]] = {}
        for c in runs:
            key = ((c.get("check_suite") or {}).get("id", 1), c["name"])
            if key not in best or c["id"] > best[key]["id"]:
                best[key] = c
        return [c for c in runs if best[((c.get("check_suite") or {}).get("id", 1), c["name"])] is c]

    def answer(self, method: str, path: str, q: dict[str, str], body: Any) -> tuple[int, Any]:
        s = self.s
        base = f"/repos/{s.owner}/{s.repo}"
        m = re.fullmatch(base + r"/pulls/(\d+)", path)
        if method == "GET" and m:
            return 200, self._pull(int(m.group(1)))
        if method == "GET" and path == base + "/pulls":
            pulls = [self._open_pull(p) for p in s.open_pulls] if s.open_pulls else [self._pull(s.number)]
            if q.get("state", "open") != "open":
                pulls = []
            return 200, self._page(pulls, q)
        m = re.fullmatch(base + r"/actions/runs/(\d+)", path)
        if method == "GET" and m:
            wr = s.workflow_runs.get(int(m.group(1)))
            if wr is None:
                return 404, {"message": "Not Found"}
            return 200, self._workflow_run(int(m.group(1)), wr)
        m = re.fullmatch(base + r"/actions/runs/(\d+)/rerun", path)
        if method == "POST" and m:
            run_id = int(m.group(1))
            wr = s.workflow_runs.get(run_id)
            if wr is None:
                return 404, {"message": "Not Found"}
            if wr.get("status", "completed") != "completed":
                return 403, {"message": "This workflow is already running"}
            if wr.get("rerunnable") is False:
                return 403, {"message": "Unable to re-run this workflow run because it was created over a month ago"}
            wr.update(status="queued", conclusion=None, run_attempt=int(wr.get("run_attempt", 1)) + 1)
            s.reruns.append(run_id)
            return 201, {}
        m = re.fullmatch(base + r"/pulls/(\d+)/files", path)
        if method == "GET" and m:
            return 200, self._page(s.files[:3000], q)
        m = re.fullmatch(base + r"/pulls/(\d+)/reviews", path)
        if method == "GET" and m:
            # every review carries author_association; commit_id may be null: "If the commit object
            # was garbage collected or forcibly deleted, then it no longer exists in Git and this
            # value will be null." (docs.github.com/rest/pulls/reviews, pull-request-review.commit_id)
            reviews = [{"author_association": "MEMBER", **r} for r in s.reviews]
            return 200, self._page(reviews, q)
        m = re.fullmatch(base + r"/collaborators/([^/]+)/permission", path)
        if method == "GET" and m:
            perm = s.permissions.get(unquote(m.group(1)))
            if perm is None:
                return 404, {"message": "Not Found"}
            legacy = {"maintain": "write", "triage": "read"}.get(perm, perm)
            return 200, {"permission": legacy, "role_name": perm, "user": {"login": unquote(m.group(1)), "id": 5}}
        m = re.fullmatch(base + r"/actions/workflows/(\d+)/runs", path)
        if method == "GET" and m:
            runs = [self._workflow_run(i, w) for i, w in s.workflow_runs.items()]
            runs = [w for w in runs if w["workflow_id"] == int(m.group(1))
                    and ("head_sha" not in q or w["head_sha"] == q["head_sha"])]
            return 200, {"total_count": len(runs), "workflow_runs": self._page(runs, q)}
        if method == "GET" and path == base:
            return 200, self._repo()
        m = re.fullmatch(base + r"/commits/([^/]+)/check-runs", path)
        if method == "GET" and m:
            runs = [c for c in s.check_runs if c.get("head_sha", s.head_sha) == m.group(1)]
            if q.get("filter", "latest") == "latest":
                runs = self._latest(runs)
            if "check_name" in q:
                runs = [c for c in runs if c["name"] == q["check_name"]]
            return 200, {"total_count": len(runs), "check_runs": [self._check_run_json(c) for c in self._page(runs, q)]}
        m = re.fullmatch(base + r"/commits/([^/]+)/status", path)
        if method == "GET" and m:
            sts = self._page(s.statuses, q)
            state = "pending" if not s.statuses else ("success" if all(x["state"] == "success" for x in s.statuses) else "failure")
            return 200, {"state": state, "sha": m.group(1), "total_count": len(s.statuses), "statuses": sts}
        m = re.fullmatch(base + r"/commits/([^/]+)/pulls", path)
        if method == "GET" and m:
            out = []
            for n in s.commit_pulls.get(m.group(1), []):
                merged = {"state": "closed", "merge_commit_sha": m.group(1), "merged_at": "2026-11-28T10:00:00Z"}
                pr = self._pull(n)
                out.append({**pr, **{k: v for k, v in merged.items() if k not in s.pulls.get(n, {})}})
            return 200, out
        if method == "GET" and path == base + "/deployments":
            deps = s.deployments.get(q.get("environment", ""), [])
            if "sha" in q:
                deps = [d for d in deps if d["sha"] == q["sha"]]
            return 200, [{k: v for k, v in d.items() if k != "statuses"} for d in self._page(deps, q)]
        m = re.fullmatch(base + r"/deployments/(\d+)/statuses", path)
        if method == "GET" and m:
            for deps in s.deployments.values():
                for d in deps:
                    if d["id"] == int(m.group(1)):
                        return 200, self._page(d.get("statuses", []), q)
            return 404, {"message": "Not Found"}
        m = re.fullmatch(r"/orgs/([^/]+)/teams/([^/]+)/members", path)
        if method == "GET" and m:
            members = s.teams.get(f"{m.group(1)}/{m.group(2)}")
            if members is None:
                return 403, {"message": "Resource not accessible by integration"}
            return 200, self._page([{"login": x, "id": i} for i, x in enumerate(members)], q)
        m = re.fullmatch(base + r"/contents/(.+)", path)
        if method == "GET" and m:
            import base64

            tree = s.contents.get(q.get("ref", ""), {})
            text = tree.get(unquote(m.group(1)))
            if text is None:
                folder = unquote(m.group(1)).rstrip("/") + "/"
                names = sorted({(k[len(folder):].split("/", 1)[0], "/" in k[len(folder):])
                                for k in tree if k.startswith(folder)})
                if names:  # a directory: its entries, as the contents API lists them
                    return 200, [{"type": "dir" if sub else "file", "name": n, "path": folder + n,
                                  "sha": "0" * 40} for n, sub in names]
                return 404, {"message": "Not Found"}
            return 200, {"type": "file", "encoding": "base64", "path": m.group(1),
                         "content": base64.b64encode(text.encode()).decode()}
        if method == "POST" and path == base + "/check-runs":
            if s.read_only:
                return 403, {"message": "Resource not accessible by integration",
                             "documentation_url": "https://docs.github.com/rest/checks/runs#create-a-check-run"}
            anns = (body.get("output") or {}).get("annotations") or []
            if len(anns) > 50:
                return 422, {"message": f"No more than 50 items are allowed; {len(anns)} were supplied"}
            self.next_id += 1
            run = {"id": self.next_id, "name": body["name"], "head_sha": body["head_sha"],
                   "status": body.get("status", "queued"), "conclusion": body.get("conclusion"),
                   "output": {k: v for k, v in (body.get("output") or {}).items() if k != "annotations"},
                   "annotations": list(anns), "requests": 1, "external_id": body.get("external_id"),
                   # a run created with GITHUB_TOKEN joins a suite of the sha, not selectable
                   "check_suite": {"id": OWN_SUITE}, "app": ACTIONS_APP,
                   **{k: body[k] for k in ("details_url", "started_at", "completed_at") if k in body}}
            if run["conclusion"]:
                run["status"] = "completed"
            s.check_runs.append(run)
            return 201, self._check_run_json(run)
        m = re.fullmatch(base + r"/check-runs/(\d+)", path)
        if m:
            run = next((c for c in s.check_runs if c["id"] == int(m.group(1))), None)
            if run is None:
                return 404, {"message": "Not Found"}
            if method == "GET":
                return 200, self._check_run_json(run)
            if method == "PATCH":
                # another app's run: GitHub answers 403 "Invalid app_id `15368` - check run can only
                # be modified by the GitHub App that created it." (as reported in
                # int128/argocd-commenter#631 and databricks/cli#4563)
                if (run.get("app") or ACTIONS_APP).get("slug") != ACTIONS_APP["slug"]:
                    return 403, {"message": f"Invalid app_id `{ACTIONS_APP['id']}` - check run can only be modified "
                                            "by the GitHub App that created it.",
                                 "documentation_url": "https://docs.github.com/rest/checks/runs#update-a-check-run"}
                anns = (body.get("output") or {}).get("annotations") or []
                if len(anns) > 50:
                    return 422, {"message": f"No more than 50 items are allowed; {len(anns)} were supplied"}
                # "Each time you update the check run, annotations are appended to the list of
                # annotations that already exist for the check run." (docs.github.com/rest/checks/
                # runs#update-a-check-run, output.annotations); none is ever removed
                run["annotations"].extend(anns)
                run["requests"] = run.get("requests", 0) + 1
                for k in ("status", "conclusion", "details_url"):
                    if k in body:
                        run[k] = body[k]
                if body.get("conclusion"):
                    run["status"] = "completed"
                if body.get("status") == "in_progress":
                    run["conclusion"] = None
                if "output" in body:
                    run["output"] = {k: v for k, v in body["output"].items() if k != "annotations"}
                return 200, self._check_run_json(run)
        m = re.fullmatch(base + r"/check-runs/(\d+)/annotations", path)
        if method == "GET" and m:
            run = next((c for c in s.check_runs if c["id"] == int(m.group(1))), None)
            return 200, self._page((run or {}).get("annotations", []), q)
        return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                path = parts.path
                query = parse_qsl(parts.query, keep_blank_values=True)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                auth = self.headers.get("Authorization", "")
                with standin.lock:
                    problems = standin.api.validate(self.command, path, query, body)
                    if TOKEN not in auth and ORG_TOKEN not in auth:
                        problems.append(f"{self.command} {path}: no token in the Authorization header")
                    standin.problems.extend(problems)
                    fault = None
                    for f in standin.faults:
                        if f.times > 0 and f.method == self.command and f.pattern.search(path):
                            f.times -= 1
                            fault = f
                            break
                    if fault is not None and not fault.apply:
                        status, data, headers = fault.status, {"message": fault.message}, fault.headers
                    else:
                        standin._link = ""
                        status, data = standin.answer(self.command, path, dict(query), body)
                        headers = {"Link": standin._link} if standin._link else {}
                        if fault is not None:
                            status, data, headers = fault.status, {"message": fault.message}, fault.headers
                    standin.requests.append(Request(self.command, path, query, body, status, auth))
                out = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(out)))
                self.send_header("X-RateLimit-Remaining", "999")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        return Handler


@pytest.fixture
def standin_factory(openapi: OpenAPI) -> Iterator[Callable[[Scenario], StandIn]]:
    """Start stand-ins for scenarios; each must end with no OpenAPI violation."""
    made: list[StandIn] = []

    def make(scenario: Scenario) -> StandIn:
        s = StandIn(openapi, scenario)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()
    problems = [p for s in made for p in s.problems]
    assert not problems, "requests that GitHub's OpenAPI description refuses:\n" + "\n".join(problems)


# -- the platform repository ------------------------------------------------------------------
def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_AUTHOR_DATE": "2026-11-27T10:00:00Z", "GIT_COMMITTER_DATE": "2026-11-27T10:00:00Z"}
    r = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True)
    return r.stdout.strip()


def write(root: Path, files: dict[str, str]) -> None:
    import textwrap

    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


SERVICE_YAML = """
name: {name}
description: Card and ACH payments for all brands.
owner: team-payments
status: {status}
tier: 1
brand_scope: [loop]
phi: false
on_call:
  primary: alice
  secondary: bob
  pagerduty_schedule: P1A2B3C
dashboards:
  - https://grafana.platform.loop.health/d/{name}
contracts:
  openapi: openapi.yaml
"""


def platform_repo(root: Path, services: dict[str, str], base_files: dict[str, str] | None = None,
                  head_files: dict[str, str] | None = None) -> tuple[str, str]:
    """A git repository: a base commit with ``services`` (name → status) and ``base_files``,
    then a head commit adding ``head_files``. Returns (base sha, head sha)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    files = {f"services/{n}/service.yaml": SERVICE_YAML.format(name=n, status=st) for n, st in services.items()}
    files.update({f"services/{n}/README.md": f"# {n}\n" for n in services})
    write(root, {**files, **(base_files or {})})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    write(root, head_files or {"services/payments/src/index.ts": "export const x = 1;\n"})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "head")
    head = git(root, "rev-parse", "HEAD")
    return base, head


# -- running the entrypoint as the runner does ------------------------------------------------
@dataclass
class GateRun:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str
    report: dict[str, Any] | None


def parse_outputs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.fullmatch(r"([\w-]+)<<(ghadelimiter_[0-9a-f]+)", lines[i])
        if m:
            name, delim = m.groups()
            j = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1 : j])
            i = j + 1
        else:
            i += 1
    return out


def run_gate(workspace: Path, standin: StandIn, event: dict[str, Any], *, event_name: str = "pull_request",
             argv: list[str] | None = None, inputs: dict[str, str] | None = None, now: str = "2026-11-29T12:00:00Z",
             extra_env: dict[str, str] | None = None, tmp: Path | None = None) -> GateRun:
    tmp = tmp or workspace.parent
    event_path = tmp / "event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    out_file = tmp / "github_output"
    summary = tmp / "step_summary"
    out_file.write_text("", encoding="utf-8")
    summary.write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    ins = {"github-token": TOKEN, "mode": "pr", "service": "", "stage": "", "config": "", "strict": "false",
           "sarif-file": "", "org-token": "", **(inputs or {})}
    for k, v in ins.items():
        env["INPUT_" + k.replace(" ", "_").upper()] = v
    env.update({
        "GITHUB_ACTIONS": "true", "CI": env.get("CI", "true"),
        "GITHUB_EVENT_NAME": event_name, "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_WORKSPACE": str(workspace), "GITHUB_API_URL": standin.url,
        "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": f"{standin.s.owner}/{standin.s.repo}",
        "GITHUB_SHA": "0" * 40, "GITHUB_RUN_ID": "987654321",
        "GITHUB_OUTPUT": str(out_file), "GITHUB_STEP_SUMMARY": str(summary),
        "PRODGATE_RETRY_BASE": "0.05", "PRODGATE_WRITE_INTERVAL": "0",
        "PYTHONPATH": str(ROOT),
    })
    env.update(extra_env or {})
    cmd = [sys.executable, "-m", "gate", *(argv if argv is not None else ["pr", "--now", now])]
    r = subprocess.run(cmd, cwd=workspace, env=env, capture_output=True, text=True, timeout=300, check=False)
    outputs = parse_outputs(out_file.read_text(encoding="utf-8"))
    report = None
    if outputs.get("report"):
        p = workspace / outputs["report"]
        if p.is_file():
            report = json.loads(p.read_text(encoding="utf-8"))
    return GateRun(r.returncode, r.stdout, r.stderr, outputs, summary.read_text(encoding="utf-8"), report)


def pr_event(examples: dict[str, list[dict[str, Any]]], scenario: Scenario, action: str = "opened",
             fork: bool = False) -> dict[str, Any]:
    """A ``pull_request`` payload from GitHub's examples, pointed at the scenario's shas."""
    ev = event_payload(examples, "pull_request", action)
    pr = ev["pull_request"]
    pr["number"] = ev["number"] = scenario.number
    pr["head"]["sha"] = scenario.head_sha
    pr["base"]["sha"] = scenario.base_sha
    pr["base"]["ref"] = "main"
    pr["user"]["login"] = scenario.author
    pr["labels"] = [{"name": n} for n in scenario.labels]
    if fork:
        pr["head"]["repo"] = {**pr["head"]["repo"], "full_name": "a-fork/Hello-World"}
    return ev
