"""Render ``{{ expr }}`` in a page's prose, tables and math as the value its own code computed.

A page never types a result: it writes ``{{ expr }}`` (or ``{{ expr :spec }}`` with a Python
format spec such as ``.3g``), and the build evaluates ``expr`` in the page's namespace after the
page's code ran (_page_code.py), in both languages. ``<!-- chain: w_11^(1) -->`` is the chain
rule of that parameter for the page's own ``net``, ``x`` and ``Y``, computed by
``backpropdoc.explain``. Code blocks and inline code are left as they are: code is shown as a
reader will run it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from _page_code import Probe, render_probes
from mkdocs.structure.pages import Page

from backpropdoc import explain

MARKER = re.compile(r"\{\{\s*(?P<expr>.+?)(?:\s+:(?P<spec>[^\s{}]*))?\s*\}\}")
CHAIN = re.compile(r"<!-- chain: (?P<parameter>\S+) -->")
# Parts of the Markdown where markers are not rendered (code) or rendered as math.
FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
SPANS = re.compile(r"(?P<code>`[^`\n]+`)|(?P<math>\$\$.+?\$\$|\$[^$\n]+?\$)", re.DOTALL)

SIGNIFICANT = ".6g"
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def number(value: Any, spec: str | None = None, *, math_mode: bool = False) -> str:
    """How a computed value reads on a page: 6 significant digits unless ``spec`` says otherwise.

    Outside math a minus is U+2212 and ``1.9e-11`` reads 1.9×10⁻¹¹; in math it is TeX.
    """
    if hasattr(value, "item") and getattr(value, "numel", lambda: 1)() == 1:
        value = value.item()  # a one-element tensor reads as its number
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"a marker must give a number or a string, not {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"a marker gave {value}: a page states finite numbers only")
    text = str(value) if isinstance(value, int) and not spec else format(value, spec or SIGNIFICANT)
    if re.fullmatch(r"-0(\.0*)?", text):
        text = text[1:]  # −0 is 0 to a reader
    mantissa, _, exponent = text.partition("e")
    if exponent:
        exponent = str(int(exponent))
        text = (
            f"{mantissa} \\times 10^{{{exponent}}}"
            if math_mode
            else f"{mantissa}×10{exponent.translate(SUPERSCRIPT)}"
        )
    return text if math_mode else text.replace("-", "\N{MINUS SIGN}")


def probes(markdown: str, where: str = "page") -> list[tuple[int, int, Probe]]:
    """Each marker of ``markdown`` outside code: its span, and how to compute what replaces it."""
    found: list[tuple[int, int, Probe]] = []
    position = 0
    for fence in [*FENCE.finditer(markdown), None]:
        end = fence.start() if fence else len(markdown)
        _text_probes(markdown, position, end, where, found)
        position = fence.end() if fence else end
    return found


def _text_probes(
    text: str, start: int, end: int, where: str, found: list[tuple[int, int, Probe]]
) -> None:
    spans = [(m.start(), m.end(), bool(m["math"])) for m in SPANS.finditer(text, start, end)]
    for chain in CHAIN.finditer(text, start, end):
        parameter = chain["parameter"]
        found.append(
            (
                chain.start(),
                chain.end(),
                Probe(chain.start(), chain.group(), _chain(parameter, where)),
            )
        )
    for marker in MARKER.finditer(text, start, end):
        inside = [math for (a, b, math) in spans if a <= marker.start() < b]
        if inside and not inside[0]:
            continue  # inline code shows code
        found.append(
            (
                marker.start(),
                marker.end(),
                Probe(marker.start(), marker.group(), _value(marker, bool(inside))),
            )
        )
    found.sort(key=lambda item: item[0])


def _value(marker: re.Match[str], math_mode: bool) -> Callable[[dict[str, Any]], str]:
    expr, spec = marker["expr"], marker["spec"]

    def compute(namespace: dict[str, Any]) -> str:
        return number(eval(expr, namespace), spec, math_mode=math_mode)  # the page's own code

    return compute


def _chain(parameter: str, where: str) -> Callable[[dict[str, Any]], str]:
    def compute(namespace: dict[str, Any]) -> str:
        missing = [name for name in ("net", "x", "Y") if name not in namespace]
        if missing:
            raise NameError(f"<!-- chain: {parameter} --> needs {missing} in {where}'s code")
        chain = explain(namespace["net"], namespace["x"], namespace["Y"], parameter)
        return f"$$\n{chain.latex()}\n$$"

    return compute


def render(markdown: str, path: str, where: str = "page") -> str:
    """``markdown`` (a page's text, front matter removed) with its markers computed by the code
    of the page at ``path``."""
    return render_probes(markdown, path, lambda text: probes(text, where), where)


def on_page_markdown(markdown: str, page: Page, **kwargs: Any) -> str:
    if not (MARKER.search(markdown) or CHAIN.search(markdown)):
        return markdown
    return render(markdown, page.file.abs_src_path or "", page.file.src_uri)
