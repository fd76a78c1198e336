"""What every provider shares: the error type, the bounded retry, the settings, small HTTP.

- :class:`ProviderError` carries a clean, token-free reason ("PagerDuty answered 401",
  "DNS timeout after 2 s") and whether trying again may help.
- :func:`with_retry` retries a call that raised a retryable :class:`ProviderError` with
  exponential backoff and full jitter, bounded by a number of attempts and a time budget.
- :func:`http_request` is a read-only HTTPS GET (stdlib ``urllib``): TLS verified against the
  system roots or a configured CA bundle, a timeout, redirects not followed, a bounded body.
"""

from __future__ import annotations

import json
import random
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

#: the most a provider reads from one answer
MAX_BODY = 8 * 1024 * 1024


class ProviderError(Exception):
    """A provider could not give an answer. ``str(exc)`` is the reason, never a secret."""

    def __init__(self, message: str, retryable: bool = False, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status
        #: what the server asked to wait (``Retry-After``), honoured within the time budget
        self.retry_after = retry_after


@dataclass(frozen=True)
class Settings:
    """Timeout and retry of one provider."""

    timeout: float = 5.0
    #: attempts in all (1 = no retry)
    attempts: int = 3
    backoff: float = 0.5
    cap: float = 4.0
    #: the most all attempts of one query may take, waits included
    budget: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    rand: Callable[[], float] = field(default=random.random, repr=False, compare=False)

    def wait(self, attempt: int) -> float:
        """Before attempt ``attempt + 1``: a random wait in [d/2, d], d = backoff·2^(attempt-1) capped."""
        d = min(self.cap, self.backoff * (2 ** (attempt - 1)))
        return float(d / 2 + self.rand() * d / 2)


def seconds(t: float) -> str:
    """``2`` → "2 s", ``0.5`` → "0.5 s"."""
    return f"{t:g} s"


def with_retry(fn: Callable[[], T], settings: Settings) -> T:
    """``fn()``, retried on a retryable :class:`ProviderError` with exponential backoff and
    jitter, at most ``settings.attempts`` times and within ``settings.budget`` seconds."""
    start = time.monotonic()
    attempt = 1
    while True:
        try:
            return fn()
        except ProviderError as exc:
            if not exc.retryable or attempt >= settings.attempts:
                if attempt > 1 and exc.retryable:
                    raise ProviderError(f"{exc.message} (after {attempt} attempts)", False, exc.status) from None
                raise
            delay = max(settings.wait(attempt), exc.retry_after or 0.0)
            if time.monotonic() - start + delay + settings.timeout > settings.budget:
                raise ProviderError(f"{exc.message} (gave up after {attempt} attempts: time budget "
                                    f"{seconds(settings.budget)})", False, exc.status) from None
            settings.sleep(delay)
            attempt += 1


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self, who: str) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ProviderError(f"{who} answered {self.status} with a body that is not JSON") from None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        return None


def plain_http_allowed(who: str, url: str) -> None:
    """Credentials go over TLS: ``http://`` is accepted only for a loopback stand-in (tests)."""
    import ipaddress
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        return
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "http" or not loopback:
        raise ProviderError(f"{who}: {parts.scheme or 'a schemeless'} URL refused for {host or url}: use https "
                            "(plain http only for a stand-in on loopback)")


def tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    """A verifying TLS context: the system roots, or ``ca_bundle`` (a PEM file) instead."""
    try:
        return ssl.create_default_context(cafile=ca_bundle) if ca_bundle else ssl.create_default_context()
    except (OSError, ssl.SSLError) as exc:
        raise ProviderError(f"the CA bundle {ca_bundle} cannot be used: {getattr(exc, 'strerror', None) or exc}") from None


def http_request(who: str, url: str, settings: Settings, headers: Mapping[str, str] | None = None,
                 ca_bundle: str | None = None) -> Answer:
    """GET ``url``. Network failures, timeouts, 429 and 5xx raise a retryable
    :class:`ProviderError` naming ``who``; any other status is returned (the caller judges it).
    Redirects are returned as they are, not followed."""
    req = urllib.request.Request(url, headers=dict(headers or {}), method="GET")
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=tls_context(ca_bundle)), _NoRedirect())
    try:
        with opener.open(req, timeout=settings.timeout) as resp:
            body = resp.read(MAX_BODY + 1)
            status = int(resp.status)
            hdrs = {k.lower(): v for k, v in resp.headers.items()}
    except urllib.error.HTTPError as exc:
        status = int(exc.code)
        hdrs = {k.lower(): v for k, v in (exc.headers or {}).items()}
        try:
            body = exc.read(64 * 1024)
        except (OSError, ValueError):
            body = b""
    except urllib.error.URLError as exc:
        raise _network(who, exc.reason, settings) from None
    except TimeoutError as exc:
        raise _network(who, exc, settings) from None
    except (OSError, ValueError) as exc:
        raise _network(who, exc, settings) from None
    if status == 429 or status >= 500:
        raise ProviderError(f"{who} answered {status}", retryable=True, status=status,
                            retry_after=_retry_after(hdrs.get("retry-after")))
    return Answer(status, hdrs, body[:MAX_BODY])


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds (an HTTP date is not waited for: the backoff applies)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _network(who: str, reason: Any, settings: Settings) -> ProviderError:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return ProviderError(f"{who}: timeout after {seconds(settings.timeout)}", retryable=True)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return ProviderError(f"{who}: TLS certificate not trusted ({reason.verify_message})", retryable=False)
    if isinstance(reason, ssl.SSLError):
        return ProviderError(f"{who}: TLS error ({reason.reason or reason})", retryable=False)
    if isinstance(reason, ConnectionRefusedError):
        return ProviderError(f"{who} could not be reached (connection refused)", retryable=True)
    if isinstance(reason, socket.gaierror):
        return ProviderError(f"{who} could not be reached (name not resolved)", retryable=True)
    text = getattr(reason, "strerror", None) or str(reason)
    return ProviderError(f"{who} could not be reached ({text})", retryable=True)
