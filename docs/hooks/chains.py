"""Render ``<!-- chain: w_11^(1) -->`` as the explainer's LaTeX for the running example.

The derivations with real numbers on the pages are computed at build time by
``backpropdoc.explain``, so the rendered math cannot drift from the package.
"""

from __future__ import annotations

import re
from typing import Any

from backpropdoc import explain, seed_network

MARKER = re.compile(r"<!-- chain: (?P<parameter>\S+) -->")


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    net = seed_network()

    def render(match: re.Match[str]) -> str:
        chain = explain(net, [2.0, 3.0], 5.0, match["parameter"])
        return f"$$\n{chain.latex()}\n$$"

    return MARKER.sub(render, markdown)
