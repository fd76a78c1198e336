"""sdk.package: package.json name, version, build script, GitHub Packages registry."""

from __future__ import annotations

from pathlib import Path

from gate.model import Status
from tests.checks.core_fixture import SDK_PACKAGE, evaluate, line_of

ID = "sdk.package"


def test_complete_package_passes_and_says_publication_is_not_checked(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID)
    assert r.status == Status.PASS and "not checked live" in r.reason


def test_wrong_registry_at_its_line(tmp_path: Path) -> None:
    text = SDK_PACKAGE.replace("https://npm.pkg.github.com", "https://registry.npmjs.org")
    r = evaluate(tmp_path, ID, sdk_package=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert "publishConfig.registry is 'https://registry.npmjs.org'" in f.message
    assert f.path == "packages/sdk-payments/package.json" and f.line == line_of(text, "publishConfig")


def test_wrong_name_no_version_no_build(tmp_path: Path) -> None:
    text = '{\n  "name": "sdk-payments",\n  "scripts": {"test": "x"},\n  "publishConfig": {"registry": "https://npm.pkg.github.com/"}\n}\n'
    r = evaluate(tmp_path, ID, sdk_package=text)
    assert r.status == Status.FAIL
    assert [f.line for f in r.findings] == [2, 1, 3]
    assert "@platform/sdk-payments" in r.findings[0].message
    assert "version" in r.findings[1].message and "build script" in r.findings[2].message


def test_invalid_json_is_a_finding_with_line(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, sdk_package='{\n  "name": "x",\n}\n')
    assert r.status == Status.FAIL and r.findings[0].line == 3


def test_no_sdk_package_fails(tmp_path: Path) -> None:
    r = evaluate(tmp_path, ID, sdk_package=None)
    assert r.status == Status.FAIL and "has no SDK package" in r.findings[0].message


def test_private_package_cannot_be_published(tmp_path: Path) -> None:
    text = SDK_PACKAGE.replace('  "version"', '  "private": true,\n  "version"')
    r = evaluate(tmp_path, ID, sdk_package=text)
    assert r.status == Status.FAIL
    (f,) = r.findings
    assert f.message == ('package is `"private": true`, which npm refuses to publish: remove `private` so the SDK '
                         "can be published to GitHub Packages")
    assert f.path == "packages/sdk-payments/package.json" and f.line == line_of(text, '"private"')
