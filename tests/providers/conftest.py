"""Real protocol peers on loopback for the live providers (no mock of prodgate's own code).

- :class:`HttpStandIn`: an HTTP(S) server (``http.server``) whose answers are scripted per
  request; HTTPS with a certificate from a test CA made here with ``cryptography``.
- :class:`DnsStandIn`: a UDP DNS server (``dnslib`` wire format) answering the platform names,
  with scripted SERVFAIL / REFUSED / dropped (→ timeout) answers.
- :class:`AwsStandIn`: moto's server mode (``ThreadedMotoServer``) for CloudWatch and SSM, behind
  a small fault-injecting HTTP proxy (503, 403, a stall past the timeout); moto does not
  implement ``DescribeAlarmHistory``, so the stand-in adds it, serving the transitions a test
  records (serialised by moto for botocore's protocol like every other operation).
- :class:`PagerDutyStandIn`: PagerDuty's REST API v2 as documented (no OpenAPI description of
  it is published on a registry): ``Authorization: Token token=…``, the v2 ``Accept`` media
  type, ``GET /schedules/{id}``, ``/users/{id}``, ``/escalation_policies/{id}``; every request
  is checked against those documented shapes and ``problems`` lists violations.
- :class:`PackagesStandIn`: GitHub's "list package versions for a package owned by an
  organization", validated against GitHub's OpenAPI description (npm ``@octokit/openapi``,
  shared with tests/github).
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

PD_TOKEN = "u+pdSTANDINtokenREADONLY0123"
GH_TOKEN = "ghs_standinPACKAGEStoken0123456789"


# -- a scripted HTTP(S) server ------------------------------------------------------------------
@dataclass
class Fault:
    """What the next request(s) get instead of the real answer."""

    status: int = 503
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    #: stall this long before answering (past the client's timeout: a timeout)
    stall: float = 0.0
    times: int = 1


class HttpStandIn:
    """``route(method, path, query, headers) -> (status, body_obj_or_bytes, headers)``."""

    def __init__(self, route: Callable[[str, str, dict[str, list[str]], dict[str, str]], tuple[int, Any, dict[str, str]]],
                 tls: ssl.SSLContext | None = None) -> None:
        self.route = route
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.lock = threading.Lock()
        stand = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: Any) -> None:
                pass

            def do_GET(self) -> None:
                stand._serve(self)

            def do_POST(self) -> None:
                stand._serve(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def fail(self, status: int = 503, times: int = 1, stall: float = 0.0, body: bytes = b"",
             headers: dict[str, str] | None = None) -> None:
        self.faults.append(Fault(status, body, headers or {}, stall, times))

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        split = urllib.parse.urlsplit(h.path)
        query = urllib.parse.parse_qs(split.query)
        headers = {k.lower(): v for k, v in h.headers.items()}
        length = int(headers.get("content-length") or 0)
        raw = h.rfile.read(length) if length else b""
        with self.lock:
            self.requests.append((h.command, h.path, headers))
            fault = None
            if self.faults:
                fault = self.faults[0]
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.pop(0)
        if fault is not None:
            if fault.stall:
                time.sleep(fault.stall)
            self._send(h, fault.status, fault.body, fault.headers)
            return
        status, body, hdrs = self.route(h.command, split.path, query, dict(headers, __body__=raw.decode("latin-1")))
        self._send(h, status, body, hdrs)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str]) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        try:
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, v)
            if "content-type" not in {k.lower() for k in headers}:
                h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- a test CA ------------------------------------------------------------------------------------
@dataclass
class LocalCA:
    ca_pem: Path
    cert_pem: Path
    key_pem: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(self.cert_pem), str(self.key_pem))
        return ctx


def make_ca(folder: Path, names: tuple[str, ...] = ("localhost",)) -> LocalCA:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "prodgate test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    sans: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
    sans.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(sans), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    out = LocalCA(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    out.ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    out.cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    out.key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
    return out


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> LocalCA:
    return make_ca(tmp_path_factory.mktemp("ca"))


# -- healthz ------------------------------------------------------------------------------------
class HealthStandIn(HttpStandIn):
    def __init__(self, ca: LocalCA) -> None:
        self.status = 200
        super().__init__(self._route, ca.server_context())

    def _route(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]
               ) -> tuple[int, Any, dict[str, str]]:
        if method == "GET" and path.endswith("/healthz"):
            return self.status, {"ok": self.status == 200}, {}
        return 404, {"error": "not found"}, {}


@pytest.fixture
def health(test_ca: LocalCA) -> Iterator[HealthStandIn]:
    s = HealthStandIn(test_ca)
    yield s
    s.stop()


# -- DNS ----------------------------------------------------------------------------------------
class DnsStandIn:
    """Answers A queries for ``records`` (name → IPs); others NXDOMAIN. ``script`` holds what the
    next queries get instead: "SERVFAIL", "REFUSED" or "DROP" (no answer at all)."""

    def __init__(self, records: dict[str, list[str]]) -> None:
        self.records = {k.rstrip(".").lower(): v for k, v in records.items()}
        self.script: list[str] = []
        self.queries: list[tuple[str, str]] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        from dnslib import QTYPE, RCODE, RR, A, DNSRecord

        while not self._stop.is_set():
            try:
                data, addr = self.sock.recvfrom(4096)
            except (TimeoutError, OSError):
                continue
            try:
                q = DNSRecord.parse(data)
            except Exception:
                continue
            name = str(q.q.qname).rstrip(".").lower()
            qtype = QTYPE[q.q.qtype]
            self.queries.append((name, qtype))
            action = self.script.pop(0) if self.script else ""
            if action == "DROP":
                continue
            reply = q.reply()
            if action in ("SERVFAIL", "REFUSED"):
                reply.header.rcode = getattr(RCODE, action)
            elif name not in self.records:
                reply.header.rcode = RCODE.NXDOMAIN
            elif qtype == "A":
                for ip in self.records[name]:
                    reply.add_answer(RR(q.q.qname, QTYPE.A, rdata=A(ip), ttl=60))
            self.sock.sendto(reply.pack(), addr)

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(2)
        self.sock.close()


PLATFORM_NAMES = {f"{svc}.{st}.platform.loop.health": ["192.0.2.10"] for svc in ("payments", "identity", "orders", "labs")
                  for st in ("dev", "staging", "prod")}


@pytest.fixture
def dns_server() -> Iterator[DnsStandIn]:
    s = DnsStandIn(dict(PLATFORM_NAMES))
    yield s
    s.stop()


# -- AWS: moto behind a fault proxy ------------------------------------------------------------
#: DescribeAlarmHistory items a test records (moto has no such operation): dicts in the API's shape
ALARM_HISTORY: list[dict[str, Any]] = []


def _install_alarm_history() -> None:
    from moto.cloudwatch.responses import CloudWatchResponse
    from moto.core.responses import ActionResult

    if getattr(CloudWatchResponse, "_prodgate_history", False):
        return

    def describe_alarm_history(self: Any) -> Any:
        name = self._get_param("AlarmName")
        kind = self._get_param("HistoryItemType")
        start = self._get_param("StartDate")
        end = self._get_param("EndDate")

        def ts(v: Any) -> dt.datetime | None:
            if v is None or v == "":
                return None
            if isinstance(v, dt.datetime):
                return v if v.tzinfo else v.replace(tzinfo=dt.UTC)
            if isinstance(v, (int, float)):
                return dt.datetime.fromtimestamp(float(v), dt.UTC)
            return dt.datetime.fromisoformat(str(v).replace("Z", "+00:00"))

        lo, hi = ts(start), ts(end)
        items = [i for i in ALARM_HISTORY if (not name or i["AlarmName"] == name)
                 and (not kind or i["HistoryItemType"] == kind)
                 and (lo is None or i["Timestamp"] >= lo) and (hi is None or i["Timestamp"] <= hi)]
        # as CloudWatch: newest first, MaxRecords (default 50) per page, NextToken for the rest
        items.sort(key=lambda i: i["Timestamp"], reverse=True)
        size = int(self._get_param("MaxRecords") or 50)
        first = int(self._get_param("NextToken") or 0)
        page: dict[str, Any] = {"AlarmHistoryItems": items[first:first + size]}
        if first + size < len(items):
            page["NextToken"] = str(first + size)
        return ActionResult(page)

    CloudWatchResponse.describe_alarm_history = describe_alarm_history  # type: ignore[attr-defined]
    CloudWatchResponse._prodgate_history = True  # type: ignore[attr-defined]


def history_item(alarm: str, at: dt.datetime, old: str, new: str) -> dict[str, Any]:
    return {"AlarmName": alarm, "AlarmType": "MetricAlarm", "Timestamp": at, "HistoryItemType": "StateUpdate",
            "HistorySummary": f"Alarm updated from {old} to {new}",
            "HistoryData": json.dumps({"version": "1.0", "oldState": {"stateValue": old},
                                       "newState": {"stateValue": new}})}


class AwsStandIn(HttpStandIn):
    """A proxy on loopback in front of moto's server: forwards every request, unless a fault is
    scripted with :meth:`fail`."""

    def __init__(self, moto_url: str) -> None:
        self.moto_url = moto_url
        super().__init__(self._forward)

    def _forward(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]
                 ) -> tuple[int, Any, dict[str, str]]:
        import urllib.error
        import urllib.request

        body = headers.pop("__body__", "").encode("latin-1")
        qs = urllib.parse.urlencode([(k, v) for k, vs in query.items() for v in vs])
        url = self.moto_url + path + (f"?{qs}" if qs else "")
        fwd = {k: v for k, v in headers.items() if k not in ("host", "content-length", "connection")}
        req = urllib.request.Request(url, data=body if method == "POST" else None, headers=fwd, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read(), {k: v for k, v in resp.headers.items()
                                                  if k.lower() in ("content-type", "x-amzn-requestid", "smithy-protocol")}
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), {k: v for k, v in exc.headers.items()
                                          if k.lower() in ("content-type", "x-amzn-requestid", "smithy-protocol")}

    def fail_json(self, status: int, code: str, times: int = 1) -> None:
        """A JSON-protocol error (SSM); CloudWatch's CBOR clients read the status and headers."""
        self.fail(status, times, body=json.dumps({"__type": code, "message": code}).encode(),
                  headers={"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code})


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    _install_alarm_history()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


AWS_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
           "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture
def aws(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AwsStandIn]:
    """moto (reset) behind a fault proxy, with the example platform's alarms and secrets."""
    import urllib.request

    for k, v in AWS_ENV.items():
        monkeypatch.setenv(k, v)
    urllib.request.urlopen(urllib.request.Request(moto_server + "/moto-api/reset", method="POST"), timeout=10).read()
    ALARM_HISTORY.clear()
    proxy = AwsStandIn(moto_server)
    seed_aws(moto_server)
    yield proxy
    proxy.stop()
    ALARM_HISTORY.clear()


def boto(service: str, url: str) -> Any:
    import boto3

    return boto3.client(service, endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def put_alarms(url: str, service: str, stage: str, error_rate: float = 1, latency_s: float = 1, dlq: float = 0) -> None:
    cw = boto("cloudwatch", url)
    p = f"{service}-{stage}"
    cw.put_metric_alarm(AlarmName=f"{p}-error-rate", ComparisonOperator="GreaterThanThreshold", EvaluationPeriods=1,
                        Threshold=error_rate, Metrics=[
                            {"Id": "errors", "ReturnData": False, "MetricStat": {"Metric": {
                                "Namespace": "AWS/ApplicationELB", "MetricName": "HTTPCode_Target_5XX_Count"},
                                "Period": 300, "Stat": "Sum"}},
                            {"Id": "requests", "ReturnData": False, "MetricStat": {"Metric": {
                                "Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount"},
                                "Period": 300, "Stat": "Sum"}},
                            {"Id": "rate", "Expression": "100 * errors / MAX([requests, 1])", "ReturnData": True}])
    cw.put_metric_alarm(AlarmName=f"{p}-latency-p99", ComparisonOperator="GreaterThanThreshold", EvaluationPeriods=3,
                        Threshold=latency_s, Namespace="AWS/ApplicationELB", MetricName="TargetResponseTime",
                        ExtendedStatistic="p99", Period=300)
    cw.put_metric_alarm(AlarmName=f"{p}-dlq-depth", ComparisonOperator="GreaterThanThreshold", EvaluationPeriods=1,
                        Threshold=dlq, Namespace="AWS/SQS", MetricName="ApproximateNumberOfMessagesVisible",
                        Statistic="Maximum", Period=60)


SECRETS = {"payments": ["PaymentsSentryDsn", "PaymentsDatabaseUrl", "PaymentsStripeKey"]}


def seed_aws(url: str) -> None:
    for stage in ("dev", "staging", "prod"):
        put_alarms(url, "payments", stage)
    ssm = boto("ssm", url)
    for stage in ("dev", "staging", "prod"):
        for name in SECRETS["payments"]:
            ssm.put_parameter(Name=f"/sst/platform/{stage}/Secret/{name}/value", Value="s3cr3t-value",
                              Type="SecureString")


# -- PagerDuty ----------------------------------------------------------------------------------
PD_ACCEPT = "application/vnd.pagerduty+json;version=2"


class PagerDutyStandIn(HttpStandIn):
    """PagerDuty REST API v2 (documented shapes): schedules, users, escalation policies."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.users = {"PUSER01": ("Alice Example", "alice@loop.health"), "PUSER02": ("Bob Example", "bob@loop.health"),
                      "PUSER03": ("Dave Manager", "dave@loop.health")}
        self.schedules: dict[str, dict[str, Any]] = {}
        self.policies: dict[str, dict[str, Any]] = {}
        self.set_schedule("P1A2B3C", ["PUSER01", "PUSER02"], levels=3)
        super().__init__(self._route)

    def ref(self, kind: str, oid: str, summary: str) -> dict[str, Any]:
        return {"id": oid, "type": f"{kind}_reference", "summary": summary,
                "self": f"https://api.pagerduty.com/{kind}s/{oid}", "html_url": f"https://loop.pagerduty.com/{kind}s/{oid}"}

    def set_schedule(self, sid: str, users: list[str], levels: int) -> None:
        pid = "PPOL" + sid[1:]
        self.policies[pid] = {
            "id": pid, "type": "escalation_policy", "name": "Payments escalation", "summary": "Payments escalation",
            "num_loops": 0, "on_call_handoff_notifications": "if_has_services",
            "escalation_rules": [{"id": f"PRULE{i}", "escalation_delay_in_minutes": 15,
                                  "targets": [self.ref("schedule", sid, "Payments primary") if i == 0
                                              else self.ref("user", "PUSER03", "Dave Manager")]}
                                 for i in range(levels)],
            "services": [], "teams": []}
        self.schedules[sid] = {
            "id": sid, "type": "schedule", "name": "Payments primary", "summary": "Payments primary",
            "time_zone": "America/New_York", "description": "", "html_url": f"https://loop.pagerduty.com/schedules/{sid}",
            "schedule_layers": [{"id": "PLAYER1", "name": "Weekly", "start": "2026-01-05T09:00:00-05:00", "end": None,
                                 "rotation_virtual_start": "2026-01-05T09:00:00-05:00",
                                 "rotation_turn_length_seconds": 604800,
                                 "users": [{"user": self.ref("user", u, self.users[u][0])} for u in users],
                                 "restrictions": []}],
            "users": [self.ref("user", u, self.users[u][0]) for u in users],
            "escalation_policies": [self.ref("escalation_policy", pid, "Payments escalation")],
            "teams": []}

    def _route(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]
               ) -> tuple[int, Any, dict[str, str]]:
        auth = headers.get("authorization", "")
        if method != "GET":
            self.problems.append(f"{method} {path}: prodgate only reads")
        if headers.get("accept") != PD_ACCEPT:
            self.problems.append(f"GET {path}: Accept is {headers.get('accept')!r}, not {PD_ACCEPT!r}")
        if not auth.startswith("Token token="):
            self.problems.append(f"GET {path}: Authorization is not 'Token token=<key>'")
        if query:
            self.problems.append(f"GET {path}: unexpected query {sorted(query)}")
        if auth != f"Token token={PD_TOKEN}":
            return 401, {"error": {"message": "Unauthorized", "code": 2006}}, {}
        parts = path.strip("/").split("/")
        table = {"schedules": (self.schedules, "schedule"), "escalation_policies": (self.policies, "escalation_policy"),
                 "users": (None, "user")}
        if len(parts) != 2 or parts[0] not in table:
            self.problems.append(f"GET {path}: not an operation prodgate should call")
            return 404, {"error": {"message": "Not Found", "code": 2100}}, {}
        kind, oid = parts
        store, key = table[kind]
        if kind == "users":
            if oid not in self.users:
                return 404, {"error": {"message": "Not Found", "code": 2100}}, {}
            name, email = self.users[oid]
            obj: dict[str, Any] = {"id": oid, "type": "user", "name": name, "email": email, "summary": name,
                                   "time_zone": "America/New_York", "role": "user"}
            return 200, {key: obj}, {}
        assert store is not None
        if oid not in store:
            return 404, {"error": {"message": "Not Found", "code": 2100}}, {}
        return 200, {key: store[oid]}, {}


@pytest.fixture
def pagerduty(monkeypatch: pytest.MonkeyPatch) -> Iterator[PagerDutyStandIn]:
    monkeypatch.setenv("PAGERDUTY_TOKEN", PD_TOKEN)
    s = PagerDutyStandIn()
    yield s
    s.stop()
    assert not s.problems, s.problems


# -- GitHub Packages -----------------------------------------------------------------------------
class PackagesStandIn(HttpStandIn):
    def __init__(self, openapi: Any) -> None:
        self.openapi = openapi
        self.problems: list[str] = []
        self.versions: dict[tuple[str, str], list[str]] = {("platform", "sdk-payments"): ["1.8.0", "1.7.2"]}
        super().__init__(self._route)

    def _route(self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str]
               ) -> tuple[int, Any, dict[str, str]]:
        flat = [(k, v) for k, vs in query.items() for v in vs]
        if self.openapi is not None:
            self.problems += self.openapi.validate(method, path, flat, None)
            op = self.openapi.operation(method, path)
            if op != "GET /orgs/{org}/packages/{package_type}/{package_name}/versions":
                self.problems.append(f"{op}: not the operation prodgate should call")
        if headers.get("authorization") != f"Bearer {GH_TOKEN}":
            return 401, {"message": "Bad credentials"}, {}
        parts = path.strip("/").split("/")
        if len(parts) != 6 or parts[0] != "orgs" or parts[2] != "packages" or parts[3] != "npm":
            return 404, {"message": "Not Found"}, {}
        got = self.versions.get((parts[1], urllib.parse.unquote(parts[4])))
        if got is None:
            return 404, {"message": "Package not found."}, {}
        page = int((query.get("page") or ["1"])[0])
        per = int((query.get("per_page") or ["30"])[0])
        chunk = got[(page - 1) * per: page * per]
        return 200, [{"id": 1000 + i, "name": v, "url": "", "package_html_url": "", "created_at": "2026-11-01T00:00:00Z",
                      "updated_at": "2026-11-01T00:00:00Z", "metadata": {"package_type": "npm"}}
                     for i, v in enumerate(chunk)], {}


@pytest.fixture(scope="session")
def gh_openapi() -> Any:
    from tests.github.conftest import OPENAPI, OpenAPI, _need

    _need(OPENAPI)
    return OpenAPI(OPENAPI)


@pytest.fixture
def packages(monkeypatch: pytest.MonkeyPatch, gh_openapi: Any) -> Iterator[PackagesStandIn]:
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)
    s = PackagesStandIn(gh_openapi)
    yield s
    s.stop()
    assert not s.problems, s.problems


# -- building a run over the example platform ----------------------------------------------------
FAST = """providers:
  timeout_seconds: 0.5
  retries: 2
  backoff_seconds: 0.02
"""


def service_live(config: str, *, service: str = "payments", mode: str = "check", root: Path | None = None,
                 gh: Any = None, strict: bool = False) -> Any:
    """``live(ctx)`` for ``service`` of the example platform with ``config`` (YAML text)."""
    from gate.context import Ctx
    from gate.providers import live
    from tests.helpers import EXAMPLE, make_run

    run = make_run(root or EXAMPLE, config_text=config, mode=mode)
    run.github = gh
    run.strict = strict
    svc = next(s for s in run.all_services if s.name == service)
    return live(Ctx(run, svc))
