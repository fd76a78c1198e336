"""The catalog page in real headless Chromium (Debian's ``chromium``): screenshot, badges,
filters by URL hash, by keyboard, without JavaScript, in print, and injection payloads.

Skipped when Chromium is absent, failed instead when ``CI`` is set (see browser.require).
"""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from gate.cli import main
from gate.site import write_catalog
from tests.site import factory
from tests.site.browser import DevTools, dump_dom, screenshot
from tests.site.test_cli import NOW, small_repo

SVG = "{http://www.w3.org/2000/svg}"
EVIL_NAME = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','name')\">"
EVIL_OWNER = '"><script>document.documentElement.setAttribute("data-pwned","owner")</script>'

CARDS_JS = """Array.from(document.querySelectorAll('section.svc')).map(s => {
  const img = s.querySelector('img.badge');
  return {name: s.querySelector('.name').textContent, owner: s.getAttribute('data-owner'),
          ready: s.getAttribute('data-ready'), hidden: s.hidden, visible: s.offsetParent !== null,
          src: img.getAttribute('src'), alt: img.alt, loaded: img.complete && img.naturalWidth > 0,
          width: img.naturalWidth, verdict: s.querySelector('.verdict').textContent};
})"""


@pytest.fixture(scope="module")
def browser() -> Iterator[DevTools]:
    with DevTools() as d:
        yield d


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``prodgate catalog`` of a small generated repository, one service named and owned by payloads."""
    tmp = tmp_path_factory.mktemp("generated")
    repo = small_repo(tmp / "repo", {"billing": "team-x", "ledger": "team-x", "payments": "team-y", EVIL_NAME: EVIL_OWNER})
    out = tmp / "site"
    assert main(["catalog", str(repo), "--out", str(out), "--now", NOW]) == 0
    return out


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The catalog of a report with both verdicts for each of two owners."""
    out = tmp_path_factory.mktemp("mixed") / "site"
    write_catalog(factory.mixed(), out)
    return out


def url(out: Path, fragment: str = "") -> str:
    return (out / "index.html").resolve().as_uri() + (f"#{fragment}" if fragment else "")


class Sections(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cards: list[dict[str, str | None]] = []
        self.output = ""
        self._in_output = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and "svc" in (a.get("class") or ""):
            self.cards.append(a)
        self._in_output = tag == "output"

    def handle_data(self, data: str) -> None:
        if self._in_output:
            self.output += data

    def handle_endtag(self, tag: str) -> None:
        self._in_output = False


def shown(dom: str) -> tuple[list[str], str]:
    p = Sections()
    p.feed(dom)
    return [str(c["id"]).removeprefix("svc-") for c in p.cards if "hidden" not in c], p.output


def test_screenshot(generated: Path, tmp_path: Path) -> None:
    png = screenshot(url(generated), tmp_path / "catalog.png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    keep = os.environ.get("PRODGATE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "catalog.png", Path(keep) / "catalog.png")


def test_each_service_shows_its_badge(browser: DevTools, generated: Path) -> None:
    browser.open(url(generated))
    cards = browser.eval(CARDS_JS)
    entries = json.loads((generated / "catalog.json").read_text(encoding="utf-8"))["services"]
    assert [c["name"] for c in cards] == [e["name"] for e in entries]
    assert EVIL_NAME in [c["name"] for c in cards]  # shown as text
    for card, entry in zip(cards, entries, strict=True):
        mark, words = ("✓", "ready") if entry["ready"] else ("✗", "not ready")
        assert card["ready"] == ("true" if entry["ready"] else "false")
        assert card["owner"] == entry["owner"]
        assert card["src"] == "badges/" + quote(entry["name"], safe="") + ".svg"
        assert card["alt"] == f"prod-ready: {mark} {words}"
        assert card["verdict"] == words
        assert card["loaded"] and card["width"] > 50, card  # the badge file was found and rendered
        title = ET.parse(generated / entry["badge"]["svg"]).getroot().find(f"{SVG}title")
        assert title is not None and title.text == card["alt"]
        assert card["visible"]
    assert browser.eval("document.documentElement.hasAttribute('data-pwned')") is False
    assert browser.eval("document.scripts.length") == 1
    assert browser.eval("document.title") == "Production readiness catalog"


def test_badges_in_the_browser_show_both_verdicts(browser: DevTools, mixed: Path) -> None:
    browser.open(url(mixed))
    cards = {c["name"]: c for c in browser.eval(CARDS_JS)}
    assert {n: c["alt"] for n, c in cards.items()} == {
        "billing": "prod-ready: ✓ ready",
        "ledger": "prod-ready: ✗ not ready",
        "payments": "prod-ready: ✗ not ready",
        "search": "prod-ready: ✓ ready",
    }
    assert all(c["loaded"] for c in cards.values())
    ready_w = cards["billing"]["width"]
    assert ready_w == int(ET.parse(mixed / "badges" / "billing.svg").getroot().get("width", "0"))


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("", ["billing", "ledger", "payments", "search"]),
        ("owner=team-x", ["billing", "ledger"]),
        ("owner=team-y", ["payments", "search"]),
        ("ready=true", ["billing", "search"]),
        ("ready=false", ["ledger", "payments"]),
        ("owner=team-x&ready=false", ["ledger"]),
        ("owner=team-y&ready=true", ["search"]),
        ("owner=nobody-knows", ["billing", "ledger", "payments", "search"]),  # unknown owner: all
        ("ready=maybe", ["billing", "ledger", "payments", "search"]),
    ],
)
def test_filters_from_the_url_hash(mixed: Path, fragment: str, expected: list[str]) -> None:
    names, output = shown(dump_dom(url(mixed, fragment)))
    assert names == expected
    assert output == f"Showing {len(expected)} of 4 services"


def test_the_empty_state_is_announced(browser: DevTools, generated: Path) -> None:
    browser.open(url(generated, "owner=team-x&ready=true"))
    # every service of the generated repository is not ready yet, or ready: either way it is consistent
    entries = json.loads((generated / "catalog.json").read_text(encoding="utf-8"))["services"]
    expected = [e["name"] for e in entries if e["owner"] == "team-x" and e["ready"]]
    cards = browser.eval(CARDS_JS)
    assert [c["name"] for c in cards if c["visible"]] == expected
    assert browser.eval("document.getElementById('empty').hidden") is bool(expected)


def test_filters_by_keyboard_and_reflected_in_the_hash(browser: DevTools, mixed: Path) -> None:
    browser.open(url(mixed))

    def state() -> dict[str, Any]:
        result: dict[str, Any] = browser.eval(
            "({focus: document.activeElement.id || document.activeElement.className, hash: location.hash,"
            " shown: Array.from(document.querySelectorAll('section.svc')).filter(s => !s.hidden)"
            ".map(s => s.querySelector('.name').textContent),"
            " output: document.getElementById('shown').textContent})"
        )
        return result

    browser.tab()
    assert state()["focus"] == "skip"  # the skip link comes first
    browser.tab()
    assert state()["focus"] == "f-owner"
    browser.arrow_down()  # All owners → team-x
    s = state()
    assert s["hash"] == "#owner=team-x"
    assert s["shown"] == ["billing", "ledger"]
    assert s["output"] == "Showing 2 of 4 services"
    browser.tab()
    assert state()["focus"] == "f-ready"
    browser.arrow_down()  # All → ready
    browser.arrow_down()  # ready → not ready
    s = state()
    assert s["hash"] == "#owner=team-x&ready=false"
    assert s["shown"] == ["ledger"]
    browser.tab()
    assert state()["focus"] == "f-reset"
    browser.key("Enter", "Enter", 13, "\r")
    s = state()
    assert s["shown"] == ["billing", "ledger", "payments", "search"]
    assert s["hash"] == ""
    assert s["focus"] == "f-owner"
    # a shared link: changing the hash applies the filter
    browser.eval("location.hash = 'owner=team-y&ready=true'")
    browser.eval("new Promise(r => setTimeout(r, 50))")
    assert state()["shown"] == ["search"]
    assert browser.eval("[document.getElementById('f-owner').value, document.getElementById('f-ready').value]") == [
        "o:team-y", "true",
    ]


def test_in_page_links_keep_the_filters(browser: DevTools, mixed: Path) -> None:
    browser.open(url(mixed, "ready=false"))
    browser.eval("document.querySelector('a.skip').click()")
    browser.eval("new Promise(r => setTimeout(r, 50))")
    assert browser.eval("location.hash") == "#services"
    shown_names = browser.eval(
        "Array.from(document.querySelectorAll('section.svc')).filter(s => !s.hidden).map(s => s.id)"
    )
    assert shown_names == ["svc-ledger", "svc-payments"]
    assert browser.eval("document.getElementById('f-ready').value") == "false"
    # back to a filter link, then to no hash at all: everything again
    browser.eval("location.hash = 'owner=team-y'")
    browser.eval("new Promise(r => setTimeout(r, 50))")
    assert browser.eval("document.getElementById('shown').textContent") == "Showing 2 of 4 services"
    browser.eval("location.hash = ''")
    browser.eval("new Promise(r => setTimeout(r, 50))")
    assert browser.eval("document.getElementById('shown').textContent") == "Showing 4 of 4 services"


def ax_names(browser: DevTools) -> set[tuple[str, str]]:
    """(role, accessible name) of every node of Chromium's accessibility tree."""
    browser.call("Accessibility.enable")
    nodes = browser.call("Accessibility.getFullAXTree")["nodes"]
    return {
        (str(n.get("role", {}).get("value")), str(n.get("name", {}).get("value", "")))
        for n in nodes
        if not n.get("ignored")
    }


def test_accessibility_tree(browser: DevTools, mixed: Path) -> None:
    browser.open(url(mixed))
    names = ax_names(browser)
    for expected in [
        ("link", "Skip to the services"),
        ("search", "Filter services"),
        ("combobox", "Owner"),
        ("combobox", "Readiness"),
        ("button", "Show all"),
        ("heading", "billing"),
        ("region", "billing"),
        ("image", "prod-ready: ✓ ready"),
        ("heading", "ledger"),
        ("image", "prod-ready: ✗ not ready"),
        ("table", "Items to act on (2)"),
    ]:
        assert expected in names, expected
    # the badge file on its own is an image named by its title
    browser.open((mixed / "badges" / "ledger.svg").as_uri())
    assert ("image", "prod-ready: ✗ not ready") in ax_names(browser)


def test_focus_is_visible(browser: DevTools, mixed: Path) -> None:
    browser.open(url(mixed))
    browser.tab()
    browser.tab()
    outline = browser.eval("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_without_javascript_every_service_is_shown(mixed: Path) -> None:
    with DevTools() as d:
        d.call("Emulation.setScriptExecutionDisabled", {"value": True})
        d.open(url(mixed, "owner=team-x&ready=false"))
        root = d.call("DOM.getDocument")["root"]["nodeId"]
        dom = d.call("DOM.getOuterHTML", {"nodeId": root})["outerHTML"]
    names, _ = shown(dom)
    assert names == ["billing", "ledger", "payments", "search"]
    assert '<form id="filters" role="search" aria-label="Filter services" hidden="">' in dom


def test_printable(browser: DevTools, mixed: Path, tmp_path: Path) -> None:
    browser.open(url(mixed, "ready=false"))
    browser.call("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.eval("getComputedStyle(document.getElementById('filters')).display") == "none"
        assert browser.eval("getComputedStyle(document.querySelector('section.svc')).breakInside") == "avoid"
        pdf = browser.call("Page.printToPDF", {})["data"]
        assert len(pdf) > 1000
    finally:
        browser.call("Emulation.setEmulatedMedia", {"media": ""})


def test_injection_payloads_stay_text(browser: DevTools, tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_catalog(factory.hostile(), out)
    payload = factory.PAYLOADS[1]
    browser.open(url(out, "owner=" + quote(payload, safe="")))
    browser.eval("new Promise(r => setTimeout(r, 200))")  # let any (wrongly) loaded image error out
    assert browser.eval("document.documentElement.hasAttribute('data-pwned')") is False
    assert browser.eval("document.getElementById('pwned')") is None
    assert browser.eval("document.scripts.length") == 1
    assert browser.eval("document.title") == "Production readiness catalog"
    assert browser.eval("document.querySelectorAll('svg, textarea, b, iframe, object').length") == 0
    assert browser.eval("Array.from(document.querySelectorAll('*')).filter(e => "
                        "Array.from(e.attributes).some(a => a.name.startsWith('on'))).length") == 0
    text = browser.eval("document.body.innerText")
    for p in factory.PAYLOADS:
        assert p in text
    # the owner filter matched the payload owner exactly: its two services
    visible = browser.eval("Array.from(document.querySelectorAll('section.svc')).filter(s => !s.hidden).length")
    assert visible == 2
    assert browser.eval("document.getElementById('f-owner').value") == "o:" + payload
