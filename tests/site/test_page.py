"""index.html as a pure function of the Report: structure, accessibility hooks, no network, and
every repository string escaped (real injection payloads; the browser test runs them too)."""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

import pytest

from gate.model import Report
from gate.site import page
from gate.site.common import badge_url
from tests.site import factory


class Tree(HTMLParser):
    """Tags with their attributes, the text of each element kind, script and style bodies."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._raw = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw == "script":
            self.scripts.append(data)
        elif self._raw == "style":
            self.styles.append(data)
        else:
            self.text.append(data)


def parse(report: Report) -> Tree:
    t = Tree()
    t.feed(page.render(report))
    t.close()
    return t


def sha(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_one_card_per_service_with_badge_owner_status_tier() -> None:
    t = parse(factory.mixed())
    cards = [a for tag, a in t.tags if tag == "section" and "svc" in (a.get("class") or "")]
    assert [(c["data-owner"], c["data-ready"]) for c in cards] == [
        ("team-x", "true"), ("team-x", "false"), ("team-y", "false"), ("team-y", "true"),
    ]
    imgs = [a for tag, a in t.tags if tag == "img"]
    assert [(i["src"], i["alt"]) for i in imgs] == [
        ("badges/billing.svg", "prod-ready: ✓ ready"),
        ("badges/ledger.svg", "prod-ready: ✗ not ready"),
        ("badges/payments.svg", "prod-ready: ✗ not ready"),
        ("badges/search.svg", "prod-ready: ✓ ready"),
    ]
    text = " ".join(t.text)
    assert "ledger: the runbook lacks a rollback section" in text
    assert "services/ledger/RUNBOOK.md:7" in text
    assert "artifacts.runbook" in text and "deployment.dns" in text
    assert "Prod monitor" in text and "pending" in text
    assert "4 services, 2 ready for prod, 2 not ready" in text


def test_filters_are_labelled_controls() -> None:
    t = parse(factory.mixed())
    ids = {a.get("id") for tag, a in t.tags if tag == "select"}
    assert ids == {"f-owner", "f-ready"}
    labels = {a.get("for") for tag, a in t.tags if tag == "label"}
    assert ids <= labels
    owners = [a["value"] for tag, a in t.tags if tag == "option"]
    assert owners == ["", "o:team-x", "o:team-y", "", "true", "false"]
    # no control is taken out of the keyboard order
    assert all("tabindex" not in a for _, a in t.tags)
    # without the script the form (useless then) stays hidden and every service is shown
    form = next(a for tag, a in t.tags if tag == "form")
    assert "hidden" in form
    assert not any("hidden" in a for tag, a in t.tags if tag == "section")


def test_no_network_and_inline_code_pinned_by_csp() -> None:
    html = page.render(factory.mixed())
    t = parse(factory.mixed())
    assert "://" not in html  # no URL to anywhere: no CDN, no font, no analytics
    for tag, a in t.tags:
        assert tag not in ("link", "iframe", "object", "embed", "base")
        for name in ("src", "href", "action"):
            v = a.get(name)
            if v is not None:
                assert v.startswith(("badges/", "#")), v
    csp = next(a["content"] for tag, a in t.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None
    assert "default-src 'none'" in csp
    assert len(t.scripts) == 1 and len(t.styles) == 1
    assert f"'sha256-{sha(t.scripts[0])}'" in csp
    assert f"'sha256-{sha(t.styles[0])}'" in csp
    assert "@media print" in t.styles[0]


@pytest.mark.parametrize("payload", factory.PAYLOADS)
def test_every_repository_string_is_escaped(payload: str) -> None:
    report = factory.hostile()
    t = parse(report)
    # structure: only our own elements and attributes
    assert [tag for tag, _ in t.tags].count("script") == 1
    assert not any(tag in ("b", "svg", "textarea") for tag, _ in t.tags)
    for tag, attrs in t.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name in {
                "lang", "charset", "http-equiv", "content", "name", "class", "href", "id", "role", "aria-label",
                "hidden", "for", "value", "aria-live", "data-owner", "data-ready", "aria-labelledby", "src",
                "alt", "height", "scope", "aria-hidden", "type",
            }, (tag, name)
            if name in ("src", "href"):
                assert value is not None and not value.lower().startswith("javascript"), value
    # the text is shown as text, exactly
    text = "".join(t.text)
    assert payload in text
    assert payload.replace("/", "") in text  # as a service name too
    # data-owner round-trips exactly (the filter compares it with the option value)
    owners = {a["data-owner"] for tag, a in t.tags if tag == "section"}
    assert payload in owners
    assert f"o:{payload}" in {a["value"] for tag, a in t.tags if tag == "option"}


def test_badge_urls_stay_relative_for_any_name() -> None:
    assert badge_url("payments") == "badges/payments.svg"
    assert badge_url("javascript:alert(1)") == "badges/javascript%3Aalert%281%29.svg"
    assert badge_url('"><img src=x onerror=1>') == "badges/%22%3E%3Cimg%20src%3Dx%20onerror%3D1%3E.svg"


def test_many_findings_are_capped() -> None:
    from gate.model import Finding, ServiceReport

    its = factory.items(fail={"data.brand-id": [Finding(f"table t{n} lacks brand_id", "m.sql", n + 1) for n in range(50)]})
    html = page.render(factory.report(ServiceReport("db", "services/db", its, "stable", "team-db", 1)))
    assert html.count("lacks brand_id") == page.MAX_FINDINGS
    assert "and 30 more" in html


def test_control_characters_cannot_break_lines_or_terminals() -> None:
    s = factory.service("x", "team\x1b[31m-red\n", ready=False, message="line one\nline two\x00")
    html = page.render(factory.report(s))
    assert "\x1b" not in html and "\x00" not in html
    assert 'data-owner="team-red "' in html and 'value="o:team-red "' in html  # the escape sequence removed whole
    assert "line one line two" in html


def test_one_service_is_singular() -> None:
    html = page.render(factory.report(factory.service("solo", "team", ready=True)))
    assert "1 service, 1 ready for prod, 0 not ready" in html
    assert "Showing 1 of 1 service<" in html
