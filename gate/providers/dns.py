"""DNS: the per-stage hostnames resolve (``deployment.dns``), with dnspython.

Queries go to the configured resolvers (default: the system's, from ``/etc/resolv.conf``) on
the configured port, over UDP (TCP when truncated), for ``A`` then ``AAAA``. NXDOMAIN or no
address disproves the item; a timeout, SERVFAIL or a refused query leaves it unverified
(SERVFAIL and timeouts are retried).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from gate.providers.base import ProviderError, Settings, seconds, with_retry


@dataclass(frozen=True)
class Resolution:
    name: str
    addresses: tuple[str, ...]
    #: None when it resolves, else why not ("NXDOMAIN", "no A or AAAA record")
    problem: str | None


def _query(name: str, rdtype: str, server: str, port: int, settings: Settings) -> tuple[str, list[str]]:
    try:
        import dns.exception
        import dns.flags
        import dns.message
        import dns.query
        import dns.rcode
        import dns.rdatatype
    except ImportError:
        raise ProviderError("dnspython is not installed (pip install 'prodgate[live]')") from None
    q = dns.message.make_query(name, rdtype)
    q.flags |= dns.flags.RD
    try:
        resp = dns.query.udp(q, server, timeout=settings.timeout, port=port)
        if resp.flags & dns.flags.TC:
            resp = dns.query.tcp(q, server, timeout=settings.timeout, port=port)
    except dns.exception.Timeout:
        raise ProviderError(f"DNS timeout after {seconds(settings.timeout)} (resolver {server}:{port})",
                            retryable=True) from None
    except (OSError, dns.exception.DNSException) as exc:
        raise ProviderError(f"DNS resolver {server}:{port} could not be reached ({type(exc).__name__})",
                            retryable=True) from None
    rcode = dns.rcode.to_text(resp.rcode())
    if rcode == "SERVFAIL":
        raise ProviderError(f"DNS resolver {server}:{port} answered SERVFAIL for {name}", retryable=True)
    if rcode not in ("NOERROR", "NXDOMAIN"):
        raise ProviderError(f"DNS resolver {server}:{port} answered {rcode} for {name}")
    want = dns.rdatatype.from_text(rdtype)
    addrs = [r.to_text() for rr in resp.answer if rr.rdtype == want for r in rr]
    return rcode, addrs


def default_nameservers() -> list[str]:
    try:
        import dns.resolver

        return [str(n) for n in dns.resolver.Resolver().nameservers][:3]
    except Exception:  # no resolv.conf, dnspython missing: the caller says so
        return []


def resolve(name: str, settings: Settings, nameservers: list[str] | None = None, port: int = 53) -> Resolution:
    servers = nameservers or default_nameservers()
    if not servers:
        raise ProviderError("DNS: no resolver configured and none found in /etc/resolv.conf "
                            "(set providers.dns.nameservers)")
    last: ProviderError | None = None
    for server in servers:
        try:
            rcode, addrs = with_retry(partial(_query, name, "A", server, port, settings), settings)
            if rcode == "NXDOMAIN":
                return Resolution(name, (), f"{name} does not exist in DNS (NXDOMAIN from {server})")
            if not addrs:
                rcode, addrs = with_retry(partial(_query, name, "AAAA", server, port, settings), settings)
            if not addrs:
                return Resolution(name, (), f"{name} has no A or AAAA record (resolver {server})")
            return Resolution(name, tuple(sorted(addrs)), None)
        except ProviderError as exc:
            last = exc
    assert last is not None
    raise last
