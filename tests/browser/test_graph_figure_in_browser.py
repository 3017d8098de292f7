"""The computational graph on the backward page, in Chromium: readable at 360 px and 1280 px,
in the light and the dark scheme, in both languages.

Screenshots of each go to test-artifacts/graph-*.png, to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_the_graph_is_readable(page: Page, site_url: str, lang: str, scheme: str, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + ("zh/" if lang == "zh" else "") + "backward/")
    expect(page.locator("body")).to_have_attribute(
        "data-md-color-scheme", "slate" if scheme == "dark" else "default"
    )
    figure = page.locator(".bpd-graph").first
    figure.scroll_into_view_if_needed()
    svg = figure.locator("svg")
    # Drawn at its own size, never shrunk to the column: the text keeps its size.
    box = svg.bounding_box()
    assert box is not None
    assert box["width"] == pytest.approx(float(svg.get_attribute("width") or 0), abs=1)
    sizes = svg.evaluate(
        "s => [...s.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert min(sizes) >= 11
    # Where the column is narrower than the figure, it scrolls sideways, by keyboard too.
    scroll = figure.locator(".bpd-graph-scroll")
    overflow = scroll.evaluate("e => e.scrollWidth > e.clientWidth")
    assert overflow == (box["width"] > scroll.evaluate("e => e.clientWidth"))
    assert scroll.get_attribute("tabindex") == "0"
    # Text and boxes follow the scheme; the inactive part is another colour than the rest.
    colours = svg.evaluate(
        """s => {
        const fill = q => getComputedStyle(s.querySelector(q)).fill;
        return {
          page: getComputedStyle(document.body).backgroundColor,
          box: fill('.bpd-node:not(.bpd-inactive) rect'),
          name: fill('.bpd-node:not(.bpd-inactive) .bpd-name'),
          grad: fill('.bpd-node:not(.bpd-inactive) .bpd-grad'),
          inactive: fill('.bpd-node.bpd-inactive .bpd-name'),
        };
      }"""
    )
    assert colours["box"] == colours["page"]
    assert len({colours["name"], colours["grad"], colours["inactive"], colours["box"]}) == 4
    ARTIFACTS.mkdir(exist_ok=True)
    figure.screenshot(path=ARTIFACTS / f"graph-{lang}-{scheme}-{width}.png")
