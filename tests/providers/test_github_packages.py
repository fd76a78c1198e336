"""GitHub Packages provider (sdk.package) against a stand-in validated with GitHub's OpenAPI."""

from __future__ import annotations

import pytest

from tests.providers.conftest import FAST, PackagesStandIn, service_live


def cfg(p: PackagesStandIn) -> str:
    return FAST + f"  github_packages:\n    api_url: {p.url}\n"


def test_published_version_proves_it(packages: PackagesStandIn) -> None:
    v = service_live(cfg(packages)).package()
    assert v.proven is True and v.message == "@platform/sdk-payments@1.8.0 is published in GitHub Packages"
    assert packages.requests[0][1] == "/orgs/platform/packages/npm/sdk-payments/versions?per_page=100&page=1&state=active"


def test_unpublished_version_disproves_it_at_the_version_line(packages: PackagesStandIn) -> None:
    packages.versions[("platform", "sdk-payments")] = ["1.7.2", "1.7.1"]
    v = service_live(cfg(packages)).package()
    assert v.proven is False
    f = v.findings[0]
    assert f.message == ("@platform/sdk-payments@1.8.0 is not published in GitHub Packages (published: 1.7.2, 1.7.1): "
                         "publish it (the release workflow runs pnpm publish) or set version to a published one")
    assert (f.path, f.line) == ("packages/sdk-payments/package.json", 3)


def test_unknown_package_disproves_it(packages: PackagesStandIn) -> None:
    packages.versions.clear()
    v = service_live(cfg(packages)).package()
    assert v.proven is False and "is not published in the platform organisation's GitHub Packages" in v.message


def test_pages_are_followed(packages: PackagesStandIn) -> None:
    packages.versions[("platform", "sdk-payments")] = [f"0.0.{i}" for i in range(150)] + ["1.8.0"]
    assert service_live(cfg(packages)).package().proven is True
    assert len(packages.requests) == 2


def test_timeout_is_no_verdict(packages: PackagesStandIn) -> None:
    packages.fail(200, times=3, stall=0.8)
    v = service_live(cfg(packages)).package()
    assert v.proven is None and v.message == "GitHub Packages: timeout after 0.5 s (after 3 attempts)"


def test_5xx_then_success(packages: PackagesStandIn) -> None:
    packages.fail(502, times=2)
    assert service_live(cfg(packages)).package().proven is True


def test_401_and_403_are_no_verdict(packages: PackagesStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    packages.fail(403, times=1, body=b'{"message": "Resource not accessible by integration"}')
    v = service_live(cfg(packages)).package()
    assert v.proven is None and v.message.startswith("GitHub Packages answered 403 (the token may not read packages")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_notTHEtokenATall000000")
    v = service_live(cfg(packages)).package()
    assert v.proven is None and v.message == "GitHub Packages answered 401 (the token is not valid)"
    assert "notTHEtoken" not in v.message
