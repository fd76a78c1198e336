"""The live halves of the items: :class:`ServiceLive` (``gate.providers.live(ctx)``) is what a
check calls, one tiny function per item, each returning a :class:`LiveVerdict`; the run's
:class:`~gate.providers.session.Live` (:func:`for_run`) holds the configured providers, a thread
pool and the memo of every query.

Everything a query needs from the repository (hostnames, secret names, the schedule id, the
package version, where a finding points) is read on the calling thread, through the parsed-source
cache; only the network calls run in the pool. :func:`prefetch` submits every query of the
services being judged before the checks run, so the checks mostly read finished results.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gate.config.providers import AwsProvider, DnsProvider
from gate.model import Finding, Level
from gate.providers import aws as awsp
from gate.providers import dns as dnsp
from gate.providers import github_packages as ghp
from gate.providers import http as httpp
from gate.providers import pagerduty as pdp
from gate.providers.base import ProviderError, plain_http_allowed
from gate.providers.session import Live, LiveVerdict

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


def prefetch(lv: Live, run: RunInfo, services: Iterable[Service]) -> None:
    """Submit every live query of ``services`` (the ones being judged) now, concurrently."""
    if lv.idle:
        return
    from gate.context import Ctx

    for svc in services:
        sl = ServiceLive(lv, Ctx(run, svc))
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
        from gate.sources.ts import infra
        try:
            return infra.model(self.ctx.ws, self.ctx.config, self.ctx.service.dir)
        except Exception:
            return None

    def hosts(self) -> dict[str, tuple[str, str | None, int | None]]:
        """stage → (hostname, infra.ts path, line): from infra.ts where it names a hostname, else
        from ``providers.dns.names``."""
        sec = self.live.config.dns or DnsProvider()
        stages = list(sec.stages or STAGES)
        template = sec.names or DEFAULT_DNS
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
        sec = self.live.config.http
        if sec is None or self.live.offline:
            return None
        stage = sec.stage or "dev"
        url = _fill(sec.url or httpp.DEFAULT_URL, service=self.name, stage=stage)
        settings = self.live.settings("http")
        ca = self.live.ca_bundle(sec.ca_bundle)

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
        sec = self.live.config.dns
        if sec is None or self.live.offline:
            return []
        settings = self.live.settings("dns")
        servers = list(sec.nameservers)
        port = sec.port or 53
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
    def _aws_settings(self) -> AwsProvider:
        return self.live.config.aws or AwsProvider()

    def _aws(self) -> awsp.AwsConfig:
        sec = self._aws_settings()
        return awsp.AwsConfig(region=sec.region, endpoint_url=sec.endpoint_url, profile=sec.profile,
                              ca_bundle=self.live.ca_bundle(sec.ca_bundle))

    def _alarm_names(self) -> dict[str, dict[str, str]]:
        cw = self._aws_settings().cloudwatch
        stages = list(cw.alarm_stages or STAGES)
        templates = {**DEFAULT_ALARMS, **cw.alarms}
        return {st: {kind: _fill(t, service=self.name, stage=st) for kind, t in templates.items()}
                for st in stages}

    def _alarms_query(self) -> tuple[tuple[Any, ...], Callable[[], LiveVerdict]] | None:
        if self.live.config.aws is None or self.live.offline:
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
        from gate.sources.ts import parse as ts
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
        cw = self._aws_settings().cloudwatch
        prefix = _fill(cw.history_prefix or DEFAULT_ALARM_PREFIX, service=self.name, stage=stage)
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
                history = [t for t in awsp.alarm_history(cfg, settings, name, start, end) if t.at >= start]
                fired = [t for t in history if t.new == "ALARM"]
                # in ALARM already when the deployment went live, and left it later: it was firing
                # during the window as much as one that entered ALARM then
                left = [t for t in history if t.old == "ALARM"]
                if fired:
                    first = min(fired, key=lambda t: t.at)
                    more = f" ({len(fired)} times)" if len(fired) > 1 else ""
                    findings.append(Finding(f"{stage}: CloudWatch alarm {name} entered ALARM at {_stamp(first.at)}"
                                            f"{more}, after the deployment went live at {_stamp(start)}"))
                elif left:
                    first = min(left, key=lambda t: t.at)
                    findings.append(Finding(f"{stage}: CloudWatch alarm {name} was in ALARM when the deployment went "
                                            f"live at {_stamp(start)} and stayed in ALARM until {_stamp(first.at)}"))
                elif alarms[name].state == "ALARM":
                    findings.append(Finding(f"{stage}: CloudWatch alarm {name} is in ALARM now"))
            if findings:
                return LiveVerdict(False, f"{len(findings)} alarm(s) fired in {stage}", tuple(findings), "CloudWatch")
            return LiveVerdict(True, f"none of {len(alarms)} CloudWatch alarm(s) {prefix}* was in ALARM since "
                                     f"{_stamp(start)}", (), "CloudWatch")

        return ("history", cfg, prefix, start.isoformat(), end.isoformat()), run

    def prefetch_history(self) -> None:
        if self.live.config.aws is None or self.live.offline:
            return
        from gate.github import reviews as g

        run = self.ctx.run
        ev = g.evidence(run.github)
        if ev is None:
            return
        sha = ev.sha or (run.pr.head_sha if run.pr else "")
        for stage in ("staging", "prod"):
            deps = g.deployments(ev, run.config.deployments.environment_of(self.name, stage)) or ()
            mine = [d for d in deps if sha and d.sha == sha and (d.state or "").lower() == "success"]
            if mine:
                key, fn = self._history_query(stage, g.since(mine[0]))
                self.live.submit(key, "CloudWatch", fn)

    def alarm_history(self, stage: str, since: dt.datetime) -> LiveVerdict:
        """No alarm of the service (``history_prefix``) was in ALARM in ``stage`` since ``since``: none entered
        ALARM, none was in ALARM already and left it later, none is in ALARM now."""
        none = self.live.unavailable("aws")
        if none is not None:
            return _renamed(none, "CloudWatch")
        key, fn = self._history_query(stage, since)
        return self.live.get(key, "CloudWatch", fn)

    def _secrets_query(self, names: Iterable[str]) -> tuple[tuple[Any, ...], Callable[[], LiveVerdict]] | None:
        sec = self.live.config.aws
        if sec is None or self.live.offline:
            return None
        ssm = sec.ssm
        template = ssm.parameter or DEFAULT_SECRET_PARAMETER
        app = ssm.app or sst_app_name(self.live.root) or ""
        stages = list(ssm.stages or STAGES)
        wanted = tuple(sorted(set(names)))
        if "{app}" in template and not app:
            def no_app() -> LiveVerdict:
                raise ProviderError("SSM: the SST app name is unknown (no name in sst.config.ts): set "
                                    "providers.aws.ssm.app")
            return ("secrets-noapp", wanted), no_app
        infra = self._infra()
        anchors: dict[str, tuple[str | None, int | None]] = {}
        if infra is not None and infra.file is not None:
            from gate.sources.ts import parse as ts
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
        sec = self.live.config.pagerduty
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
        token, env = self.live.token(sec.token_env, "PAGERDUTY_TOKEN")
        api_url = sec.api_url or pdp.DEFAULT_API
        mapping = dict(sec.users)
        domain = sec.email_domain
        min_levels = sec.min_escalation_levels or 2
        settings = self.live.settings("pagerduty")
        ca = self.live.ca_bundle(sec.ca_bundle)

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
                if pdp.find_user(s.users, pdp.identities(login, mapping, domain or None)) is None:
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
        sec = self.live.config.github_packages
        if sec is None or self.live.offline:
            return None
        from gate.sources.ts import sdkpkg
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
        org = sec.org or scope or (self.live.environ.get("GITHUB_REPOSITORY_OWNER") or "")
        if not org:
            return None
        api_url = sec.api_url or self.live.environ.get("GITHUB_API_URL") or ghp.DEFAULT_API
        token, env = self.live.token(sec.token_env, "GITHUB_TOKEN", ("INPUT_GITHUB-TOKEN",))
        settings = self.live.settings("github_packages")
        ca = self.live.ca_bundle(sec.ca_bundle)
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
    """The :class:`Live` of ``run``, made on first use (kept in ``run.providers.live``)."""
    prov = run.providers
    if prov.live is None:
        prov.live = Live(run.config.providers, offline=prov.offline, root=run.ws.root)
    return prov.live


def warn(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """``findings`` as warnings (their rule dropped, as the engine's advisory copies do)."""
    return tuple(replace(f, level=Level.WARNING, rule=None) for f in findings)

