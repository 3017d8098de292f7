"""Numbers typed by hand in a page's prose, tables and math (README "Writing pages" has the rule).

A page states a result (a value, a loss, a gradient, a learning rate, a step, a count) only
through a ``{{ expr }}`` marker, which the build fills from the page's own code. What is left
after taking away code, markers and labels must hold no number. Labels are:

- sub- and superscripts (``w_{11}^{(1)}``, ``x_1``, ``(y - Y)^2``) and the ½ of the loss
  (``\\frac{1}{2}``, ``\\tfrac12``, ``½``);
- names that carry digits: ``BP1``, ``2-3-1``, ``x1``, ``float64``, ``W^(2)``;
- which neuron, layer, row or column ("neuron 3", "layer 2", 第 2 层, 第 3 个神经元);
- versions of software ("PyTorch 2.13", "Python 3.11") and years;
- the number of a numbered list item or heading (``1. ``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}).*?^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
REMOVED = [
    re.compile(r"<!--.*?-->", re.DOTALL),  # comments, chain markers among them
    re.compile(r"\{\{.*?\}\}", re.DOTALL),  # computed numbers
    re.compile(r"`[^`\n]+`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<[^>\n]+>"),  # HTML tags and their attributes
    re.compile(r"\{\s*(?:[#.:]|\w+=)[^}\n]*\}"),  # attribute lists ({ #id .class width="720" })
]
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)
MATH_LABELS = [
    # Definitions, typed as they are defined: relu' is 0 or 1, the kink at z = 0, the 2ε of a
    # central difference, the exponent of (y - Y)² brought down.
    re.compile(r"relu\}'(?:\([^()]*\))?\s*=\s*[01](?![.\d])"),
    re.compile(r"\bz(?![_^])\s*=\s*0(?![.\d])"),
    re.compile(r"(?<=\{)\s*2\s*(?=\\epsilon\s*\})"),  # only as a denominator: {2 \epsilon}
    re.compile(r"\b2\s*(?=\(y\s*-\s*Y\))"),
    re.compile(r"^\$\(\d\)\$$"),  # a layer's name: layer $(1)$
    re.compile(r"\\t?frac\s*(?:\{\s*1\s*\}\s*\{\s*2\s*\}|12)"),  # the ½ of the loss
    re.compile(r"[_^]\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?\w)"),  # sub- and superscripts
    re.compile(r"\\begin\{cases\}.*?\\end\{cases\}", re.DOTALL),  # a definition by cases
    re.compile(r"(?:[<>]=?|\\[lg]eq?|\\neq|[≤≥≠])\s*0(?![.\d])"),  # a comparison with zero
    re.compile(r"\\max\s*\((?:[^()]|\([^()]*\))*,\s*0\s*\)"),  # relu's definition, max(z, 0)
    re.compile(r"\b1\s*-\s*[yY]\b"),  # a probability's complement: cross-entropy, σ' = y(1 - y)
    re.compile(r"\\text\{[^{}]*\}"),  # words in math, (BP1) among them
    re.compile(r"\\t?frac\s*\{\s*1\s*\}\s*\{\s*n\s*\}"),  # the mean over n samples
    # indices and L: one digit in a 2-3-1 network (l is the loss too: $l = 12.5$ is a result)
    re.compile(r"\b[jklLs]\s*=\s*\d(?![.\d])(?:\s*,\s*(?:\d(?![.\d])|\\[lc]?dots))*"),
    re.compile(r"\\[a-zA-Z]+"),  # TeX commands (\mathbb, \ell ...)
]
# Not within 12 characters after "tanh" or "sigmoid" (a lookbehind has a fixed width: one each).
NOT_TANH = "".join(f"(?<!{name}.{{{n}}})" for name in ("tanh", "sigmoid") for n in range(13))
TEXT_LABELS = [
    re.compile(r"½"),
    re.compile(r"(?:[<>]=?|[≤≥≠])\s*0(?![.\d])"),  # a comparison with zero: z ≤ 0
    # relu's slopes, by definition 0 or 1
    re.compile(r"\b(?:0 or 1|1 or 0|between 0 and 1|0 和 1|0 或 1|1 或 0|0 到 1)\b"),
    re.compile(r"\bslope\b[^.;:]{0,20}?\b(?:is|of)\s+[01]\b"),
    # (ReLU's, not tanh's or sigmoid's: "tanh 在零附近的斜率为 1" is a result)
    re.compile(NOT_TANH + r"斜率[^，。；]{0,6}?(?:是|为)\s*[01](?![.\d])"),
    re.compile(r"[A-Za-z_]+\d[\w.]*|\d+(?:-\d+)+(?!\.\d)|\d+[A-Za-z_][\w]*"),  # BP1, 2-3-1, 3rd
    re.compile(
        # "the output layer 4" names its layer already: the 4 is a count, not a label
        r"\b(?:(?<!output )(?<!hidden )(?<!input )layers?"
        r"|neurons?|rows?|columns?|cells?|lines?|issues?|section|chapter)\s+\d+"
        r"(?:\s*(?:,|and|or|to|–)\s*\d+)*",
        re.IGNORECASE,
    ),
    # which neuron or layer, not a count: "每层 16 个神经元" is 16 per layer
    re.compile(r"第\s*\d+\s*(?:个|层|行|列|节)|(?<!每)(?:神经元|层)\s*\d+(?![\d.]*\s*个)"),
    re.compile(
        r"\b(?:PyTorch|torch|Python|MkDocs|backpropdoc|Material|Sybil|numpy)\s+\d+(?:\.\d+)*"
    ),
    re.compile(r"(?:\bCC BY(?:-SA)?|\bAttribution|署名)\s+\d+(?:\.\d+)*"),  # licence versions
    re.compile(r"\b(?:19|20)\d\d\b"),  # years
    re.compile(r"\b\d+\s*[×x]\s*\d+\b(?![⁻⁰¹²³⁴⁵⁶⁷⁸⁹])"),  # shapes: a 3×2 matrix, not 3×10⁻⁹
    re.compile(r"(?:\bshape|形状)\D{0,4}\(\d+(?:,\s*\d+)*\)"),  # shapes: of shape (3, 2)
    re.compile(r"(?:\bfrom|从)\s*[01]\b"),  # counting from 1 (paper) or 0 (Python)
    re.compile(r"^\s*(?:#+\s*)?\d+[.)]\s", re.MULTILINE),  # list items and numbered headings
]
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class TypedNumber:
    path: str
    line: int
    number: str
    context: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.number!r} in {self.context!r}"


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    """Replace each match with spaces (newlines kept), so offsets and line numbers stay."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def typed_numbers(markdown: str, path: str = "<page>") -> list[TypedNumber]:
    """Every number in ``markdown`` that is neither in code, nor a marker, nor a label."""
    text = _blank(markdown, FENCE)
    for pattern in REMOVED:
        text = _blank(text, pattern)

    spans = list(MATH.finditer(text))
    prose = text
    for span in spans:
        prose = prose[: span.start()] + " " * len(span.group()) + prose[span.end() :]
    for pattern in TEXT_LABELS:
        prose = _blank(prose, pattern)
    merged = prose
    for span in spans:
        math = span.group()
        for pattern in MATH_LABELS:
            math = _blank(math, pattern)
        merged = merged[: span.start()] + math + merged[span.end() :]
    lines = markdown.splitlines()
    found = []
    for match in NUMBER.finditer(merged):
        line = markdown.count("\n", 0, match.start()) + 1
        found.append(TypedNumber(path, line, match.group(), lines[line - 1].strip()[:120]))
    return found


def page_typed_numbers(path: Path) -> list[TypedNumber]:
    """A Markdown page's typed numbers, or those of a notebook's (jupytext) Markdown cells."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        import jupytext

        notebook = jupytext.reads(text, fmt="py:percent")
        text = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return typed_numbers(text, str(path))
