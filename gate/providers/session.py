"""The live providers of one run (what the command line says about them is
:class:`gate.context.Providers`, ``RunInfo.providers``): once started, the configured providers with their thread pool and the
memo of every query (:class:`Live`), each query answering a :class:`LiveVerdict`.

What a check calls (one tiny function per item) is :class:`gate.providers.live.ServiceLive`."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.config.providers import ProvidersConfig, Timing
from gate.model import Finding
from gate.providers.base import ProviderError, Settings

DEFAULT_TIMEOUT = 5.0
DEFAULT_RETRIES = 2
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


def not_asked(provider: str, why: str) -> LiveVerdict:
    """No verdict, and nothing was asked."""
    return LiveVerdict(None, why, (), provider, asked=False)


def _first(*values: float | None) -> float:
    return next(float(v) for v in values if v is not None)


class Live:
    """The providers of one run."""

    def __init__(self, config: ProvidersConfig, offline: bool = False, root: Path | None = None,
                 environ: Mapping[str, str] | None = None, workers: int = 8) -> None:
        self.config = config
        self.offline = offline
        self.root = root
        self.environ = environ if environ is not None else os.environ
        self._pool: ThreadPoolExecutor | None = None
        self._workers = workers
        self._memo: dict[tuple[Any, ...], Future[LiveVerdict]] = {}
        self._lock = threading.Lock()

    # -- plumbing ---------------------------------------------------------------------------
    def settings(self, name: str) -> Settings:
        """Timeout and retries of provider ``name``: its own keys, else ``providers.timeout_seconds``
        / ``providers.retries``, else the defaults (5 s, 2 retries)."""
        sec = self.config.configured(name)
        own = sec.timing if sec is not None else Timing()
        every = self.config.timing
        timeout = _first(own.timeout_seconds, every.timeout_seconds, DEFAULT_TIMEOUT)
        retries = int(_first(own.retries, every.retries, DEFAULT_RETRIES))
        backoff = _first(own.backoff_seconds, every.backoff_seconds, min(1.0, timeout / 2))
        cap = 4 * backoff
        # default budget: every attempt timing out, every wait at its longest, and a second of slack
        budget = max(timeout, _first(self.config.budget_seconds, timeout * (retries + 1) + cap * retries + 1.0))
        return Settings(timeout=timeout, attempts=retries + 1, backoff=backoff, cap=cap, budget=budget)

    def unavailable(self, name: str) -> LiveVerdict | None:
        """Why provider ``name`` will not be asked (offline, not configured), or None."""
        label = LABEL[name]
        if self.offline:
            return not_asked(label, f"--offline: {label} was not asked")
        if self.config.configured(name) is None:
            return not_asked(label, f"no {label} provider configured (providers.{name} in .github/prod-readiness.yml)")
        return None

    @property
    def idle(self) -> bool:
        """Nothing will be asked in this run (``--offline``, or no provider configured)."""
        return self.offline or not self.config.any()

    def ca_bundle(self, ca: str | None) -> str | None:
        """The CA bundle ``ca`` (a provider's ``ca_bundle``), relative to the repository root."""
        if not ca:
            return None
        p = Path(ca)
        if not p.is_absolute() and self.root is not None:
            p = self.root / p
        return str(p)

    def token(self, token_env: str | None, default_env: str, fallbacks: tuple[str, ...] = ()
              ) -> tuple[str | None, str]:
        """(the credential, the variable it was read from or should be)."""
        env = token_env or default_env
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
