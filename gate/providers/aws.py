"""AWS, read-only (boto3): CloudWatch alarms and their history, SSM parameters for SST secrets.

Credentials come from boto3's default chain (in GitHub Actions: the OIDC role that
``aws-actions/configure-aws-credentials`` assumes, exported as ``AWS_*`` variables); none are
read from the configuration. botocore's own retries are off: :func:`gate.providers.base.with_retry`
retries throttling, 5xx, timeouts and connection failures, bounded. API calls used:
``cloudwatch:DescribeAlarms``, ``cloudwatch:DescribeAlarmHistory``, ``ssm:GetParameters``
(without decryption: only the parameter's existence and version are read, never its value).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gate.providers.base import ProviderError, Settings, seconds, with_retry

THROTTLING = frozenset({"Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException",
                        "RequestThrottled", "ServiceUnavailable", "InternalFailure", "InternalServiceError"})


@dataclass(frozen=True)
class AwsConfig:
    region: str | None = None
    endpoint_url: str | None = None
    profile: str | None = None
    ca_bundle: str | None = None


@dataclass(frozen=True)
class Alarm:
    name: str
    threshold: float | None
    comparison: str
    statistic: str  # "p99", "Sum", "Maximum", or "" for metric math
    metric: str  # metric name, or the expression of the returned metric-math query
    state: str
    state_since: dt.datetime | None


@dataclass(frozen=True)
class Transition:
    alarm: str
    at: dt.datetime
    old: str
    new: str
    summary: str


#: the most pages one CloudWatch listing reads; more left unread is no answer (never a partial one)
PAGES = 50
#: "Alarm updated from OK to ALARM" (a history item's summary, when its HistoryData says less)
_SUMMARY = re.compile(r"\bfrom (\w+) to (\w+)\s*$", re.IGNORECASE)

_CLIENTS: dict[tuple[Any, ...], Any] = {}
_CLIENTS_LOCK = threading.Lock()


def _client(service: str, cfg: AwsConfig, settings: Settings) -> Any:
    """A boto3 client, made once per service, endpoint and credentials environment (boto3
    sessions are not thread-safe: made under a lock; clients are)."""
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("AWS_")))
    key = (service, cfg, settings.timeout, env)
    with _CLIENTS_LOCK:
        got = _CLIENTS.get(key)
        if got is None:
            got = _make_client(service, cfg, settings)
            _CLIENTS[key] = got
        return got


def _make_client(service: str, cfg: AwsConfig, settings: Settings) -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise ProviderError("boto3 is not installed (pip install 'prodgate[live]')") from None
    bc = Config(connect_timeout=settings.timeout, read_timeout=settings.timeout,
                retries={"total_max_attempts": 1, "mode": "standard"}, user_agent_extra="prodgate")
    try:
        session = boto3.session.Session(profile_name=cfg.profile, region_name=cfg.region)
        return session.client(service, endpoint_url=cfg.endpoint_url, config=bc,
                              verify=cfg.ca_bundle if cfg.ca_bundle else None)
    except Exception as exc:  # botocore raises many kinds here (no region, unknown profile)
        raise ProviderError(f"AWS {service} client could not be set up: {_brief(exc)}") from None


def _brief(exc: Exception) -> str:
    return type(exc).__name__ + (f" ({str(exc).splitlines()[0][:200]})" if str(exc) else "")


def _call(who: str, settings: Settings, fn: Any, **kwargs: Any) -> Any:
    """One AWS API call, retried; every failure becomes a clean :class:`ProviderError`."""
    from botocore import exceptions as bx

    def once() -> Any:
        try:
            return fn(**kwargs)
        except bx.ClientError as exc:
            err = exc.response.get("Error", {}) if isinstance(exc.response, dict) else {}
            meta = exc.response.get("ResponseMetadata", {}) if isinstance(exc.response, dict) else {}
            status = meta.get("HTTPStatusCode")
            code = str(err.get("Code", "") or "")
            retry = code in THROTTLING or (isinstance(status, int) and (status >= 500 or status == 429))
            what = f"{status}" if status else "an error"
            raise ProviderError(f"{who} answered {what}{f' ({code})' if code else ''}", retryable=retry,
                                status=status if isinstance(status, int) else None) from None
        except (bx.ConnectTimeoutError, bx.ReadTimeoutError):
            raise ProviderError(f"{who}: timeout after {seconds(settings.timeout)}", retryable=True) from None
        except bx.EndpointConnectionError:
            raise ProviderError(f"{who} could not be reached (no connection to the endpoint)", retryable=True) from None
        except bx.NoCredentialsError:
            raise ProviderError(f"{who}: no AWS credentials in this environment (in GitHub Actions, assume a "
                                "read-only role with aws-actions/configure-aws-credentials)") from None
        except bx.NoRegionError:
            raise ProviderError(f"{who}: no AWS region (set providers.aws.region)") from None
        except bx.SSLError:
            raise ProviderError(f"{who}: TLS error talking to the endpoint") from None
        except bx.BotoCoreError as exc:
            raise ProviderError(f"{who} failed: {_brief(exc)}", retryable=False) from None

    return with_retry(once, settings)


# -- CloudWatch -------------------------------------------------------------------------------
def _alarm(a: dict[str, Any]) -> Alarm:
    stat = str(a.get("ExtendedStatistic") or a.get("Statistic") or "")
    metric = str(a.get("MetricName") or "")
    if not metric:
        for q in a.get("Metrics") or []:
            if q.get("ReturnData", True) and q.get("Expression"):
                metric = str(q["Expression"])
    thr = a.get("Threshold")
    since = a.get("StateUpdatedTimestamp") or a.get("StateTransitionedTimestamp")
    return Alarm(str(a.get("AlarmName", "")), float(thr) if isinstance(thr, (int, float)) else None,
                 str(a.get("ComparisonOperator") or ""), stat, metric, str(a.get("StateValue") or ""),
                 since if isinstance(since, dt.datetime) else None)


def describe_alarms(cfg: AwsConfig, settings: Settings, names: Iterable[str] = (), prefix: str | None = None
                    ) -> dict[str, Alarm]:
    """The metric alarms named ``names`` (or whose names start with ``prefix``), by name."""
    cw = _client("cloudwatch", cfg, settings)
    out: dict[str, Alarm] = {}
    batches: list[dict[str, Any]] = []
    todo = list(dict.fromkeys(names))
    for i in range(0, len(todo), 100):
        batches.append({"AlarmNames": todo[i:i + 100]})
    if prefix is not None:
        batches.append({"AlarmNamePrefix": prefix})
    for args in batches:
        token: str | None = None
        for _ in range(PAGES):  # pages: 100 alarms each
            kw = dict(args, AlarmTypes=["MetricAlarm"], MaxRecords=100)
            if token:
                kw["NextToken"] = token
            page = _call("CloudWatch", settings, cw.describe_alarms, **kw)
            for a in page.get("MetricAlarms") or []:
                al = _alarm(a)
                out[al.name] = al
            token = page.get("NextToken")
            if not token:
                break
        if token:
            raise ProviderError(f"CloudWatch DescribeAlarms still had alarms after {PAGES} pages of 100: not every "
                                "alarm was read (narrow the alarm names or history_prefix)")
    return out


def alarm_history(cfg: AwsConfig, settings: Settings, alarm: str, start: dt.datetime, end: dt.datetime
                  ) -> list[Transition]:
    """State changes of ``alarm`` between ``start`` and ``end``."""
    cw = _client("cloudwatch", cfg, settings)
    out: list[Transition] = []
    token: str | None = None
    for _ in range(PAGES):
        kw: dict[str, Any] = {"AlarmName": alarm, "HistoryItemType": "StateUpdate", "StartDate": start,
                              "EndDate": end, "MaxRecords": 100}
        if token:
            kw["NextToken"] = token
        page = _call("CloudWatch", settings, cw.describe_alarm_history, **kw)
        for item in page.get("AlarmHistoryItems") or []:
            old = new = ""
            try:
                data = json.loads(item.get("HistoryData") or "{}")
                old = str((data.get("oldState") or {}).get("stateValue", ""))
                new = str((data.get("newState") or {}).get("stateValue", ""))
            except (ValueError, AttributeError):
                pass
            summary = str(item.get("HistorySummary") or "")
            m = _SUMMARY.search(summary)
            if m is not None:
                old = old or m.group(1).upper()
                new = new or m.group(2).upper()
            at = item.get("Timestamp")
            if isinstance(at, dt.datetime):
                out.append(Transition(str(item.get("AlarmName") or alarm), at, old, new, summary))
        token = page.get("NextToken")
        if not token:
            break
    if token:
        # an unread page may hold the transition to ALARM: no verdict rather than a pass
        raise ProviderError(f"CloudWatch DescribeAlarmHistory of {alarm} still had items after {PAGES} pages of 100: "
                            "its history since the deployment was not read in full")
    return out


# -- SSM --------------------------------------------------------------------------------------
def parameters_exist(cfg: AwsConfig, settings: Settings, names: Iterable[str]) -> dict[str, bool]:
    """For each parameter name: does it exist (read without decryption: values stay unread)."""
    ssm = _client("ssm", cfg, settings)
    todo = list(dict.fromkeys(names))
    out: dict[str, bool] = {}
    for i in range(0, len(todo), 10):
        batch = todo[i:i + 10]
        page = _call("SSM", settings, ssm.get_parameters, Names=batch, WithDecryption=False)
        found = {str(p.get("Name")) for p in page.get("Parameters") or []}
        for n in batch:
            out[n] = n in found
    return out
