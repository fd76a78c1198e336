"""HTTP: GET a service's ``/healthz`` over verified TLS (``deployment.dev-healthz``).

An answer other than 200 disproves the item (a 5xx after the bounded retries included: the
service answered, unhealthy); no answer (timeout, refused connection, TLS not trusted) leaves
it unverified.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from gate.providers.base import ProviderError, Settings, http_request, with_retry

DEFAULT_URL = "https://{service}.{stage}.platform.loop.health/healthz"


@dataclass(frozen=True)
class Health:
    url: str
    status: int | None  # None: no answer
    message: str
    elapsed: float = 0.0


def healthz(url: str, settings: Settings, ca_bundle: str | None = None) -> Health:
    """GET ``url``: ``status`` 200 proves it; another status disproves it. No answer raises
    :class:`ProviderError`."""
    start = time.monotonic()
    try:
        ans = with_retry(lambda: http_request(f"GET {url}", url, settings, {"User-Agent": "prodgate"}, ca_bundle),
                         settings)
    except ProviderError as exc:
        if exc.status is not None:
            return Health(url, exc.status, exc.message, time.monotonic() - start)
        raise
    took = time.monotonic() - start
    where = f" (redirect to {ans.headers.get('location')})" if 300 <= ans.status < 400 else ""
    return Health(url, ans.status, f"GET {url} answered {ans.status}{where}", took)
