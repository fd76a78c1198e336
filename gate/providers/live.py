"""The live layer: one :class:`Live` per run holds the configured providers, a thread pool and
the memo of every query; :class:`ServiceLive` (``gate.providers.live(ctx)``) is what a check
calls, one tiny function per item, each returning a :class:`LiveVerdict`.

Everything a query needs from the repository (hostnames, secret names, the schedule id, the
package version, where a finding points) is read on the calling thread, through the parsed-source
cache; only the network calls run in the pool. :meth:`Live.prefetch` submits every query of the
services being judged before the checks run, so the checks mostly read finished results.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gate.model import Finding, Level
from gate.providers import aws as awsp
from gate.providers import config as pc
from gate.providers import dns as dnsp
from gate.providers import github_packages as ghp
from gate.providers import http as httpp
from gate.providers import pagerduty as pdp
from gate.providers.base import ProviderError, Settings, plain_http_allowed

if TYPE_CHECKING:
    from gate.context import Ctx, RunInfo
    from gate.services import Service

STAGES = ("dev", "staging", "prod")
ZONE = "platform.loop.health"
DEFAULT_DNS = "{service}.{stage}." + ZONE
DEFAULT_ALARMS = {"error_rate": "{service}-{stage}-error-rate", "latency_p99": "{service}-{stage}-latency-p99",
                  "dlq_depth": "{service}-{stage}-dlq-depth"}
DEFAULT_ALARM_PREFIX = "{service}-{stage}-"
#: SST v2's Config.Secret parameter path (SST v3 keeps secrets in its state bucket: see docs/providers.md)
DEFAULT_SECRET_PARAMETER = "/sst/{app}/{stage}/Secret/{name}/value"
LABEL = {"http": "HTTP", "dns": "DNS", "aws": "AWS", "pagerduty": "PagerDuty", "github_packages": "GitHub Packages"}


@dataclass(frozen=True)
class LiveVerdict:
    """What a provider says about an item's live half.

    ``proven``: True the live evidence proves it, False it disproves it (``findings`` say where
    and why), None no verdict (``message`` says why: offline, not configured, unreachable)."""

    proven: bool | None
    message: str
    findings: tuple[Finding, ...] = ()
    provider: str = ""
    #: False when no provider is configured for it (or ``--offline``): nothing was asked
    asked: bool = True


def _none(provider: str, why: str) -> LiveVerdict:
    return LiveVerdict(None, why, (), provider, asked=False)


def _fill(template: str, **values: str) -> str:
    out = template
    for k, v in values.items():
        out = out.replace("{" + k + "}", v)
    return out


def sst_app_name(root: Path | None) -> str | None:
    """The SST app's name from ``sst.config.ts`` (``app() { return { name: "..." } }``)."""
    if root is None:
        return None
    try:
        text = (root / "sst.config.ts").read_text("utf-8", "replace")[:200_000]
    except OSError:
        return None
    m = re.search(r"\bname\s*:\s*[\"'`]([A-Za-z0-9_-]+)[\"'`]", text)
    return m.group(1) if m else None


class Live:
    """The providers of one run."""

    def __init__(self, config_data: Mapping[str, Any], offline: bool = False, root: Path | None = None,
                 environ: Mapping[str, str] | None = None, workers: int = 8) -> None:
        self.data = config_data
        self.offline = offline
        self.root = root
        self.environ = environ if environ is not None else os.environ
        self._pool: ThreadPoolExecutor | None = None
        self._workers = workers
        self._memo: dict[tuple[Any, ...], Future[LiveVerdict]] = {}
        self._lock = threading.Lock()

    # -- plumbing ---------------------------------------------------------------------------
    def section(self, name: str) -> dict[str, Any] | None:
        return pc.section(self.data, name)

    def settings(self, name: str) -> Settings:
        return pc.settings(self.data, self.section(name) or {})

    def unavailable(self, name: str) -> LiveVerdict | None:
        """Why provider ``name`` will not be asked (offline, not configured), or None."""
        label = LABEL[name]
        if self.offline:
            return _none(label, f"--offline: {label} was not asked")
        if self.section(name) is None:
            return _none(label, f"no {label} provider configured (providers.{name} in .github/prod-readiness.yml)")
        return None

    def ca_bundle(self, sec: Mapping[str, Any]) -> str | None:
        ca = sec.get("ca_bundle")
        if not isinstance(ca, str) or not ca:
            return None
        p = Path(ca)
        if not p.is_absolute() and self.root is not None:
            p = self.root / p
        return str(p)

    def token(self, name: str, sec: Mapping[str, Any], default_env: str, fallbacks: tuple[str, ...] = ()
              ) -> tuple[str | None, str]:
        env = str(sec.get("token_env") or default_env)
        value = self.environ.get(env)
        if value:
            return value, env
        for fb in fallbacks:
            if self.environ.get(fb):
                return self.environ[fb], fb
        return None, env

    def submit(self, key: tuple[Any, ...], provider: str, fn: Callable[[], LiveVerdict]) -> Future[LiveVerdict]:
        with self._lock:
            fut = self._memo.get(key)
            if fut is not None:
                return fut
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="prodgate-live")

            def safe() -> LiveVerdict:
                try:
                    return fn()
                except ProviderError as exc:
                    return LiveVerdict(None, exc.message, (), provider)
                except Exception as exc:  # a provider bug must not become a traceback or a pass
                    return LiveVerdict(None, f"{provider} query failed unexpectedly ({type(exc).__name__})", (),
                                       provider)

            fut = self._pool.submit(safe)
            self._memo[key] = fut
            return fut

    def get(self, key: tuple[Any, ...], provider: str, fn: Callable[[], LiveVerdict]) -> LiveVerdict:
        return self.submit(key, provider, fn).result()

    def notes(self) -> list[str]:
        """One line per provider that was asked and gave no answer in this run (for the report)."""
        seen: dict[str, list[str]] = {}
        for fut in list(self._memo.values()):
            if not fut.done():
                continue
            v = fut.result()
            if v.proven is None and v.asked:
                msgs = seen.setdefault(v.provider, [])
                if v.message not in msgs:
                    msgs.append(v.message)
        return [f"Live provider {p} gave no answer: {'; '.join(m[:3])}{' …' if len(m) > 3 else ''}"
                for p, m in sorted(seen.items())]

    @property
    def queries(self) -> int:
        return len(self._memo)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    # -- prefetch ---------------------------------------------------------------------------
    def prefetch(self, run: RunInfo, services: Iterable[Service]) -> None:
        """Submit every live query of ``services`` (the ones being judged) now, concurrently."""
        if self.offline or not any(self.section(n) is not None for n in LABEL):
            return
        from gate.context import Ctx

        for svc in services:
            sl = ServiceLive(self, Ctx(run, svc))
            for fn in (sl.prefetch_healthz, sl.prefetch_dns, sl.prefetch_alarms, sl.prefetch_history,
                       sl.prefetch_secrets, sl.prefetch_pagerduty, sl.prefetch_package):
                try:
                    fn()
                except Exception:  # a repository problem: the check reports it, the query waits
                    continue


class ServiceLive:
    """The live halves of one service's items (``gate.providers.live(ctx)``)."""

    def __init__(self, live: Live, ctx: Ctx) -> None:
        self.live = live
        self.ctx = ctx
        self.name = ctx.service.name

    # -- repository inputs (main thread) ----------------------------------------------------
    def _infra(self) -> Any:
        from gate.sources import infra

        try:
            return infra.model(self.ctx.ws, self.ctx.config, self.ctx.service.dir)
        except Exception:
            return None

    def hosts(self) -> dict[str, tuple[str, str | None, int | None]]:
        """stage → (hostname, infra.ts path, line): from infra.ts where it names a hostname, else
        from ``providers.dns.names``."""
        sec = self.live.section("dns") or {}
        stages = [str(s) for s in sec.get("stages") or STAGES]
        template = str(sec.get("names") or DEFAULT_DNS)
        infra = self._infra()
        out: dict[str, tuple[str, str | None, int | None]] = {}
        for st in stages:
            host = _fill(template, service=self.name, stage=st)
            path: str | None = None
            line: int | None = None
            if infra is not None and infra.file is not None and infra.service is not None:
                try:
                    p = infra.prop(st, "loadBalancer", "domain", "name")
                    if isinstance(p.value, str) and p.value:
                        host = p.value
                    else:
                        d = infra.prop(st, "loadBalancer", "domain")
                        if isinstance(d.value, str) and d.value:
                            host, p = d.value, d
                    path, line = infra.path, p.line
                except Exception:
                    pass
            out[st] = (host.strip().rstrip("."), path, line)
        return out

    # -- HTTP: deployment.dev-healthz -------------------------------------------------------
    def _healthz_query(self) -> tuple[tuple[Any, ...], Callable[[], LiveVerdict]] | None:
        sec = self.live.section("http")
        if sec is None or self.live.offline:
            return None
        stage = str(sec.get("stage") or "dev")
        url = _fill(str(sec.get("url") or httpp.DEFAULT_URL), service=self.name, stage=stage)
        settings = self.live.settings("http")
        ca = self.live.ca_bundle(sec)

        def run() -> LiveVerdict:
            h = httpp.healthz(url, settings, ca)
            if h.status == 200:
                return LiveVerdict(True, f"GET {url} answered 200 in {h.elapsed:.2f} s", (), "HTTP")
            return LiveVerdict(False, h.message, (Finding(f"{h.message} (must be 200): the {stage} deployment is "
                                                          "not healthy; see RUNBOOK.md", None),), "HTTP")

        return ("http", url), run

    def prefetch_healthz(self) -> None:
        q = self._healthz_query()
        if q is not None:
            self.live.submit(q[0], "HTTP", q[1])

    def healthz(self) -> LiveVerdict:
        none = self.live.unavailable("http")
        if none is not None:
            return none
        q = self._healthz_query()
        assert q is not None
        return self.live.get(q[0], "HTTP", q[1])

    # -- DNS: deployment.dns ----------------------------------------------------------------
    def _dns_queries(self) -> list[tuple[str, str, str | None, int | None, tuple[Any, ...], Callable[[], LiveVerdict]]]:
        sec = self.live.section("dns")
        if sec is None or self.live.offline:
            return []
        settings = self.live.settings("dns")
        servers = [str(s) for s in sec.get("nameservers") or []]
        port = int(sec.get("port") or 53)
        out: list[tuple[str, str, str | None, int | None, tuple[Any, ...], Callable[[], LiveVerdict]]] = []
        for stage, (host, path, line) in self.hosts().items():
            def run(host: str = host, stage: str = stage, path: str | None = path, line: int | None = line
                    ) -> LiveVerdict:
                r = dnsp.resolve(host, settings, servers, port)
                if r.problem is None:
                    return LiveVerdict(True, f"{host} → {', '.join(r.addresses)}", (), "DNS")
                return LiveVerdict(False, r.problem, (Finding(f"{stage}: {r.problem}: create the record "
                                                              "(deploy the stage with dns: sst.cloudflare.dns())",
                                                              path, line, line),), "DNS")

            out.append((stage, host, path, line, ("dns", host, tuple(servers), port), run))
        return out

    def prefetch_dns(self) -> None:
        for *_, key, fn in self._dns_queries():
            self.live.submit(key, "DNS", fn)

    def dns(self) -> LiveVerdict:
        none = self.live.unavailable("dns")
        if none is not None:
            return none
        futures = [self.live.submit(key, "DNS", fn) for *_, key, fn in self._dns_queries()]  # concurrently
        return _all("DNS", [f.result() for f in futures])

    # -- AWS --------------------------------------------------------------------------------
    def _aws(self) -> awsp.AwsConfig:
        sec = self.live.section("aws") or {}
        return awsp.AwsConfig(region=sec.get("region"), endpoint_url=sec.get("endpoint_url"),
                              profile=sec.get("profile"), ca_bundle=self.live.ca_bundle(sec))

    def _alarm_names(self) -> dict[str, dict[str, str]]:
        sec = self.live.section("aws") or {}
        cw = sec.get("cloudwatch") or {}
        stages = [str(s) for s in cw.get("alarm_stages") or STAGES]
        templates = dict(DEFAULT_ALARMS, **(cw.get("alarms") or {}))
        return {st: {kind: _fill(str(t), service=self.name, stage=st) for kind, t in templates.items()}
                for st in stages}

    def _alarms_query(self) -> tuple[tuple[Any, ...], Callable[[], LiveVerdict]] | None:
        if self.live.section("aws") is None or self.live.offline:
            return None
        cfg = self._aws()
        settings = self.live.settings("aws")
        names = self._alarm_names()
        path, line = self._alarms_anchor()
        flat = tuple(sorted(n for per in names.values() for n in per.values()))

        def run() -> LiveVerdict:
            if cfg.endpoint_url:
                plain_http_allowed("CloudWatch", cfg.endpoint_url)
            found = awsp.describe_alarms(cfg, settings, flat)
            findings: list[Finding] = []
            for stage, per in names.items():
                for kind, name in per.items():
                    a = found.get(name)
                    if a is None:
                        findings.append(Finding(f"{stage}: CloudWatch alarm {name} does not exist"
                                                f"{f' in {cfg.region}' if cfg.region else ''}: deploy the "
                                                f"alarms(...) of infra.ts to {stage}", path, line, line))
                        continue
                    problem = alarm_problem(kind, a)
                    if problem:
                        findings.append(Finding(f"{stage}: CloudWatch alarm {name} {problem}", path, line, line))
            if findings:
                return LiveVerdict(False, f"{len(findings)} CloudWatch alarm problem(s)", tuple(findings), "CloudWatch")
            return LiveVerdict(True, f"{len(flat)} CloudWatch alarms exist with the thresholds "
                                     f"({', '.join(names)})", (), "CloudWatch")

        return ("alarms", cfg, flat), run

    def _alarms_anchor(self) -> tuple[str | None, int | None]:
        infra = self._infra()
        if infra is None or infra.file is None:
            return None, None
        from gate.sources import typescript as ts

        if infra.alarm_calls:
            return infra.path, ts.line_of(infra.alarm_calls[0])
        return infra.path, infra.service_line

    def prefetch_alarms(self) -> None:
        q = self._alarms_query()
        if q is not None:
            self.live.submit(q[0], "CloudWatch", q[1])

    def alarms(self) -> LiveVerdict:
        none = self.live.unavailable("aws")
        if none is not None:
            return _renamed(none, "CloudWatch")
        q = self._alarms_query()
        assert q is not None
        return self.live.get(q[0], "CloudWatch", q[1])

    def _history_query(self, stage: str, since: dt.datetime) -> tuple[tuple[Any, ...], Callable[[], LiveVerdict]]:
        sec = self.live.section("aws") or {}
        cw = sec.get("cloudwatch") or {}
        prefix = _fill(str(cw.get("history_prefix") or DEFAULT_ALARM_PREFIX), service=self.name, stage=stage)
        cfg = self._aws()
        settings = self.live.settings("aws")
        end = self.ctx.now
        start = since.astimezone(dt.UTC)

        def run() -> LiveVerdict:
            if cfg.endpoint_url:
                plain_http_allowed("CloudWatch", cfg.endpoint_url)
            alarms = awsp.describe_alarms(cfg, settings, (), prefix=prefix)
            if not alarms:
                return LiveVerdict(False, f"no CloudWatch alarm named {prefix}*", (Finding(
                    f"{stage}: no CloudWatch alarm named {prefix}* exists: nothing watched the service since "
                    f"{_stamp(start)}; deploy the alarms(...) of infra.ts"),), "CloudWatch")
            findings: list[Finding] = []
            for name in sorted(alarms):
                fired = [t for t in awsp.alarm_history(cfg, settings, name, start, end)
                         if t.new == "ALARM" and t.at >= start]
                if fired:
                    first = min(fired, key=lambda t: t.at)
                    more = f" ({len(fired)} times)" if len(fired) > 1 else ""
                    findings.append(Finding(f"{stage}: CloudWatch alarm {name} entered ALARM at {_stamp(first.at)}"
                                            f"{more}, after the deployment went live at {_stamp(start)}"))
                elif alarms[name].state == "ALARM":
                    findings.append(Finding(f"{stage}: CloudWatch alarm {name} is in ALARM now"))
            if findings:
                return LiveVerdict(False, f"{len(findings)} alarm(s) fired in {stage}", tuple(findings), "CloudWatch")
            return LiveVerdict(True, f"none of {len(alarms)} CloudWatch alarm(s) {prefix}* entered ALARM since "
                                     f"{_stamp(start)}", (), "CloudWatch")

        return ("history", cfg, prefix, start.isoformat(), end.isoformat()), run

    def prefetch_history(self) -> None:
        if self.live.section("aws") is None or self.live.offline:
            return
        from gate.checks.promotion import _github as g

        run = self.ctx.run
        ev = g.evidence(run)
        if ev is None:
            return
        sha = ev.sha or (run.pr.head_sha if run.pr else "")
        for stage in ("staging", "prod"):
            deps = g.deployments(ev, g.environment(run, self.name, stage)) or ()
            mine = [d for d in deps if sha and d.sha == sha and (d.state or "").lower() == "success"]
            if mine:
                key, fn = self._history_query(stage, g.since(mine[0]))
                self.live.submit(key, "CloudWatch", fn)

    def alarm_history(self, stage: str, since: dt.datetime) -> LiveVerdict:
        """No alarm of the service (``history_prefix``) entered ALARM in ``stage`` since ``since``."""
        none = self.live.unavailable("aws")
        if none is not None:
            return _renamed(none, "CloudWatch")
        key, fn = self._history_query(stage, since)
        return self.live.get(key, "CloudWatch", fn)

    def _secrets_query(self, names: Iterable[str]) -> tuple[tuple[Any, ...], Callable[[], LiveVerdict]] | None:
        sec = self.live.section("aws")
        if sec is None or self.live.offline:
            return None
        ssm = sec.get("ssm") or {}
        template = str(ssm.get("parameter") or DEFAULT_SECRET_PARAMETER)
        app = str(ssm.get("app") or sst_app_name(self.live.root) or "")
        stages = [str(s) for s in ssm.get("stages") or STAGES]
        wanted = tuple(sorted(set(names)))
        if "{app}" in template and not app:
            def no_app() -> LiveVerdict:
                raise ProviderError("SSM: the SST app name is unknown (no name in sst.config.ts): set "
                                    "providers.aws.ssm.app")
            return ("secrets-noapp", wanted), no_app
        infra = self._infra()
        anchors: dict[str, tuple[str | None, int | None]] = {}
        if infra is not None and infra.file is not None:
            from gate.sources import typescript as ts

            for n in wanted:
                node = infra.secrets.get(n)
                anchors[n] = (infra.path, ts.line_of(node) if node is not None else infra.service_line)
        params = {(n, st): _fill(template, app=app, stage=st, name=n) for n in wanted for st in stages}
        cfg = self._aws()
        settings = self.live.settings("aws")

        def run() -> LiveVerdict:
            if cfg.endpoint_url:
                plain_http_allowed("SSM", cfg.endpoint_url)
            exists = awsp.parameters_exist(cfg, settings, params.values())
            findings = []
            for (n, st), p in params.items():
                if not exists.get(p):
                    path, line = anchors.get(n, (None, None))
                    findings.append(Finding(f"secret {n} is not set in {st} (no SSM parameter {p}): run "
                                            f"`sst secret set {n} <value> --stage {st}`", path, line, line))
            if findings:
                return LiveVerdict(False, f"{len(findings)} secret value(s) missing", tuple(findings), "SSM")
            return LiveVerdict(True, f"{len(wanted)} secret(s) set in {', '.join(stages)} (SSM)", (), "SSM")

        return ("secrets", cfg, template, app, tuple(stages), wanted), run

    def prefetch_secrets(self) -> None:
        infra = self._infra()
        if infra is None or not infra.secrets:
            return
        # one query per secret: the items ask for subsets (the code's reads, the Sentry DSN)
        for n in infra.secrets:
            q1 = self._secrets_query([n])
            if q1 is not None:
                self.live.submit(q1[0], "SSM", q1[1])

    def secrets(self, names: Iterable[str]) -> LiveVerdict:
        """Every secret of ``names`` is set (an SSM parameter exists) in each stage."""
        none = self.live.unavailable("aws")
        if none is not None:
            return _renamed(none, "SSM")
        wanted = sorted(set(names))
        if not wanted:
            return LiveVerdict(True, "no secret to look up", (), "SSM")
        # one memoised query per secret (the prefetch made them), waited for together
        futures = []
        for n in wanted:
            q = self._secrets_query([n])
            assert q is not None
            futures.append(self.live.submit(q[0], "SSM", q[1]))
        return _all("SSM", [f.result() for f in futures])

    # -- PagerDuty: oncall.pagerduty-schedule -----------------------------------------------
    def _pagerduty_query(self) -> tuple[tuple[Any, ...], Callable[[], LiveVerdict]] | None:
        sec = self.live.section("pagerduty")
        if sec is None or self.live.offline:
            return None
        sched = self.ctx.spec_str("on_call", "pagerduty_schedule")
        if not sched:
            return None
        sched = sched.strip()
        primary = self.ctx.spec_str("on_call", "primary") or ""
        secondary = self.ctx.spec_str("on_call", "secondary") or ""
        path = self.ctx.service.manifest_path
        line = self.ctx.spec_line("on_call", "pagerduty_schedule")
        token, env = self.live.token("pagerduty", sec, "PAGERDUTY_TOKEN")
        api_url = str(sec.get("api_url") or pdp.DEFAULT_API)
        mapping = {str(k): str(v) for k, v in (sec.get("users") or {}).items()}
        domain = sec.get("email_domain")
        min_levels = int(sec.get("min_escalation_levels") or 2)
        settings = self.live.settings("pagerduty")
        ca = self.live.ca_bundle(sec)

        def run() -> LiveVerdict:
            if not token:
                raise ProviderError(f"PagerDuty: the environment variable {env} (providers.pagerduty.token_env) "
                                    "is not set")
            plain_http_allowed("PagerDuty", api_url)
            api = pdp.Api(api_url, token, settings, ca)
            s = pdp.schedule(api, sched)
            if s is None:
                return LiveVerdict(False, f"PagerDuty has no schedule {sched}", (Finding(
                    f"PagerDuty has no schedule {sched} (404): set on_call.pagerduty_schedule to an existing "
                    "schedule's id", path, line, line),), "PagerDuty")
            findings: list[Finding] = []
            for role, login in (("primary", primary), ("secondary", secondary)):
                if not login:
                    continue
                if pdp.find_user(s.users, pdp.identities(login, mapping, str(domain) if domain else None)) is None:
                    on = ", ".join(u.name or u.email or u.id for u in s.users) or "nobody"
                    rl = self.ctx.spec_line("on_call", role)
                    findings.append(Finding(f"the {role} on-call {login} is not on PagerDuty schedule {s.name or sched} "
                                            f"(on it: {on}): add them to a layer, or map the login in "
                                            "providers.pagerduty.users", path, rl, rl))
            best = max(s.policies.values(), default=0)
            if best < min_levels:
                if not s.policies:
                    msg = f"no escalation policy uses PagerDuty schedule {s.name or sched}"
                else:
                    msg = (f"the escalation policies using PagerDuty schedule {s.name or sched} have at most {best} "
                           f"level(s) ({', '.join(f'{k}: {v}' for k, v in s.policies.items())})")
                findings.append(Finding(f"{msg}: at least {min_levels} levels are needed (primary, then secondary "
                                        "or a manager)", path, line, line))
            if findings:
                return LiveVerdict(False, f"PagerDuty schedule {sched}: {len(findings)} problem(s)", tuple(findings),
                                   "PagerDuty")
            pol = ", ".join(f"{k} ({v} levels)" for k, v in s.policies.items())
            return LiveVerdict(True, f"PagerDuty schedule {s.name or sched} exists with {primary} and {secondary} on "
                                     f"it; escalation: {pol}", (), "PagerDuty")

        return ("pagerduty", api_url, sched, primary, secondary, tuple(sorted(mapping.items())), domain), run

    def prefetch_pagerduty(self) -> None:
        q = self._pagerduty_query()
        if q is not None:
            self.live.submit(q[0], "PagerDuty", q[1])

    def pagerduty(self) -> LiveVerdict:
        none = self.live.unavailable("pagerduty")
        if none is not None:
            return none
        q = self._pagerduty_query()
        if q is None:
            return LiveVerdict(None, "no PagerDuty schedule id in service.yaml to look up", (), "PagerDuty")
        return self.live.get(q[0], "PagerDuty", q[1])

    # -- GitHub Packages: sdk.package -------------------------------------------------------
    def _package_query(self) -> tuple[tuple[Any, ...], Callable[[], LiveVerdict]] | None:
        sec = self.live.section("github_packages")
        if sec is None or self.live.offline:
            return None
        from gate.sources import sdkpkg

        pkg = sdkpkg.manifest(self.ctx.ws, self.ctx.config, self.name)
        if pkg is None:
            return None
        full = str(pkg.data.get("name") or "")
        version = str(pkg.data.get("version") or "")
        if not full or not version:
            return None
        scope, _, bare = full.lstrip("@").partition("/")
        if not bare:
            scope, bare = "", scope
        org = str(sec.get("org") or scope or (self.live.environ.get("GITHUB_REPOSITORY_OWNER") or ""))
        if not org:
            return None
        api_url = str(sec.get("api_url") or self.live.environ.get("GITHUB_API_URL") or ghp.DEFAULT_API)
        token, env = self.live.token("github_packages", sec, "GITHUB_TOKEN", ("INPUT_GITHUB-TOKEN",))
        settings = self.live.settings("github_packages")
        ca = self.live.ca_bundle(sec)
        path, line = pkg.path, pkg.line("version")

        def run() -> LiveVerdict:
            if not token:
                raise ProviderError(f"GitHub Packages: the environment variable {env} "
                                    "(providers.github_packages.token_env) is not set")
            plain_http_allowed("GitHub Packages", api_url)
            ok, msg = ghp.published(api_url, org, bare, version, token, settings, ca)
            if ok:
                return LiveVerdict(True, msg, (), "GitHub Packages")
            return LiveVerdict(False, msg, (Finding(f"{msg}: publish it (the release workflow runs pnpm publish) "
                                                    "or set version to a published one", path, line, line),),
                               "GitHub Packages")

        return ("package", api_url, org, bare, version), run

    def prefetch_package(self) -> None:
        q = self._package_query()
        if q is not None:
            self.live.submit(q[0], "GitHub Packages", q[1])

    def package(self) -> LiveVerdict:
        none = self.live.unavailable("github_packages")
        if none is not None:
            return none
        q = self._package_query()
        if q is None:
            return LiveVerdict(None, "package.json names no scoped package and version to look up", (),
                               "GitHub Packages")
        return self.live.get(q[0], "GitHub Packages", q[1])


def alarm_problem(kind: str, a: awsp.Alarm) -> str | None:
    """Why alarm ``a`` does not implement ``kind`` with the conventions' threshold, or None."""
    if a.comparison not in ("GreaterThanThreshold", "GreaterThanOrEqualToThreshold"):
        return f"compares with {a.comparison or 'nothing'} (must be GreaterThanThreshold)"
    if a.threshold is None:
        return "has no threshold"
    if kind == "error_rate" and a.threshold > 1:
        return f"has threshold {a.threshold:g} (error rate must alarm at ≤ 1%)"
    if kind == "latency_p99":
        if a.statistic.lower() != "p99":
            return f"uses the statistic {a.statistic or 'of a metric-math expression'} (must be p99)"
        if a.threshold > 1:
            return f"has threshold {a.threshold:g} s (p99 latency must alarm at ≤ 1 s)"
    if kind == "dlq_depth" and a.threshold != 0:
        return f"has threshold {a.threshold:g} (DLQ depth must alarm above 0)"
    return None


def _stamp(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def _renamed(v: LiveVerdict, provider: str) -> LiveVerdict:
    return LiveVerdict(v.proven, v.message, v.findings, provider, v.asked)


def _all(provider: str, verdicts: list[LiveVerdict]) -> LiveVerdict:
    """Several queries of one item: disproven if any disproves it, else unknown if any is
    unknown, else proven."""
    if not verdicts:
        return LiveVerdict(True, "nothing to look up", (), provider)
    bad = [v for v in verdicts if v.proven is False]
    if bad:
        return LiveVerdict(False, "; ".join(v.message for v in bad), tuple(f for v in bad for f in v.findings),
                           provider)
    unknown = [v for v in verdicts if v.proven is None]
    if unknown:
        return LiveVerdict(None, "; ".join(dict.fromkeys(v.message for v in unknown)), (), provider)
    return LiveVerdict(True, "; ".join(v.message for v in verdicts), (), provider)


def for_run(run: RunInfo) -> Live:
    """The :class:`Live` of ``run``, made on first use (kept in ``run.providers["live"]``)."""
    prov = run.providers
    if isinstance(prov, dict):
        got = prov.get("live")
        if isinstance(got, Live):
            return got
    offline = bool(prov.get("offline")) if isinstance(prov, Mapping) else False
    live = Live(run.config.data, offline=offline, root=run.ws.root)
    if isinstance(prov, dict):
        prov["live"] = live
    else:
        run.providers = {"offline": offline, "live": live}
    return live


def warn(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    return tuple(Finding(f.message, f.path, f.line, f.end_line, Level.WARNING, f.target) for f in findings)

