"""The prod-ready badges: valid, self-contained, accessible SVG and the shields.io endpoint JSON."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from gate.site import badge
from gate.site.common import badge_file
from tests.site import factory

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("ready", "mark", "words"), [(True, "✓", "ready"), (False, "✗", "not ready")])
def test_svg_is_valid_xml_with_an_accessible_title(ready: bool, mark: str, words: str) -> None:
    text = badge.svg(ready)
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == f"prod-ready: {mark} {words}"
    assert root.get("aria-label") == title.text
    # the verdict is in the text itself, readable without the colour
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["prod-ready", mark]


def test_svg_colours_green_and_red() -> None:
    def fills(ready: bool) -> list[str]:
        root = ET.fromstring(badge.svg(ready))
        return [r.get("fill", "") for r in root.iter(f"{SVG}rect")]

    assert fills(True) == [badge.LABEL_BG, badge.READY_BG]
    assert fills(False) == [badge.LABEL_BG, badge.NOT_READY_BG]


@pytest.mark.parametrize("ready", [True, False])
def test_svg_width_is_computed_from_the_text(ready: bool) -> None:
    root = ET.fromstring(badge.svg(ready))
    rects = list(root.iter(f"{SVG}rect"))
    widths = [int(r.get("width", "0")) for r in rects]
    assert int(root.get("width", "0")) == sum(widths)
    assert root.get("viewBox") == f"0 0 {sum(widths)} 20"
    assert widths[0] == round(badge.text_width("prod-ready") + 2 * badge.PAD)
    # each text is centred in its box and fits it
    for rect, text in zip(rects, root.iter(f"{SVG}text"), strict=True):
        x0 = int(rect.get("x", "0"))
        w = int(rect.get("width", "0"))
        assert float(text.get("x", "0")) == pytest.approx(x0 + w / 2)
        assert int(text.get("textLength", "0")) < w


def test_text_width_grows_with_the_text() -> None:
    assert badge.text_width("prod-ready") > badge.text_width("prod")
    assert badge.text_width("mm") > badge.text_width("ii")
    assert badge.text_width("✓") > 0 and badge.text_width("日本") > badge.text_width("ab")


@pytest.mark.parametrize("ready", [True, False])
def test_svg_is_self_contained(ready: bool) -> None:
    text = badge.svg(ready)
    for needle in ("href", "url(", "<script", "<image", "<style", "@import", "http://", "https://", " id="):
        assert needle not in text.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.parametrize(("ready", "mark", "colour"), [(True, "✓", "1a7f37"), (False, "✗", "cf222e")])
def test_endpoint_json_is_shields_format(ready: bool, mark: str, colour: str) -> None:
    data = json.loads(badge.endpoint(ready))
    assert data["schemaVersion"] == 1
    assert data["label"] == "prod-ready"
    assert data["message"] == mark
    assert data["color"] == colour
    allowed = {"schemaVersion", "label", "message", "color", "labelColor", "isError", "namedLogo",
               "logoSvg", "logoColor", "logoWidth", "style", "cacheSeconds"}
    assert set(data) <= allowed
    assert all(isinstance(data[k], str) for k in ("label", "message", "color", "labelColor"))


def test_render_writes_both_badges_of_every_service() -> None:
    report = factory.mixed()
    files = badge.render(report)
    assert set(files) == {badge_file(s.name, ext) for s in report.services for ext in ("svg", "json")}
    for s in report.services:
        assert files[f"badges/{s.name}.svg"] == badge.svg(s.ready)
        assert json.loads(files[f"badges/{s.name}.json"])["message"] == ("✓" if s.ready else "✗")


def test_badges_are_a_pure_function_of_the_report() -> None:
    assert badge.render(factory.mixed()) == badge.render(factory.mixed())
