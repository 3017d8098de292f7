"""The checks are themselves checked (issue 10, section 3): a wrong number on a page fails a test.

Numbers are sampled from the pages as they are now (no line numbers are written down here) and
changed one at a time in a copy of the page, in process, without building the site:

- a printed doctest output changed by one unit of its last digit (0.3125 → 0.3126): running the
  page as the build runs it (``run_page``) must fail, in the English and in the Chinese pages;
- a marker replaced by the value it renders, or by a wrong value, typed in by hand (prose,
  tables, inline and display math, admonitions, figure captions, headings; both editions): the
  lint (``typed_numbers``) must flag it;
- a hook's input: the running example's ``x`` or ``Y`` changed in a page's code must fail its
  doctests, and a chain rendered with another ``Y`` or ``x`` than the page's must fail the chain
  check (``chain_problems``, also run on every page as a normal test).

Each test collects a catch table and fails unless every mutation is caught; the counts are in
the assertion message. The playground's JavaScript is mutated in
tests/browser/test_playground_math.py.
"""

from __future__ import annotations

import functools
import math
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from doctest import Example as DocTestExample
from pathlib import Path
from typing import Any

import pytest

from backpropdoc import manual_gradients, parameters
from tests.doc_examples import sybil
from tests.page_numbers import typed_numbers

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
sys.path.insert(0, str(DOCS / "hooks"))

import _page_code  # noqa: E402  (docs hooks, importable once their folder is on the path)
import facts  # noqa: E402
from _page_code import PageCodeError, Probe, run_page  # noqa: E402


def _language(page: Path) -> str:
    return "zh" if page.name.endswith(".zh.md") else "en"


RENDERED_NUMBER = re.compile(
    r"[−-]?\d+(?:\.\d+)?(?:e[+-]?\d+|×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+|[ ]\\times 10\^\{-?\d+\})?"
)


def _nudge(number: str) -> str:
    """``number`` with the last digit of its mantissa moved by one: 0.3125 → 0.3126,
    496.125 → 496.126, 1.9×10⁻¹¹ → 1.8×10⁻¹¹ (a 9 goes down, every other digit up). In a
    text that is not one number (a marker may render a message), its last digit moves."""
    cut = len(number)
    if RENDERED_NUMBER.fullmatch(number):
        cut = min([i for i in map(number.find, ("×", "\\times", "e")) if i >= 0], default=cut)
    digits = [m.start() for m in re.finditer(r"\d", number[:cut])]
    assert digits, f"no digit in {number!r}"
    at = digits[-1]
    digit = int(number[at])
    return number[:at] + str(digit + 1 if digit < 9 else 8) + number[at + 1 :]


def _sample(items: list[Any], count: int, seed: str) -> list[Any]:
    """``count`` of ``items`` picked by a fixed seed, in their order (the same every run while
    the pages are the same; a new page or number changes the pick, never the rule)."""
    picked = sorted(random.Random(seed).sample(range(len(items)), min(count, len(items))))
    return [items[i] for i in picked]


@dataclass(frozen=True)
class Mutation:
    kind: str
    page: Path
    line: int
    before: str
    after: str
    text: str  # the whole mutated page

    def __str__(self) -> str:
        return f"{self.kind}: {self.page.name}:{self.line}: {self.before!r} → {self.after!r}"


def _copy(tmp_path: Path, mutation: Mutation) -> Path:
    """The mutated page, under its own name, in a folder of its own."""
    folder = tmp_path / f"m{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    copy = folder / mutation.page.name
    copy.write_text(mutation.text, encoding="utf-8")
    return copy


def _report(kind: str, mutations: list[Mutation], missed: list[Mutation]) -> str:
    caught = len(mutations) - len(missed)
    line = f"{kind}: {caught} caught of {len(mutations)}"
    print(line)
    return line + "".join(f"\n  missed {m}" for m in missed)


# (a) Printed output, one unit of its last digit off ---------------------------------------

OUTPUT_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?!\w)")


def output_numbers(page: Path) -> list[tuple[int, re.Match[str]]]:
    """Every number a doctest of ``page`` shows as printed: (0-based line, match in that line).

    A traceback's stack is not compared by doctest, so only its exception lines count."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found = []
    for example in sybil().parse(page):
        parsed = example.parsed
        if not isinstance(parsed, DocTestExample) or not parsed.want:
            continue
        first = example.line - 1 + len(parsed.source.splitlines())
        shown = range(first, first + len(parsed.want.splitlines()))
        if parsed.exc_msg is not None:
            shown = shown[len(shown) - len(parsed.exc_msg.splitlines()) :]
        for index in shown:
            found += [(index, match) for match in OUTPUT_NUMBER.finditer(lines[index])]
    return found


def printed_output_mutations(page: Path, count: int) -> Iterator[Mutation]:
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for index, match in _sample(output_numbers(page), count, page.name):
        line = lines[index]
        wrong = _nudge(match.group())
        changed = line[: match.start()] + wrong + line[match.end() :]
        mutated = "".join(lines[:index]) + changed + "".join(lines[index + 1 :])
        yield Mutation("printed output", page, index + 1, match.group(), wrong, mutated)


def _fails_to_run(tmp_path: Path, mutation: Mutation) -> bool:
    try:
        run_page(_copy(tmp_path, mutation))
    except PageCodeError:
        return True
    return False


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_printed_output_off_by_one_digit_fails_the_page(tmp_path: Path, language: str) -> None:
    pages = [page for page in PAGES if _language(page) == language and output_numbers(page)]
    assert len(pages) >= 5, f"too few {language} pages with printed output to sample"
    mutations = []
    for page in pages:
        run_page(page)  # the page as it is runs clean, so a failure below is the mutation's
        mutations += printed_output_mutations(page, 2)
    missed = [m for m in mutations if not _fails_to_run(tmp_path, m)]
    assert not missed, _report(f"printed output ({language})", mutations, missed)
    _report(f"printed output ({language})", mutations, missed)


def test_a_number_changed_in_the_chinese_page_only_fails_it(tmp_path: Path) -> None:
    """The English original stays as it is and passes; its Chinese page alone is wrong."""
    mutations = []
    for page in PAGES:
        original = page.with_name(page.name.replace(".zh.md", ".md"))
        if _language(page) == "zh" and output_numbers(page) and original.exists():
            run_page(original)
            mutations += printed_output_mutations(page, 1)
    assert mutations
    missed = [m for m in mutations if not _fails_to_run(tmp_path, m)]
    assert not missed, _report("Chinese page only", mutations, missed)


# (b) A marker's value typed in by hand ----------------------------------------------------

MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.DOTALL)


def place(text: str, offset: int) -> str:
    """Where on the page the marker at ``offset`` stands, as a reader would name it."""
    start = text.rfind("\n", 0, offset) + 1
    line = text[start : text.find("\n", offset)]
    if re.search(r"!\[[^\]]*$", text[start:offset]):
        return "figure caption"
    if line.lstrip().startswith("|"):
        return "table cell"
    above = text[:start].splitlines()
    while above and (not above[-1].strip() or above[-1][:1].isspace()):
        above.pop()
    if line[:1].isspace() and above and re.match(r"(!!!|\?\?\?\+?) ", above[-1]):
        return "admonition"
    if line.startswith("#"):
        return "heading"
    unfenced = facts.FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    for span in MATH.finditer(unfenced):
        if span.start() <= offset < span.end():
            return "display math" if span.group().startswith("$$") else "inline math"
    return "prose"


@dataclass(frozen=True)
class Marker:
    page: Path
    start: int
    end: int
    rendered: str
    place: str

    @property
    def expr(self) -> str:
        return self.page.read_text(encoding="utf-8")[self.start : self.end]


def markers(page: Path) -> list[Marker]:
    """Every ``{{ expr }}`` of ``page`` with the value the build renders for it."""
    text = page.read_text(encoding="utf-8")
    found = [(s, e, p) for s, e, p in facts.probes(text, page.name) if p.key.startswith("{{")]
    values = run_page(page, [p for *_, p in found])
    return [
        Marker(page, s, e, value, place(text, s))
        for (s, e, _), value in zip(found, values, strict=True)
    ]


def typed_in_mutations(marker: Marker) -> Iterator[Mutation]:
    if not re.search(r"\d", marker.rendered):
        return  # a marker that renders words states no number
    if "__version__" in marker.expr:
        return  # a software version is a label that a page may type (README, "Writing pages")
    text = marker.page.read_text(encoding="utf-8")
    line = text.count("\n", 0, marker.start) + 1
    for how, typed in [("its value", marker.rendered), ("a wrong value", _nudge(marker.rendered))]:
        mutated = text[: marker.start] + typed + text[marker.end :]
        kind = f"{marker.place}, {_language(marker.page)}, {how}"
        yield Mutation(kind, marker.page, line, text[marker.start : marker.end], typed, mutated)


@functools.cache
def _typed_before(page: Path) -> int:
    return len(typed_numbers(page.read_text(encoding="utf-8")))


@functools.cache
def all_markers() -> list[Marker]:
    return [marker for page in PAGES for marker in markers(page)]


def test_a_marker_typed_in_by_hand_is_flagged() -> None:
    """Every marker of every page, typed in as its own value and as a wrong one."""
    mutations = [m for marker in all_markers() for m in typed_in_mutations(marker)]
    missed = [m for m in mutations if len(typed_numbers(m.text)) <= _typed_before(m.page)]
    kinds = sorted({m.kind.rsplit(", ", 1)[0] for m in mutations})
    assert not missed, _report("typed in", mutations, missed) + f"\n  places: {kinds}"
    _report("typed in", mutations, missed)


SYNTHETIC = {
    # Places where no page has a marker today: the same marker put there in a copy of a page.
    "display math": "\n\n$$\ny = {{ EXPR }}\n$$\n\n",
    "table cell": "\n\n| quantity | value |\n|---|---|\n| it | {{ EXPR }} |\n\n",
    "admonition": '\n\n!!! note "Check"\n    It is {{ EXPR }} here.\n\n',
    "figure caption": "\n\n![It is {{ EXPR }} here](network.svg)\n\n",
}


@pytest.mark.parametrize("where", sorted(SYNTHETIC))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_place_is_checked(tmp_path: Path, where: str, language: str) -> None:
    """Each place a result can stand, in each edition: a marker there renders, and its value
    typed in by hand there is flagged. Places the pages use are sampled from the pages; the
    others get a page's own marker moved there."""
    real = [m for m in all_markers() if m.place == where and _language(m.page) == language]
    if real:
        marker = _sample(real, 1, f"{where}{language}")[0]
        mutations = list(typed_in_mutations(marker))
    else:
        numeric = [m for m in all_markers() if _language(m.page) == language and m.place == "prose"]
        source = _sample([m for m in numeric if re.search(r"\d", m.rendered)], 1, where)[0]
        text = source.page.read_text(encoding="utf-8")
        expression = text[source.start : source.end][2:-2].strip()
        paragraph_end = text.find("\n\n", source.end)
        construct = SYNTHETIC[where].replace("EXPR", expression)
        moved = text[:paragraph_end] + construct + text[paragraph_end:]
        copy = tmp_path / source.page.name
        copy.write_text(moved, encoding="utf-8")
        marker = next(m for m in markers(copy) if m.start == paragraph_end + construct.index("{{"))
        assert marker.place == where and re.search(r"\d", marker.rendered)
        mutations = list(typed_in_mutations(marker))
    assert mutations
    before = len(typed_numbers(mutations[0].page.read_text(encoding="utf-8")))
    missed = [m for m in mutations if len(typed_numbers(m.text)) <= before]
    assert not missed, _report(f"{where} ({language})", mutations, missed)


# (c) The hooks' inputs --------------------------------------------------------------------

EXAMPLE_LINE = re.compile(r"^[ \t]*(?:>>> )?(?:x\s*,\s*Y|x|Y)\s*=.*$", re.MULTILINE)
FLOAT = re.compile(r"(?<![\w.])\d+\.\d+")


def _read_by_a_hook(text: str, names: list[str], after: int) -> bool:
    """Whether a chain or a marker below ``after`` reads one of ``names`` (the hooks' input)."""
    later = text[after:]
    if facts.CHAIN.search(later) and {"x", "Y"} & set(names):
        return True
    return any(
        re.search(rf"\b{name}\b", marker["expr"])
        for marker in facts.MARKER.finditer(later)
        for name in names
    )


def example_input_mutations(page: Path) -> Iterator[Mutation]:
    """The running example's x and Y in the page's code, each number changed by one, where a
    hook reads them. (forward.md rebinds x to a tensor for one check that holds for any x_2,
    since x_2 meets only zero weights, and no hook reads it: that change is equivalent.)"""
    text = page.read_text(encoding="utf-8")
    for fence in facts.FENCE.finditer(text):
        if not fence.group().lstrip(" \t`~").startswith("python"):
            continue
        for line in EXAMPLE_LINE.finditer(text, fence.start(), fence.end()):
            code = line.group().split("#")[0]
            if not re.search(r"\[2\.0, 3\.0\]|\b5\.0\b", code):
                continue  # another x or Y (a random batch), not the running example
            names = re.findall(r"\b[xY]\b", code.split("=")[0])
            if not _read_by_a_hook(text, names, fence.end()):
                continue
            for number in FLOAT.finditer(code):
                at = line.start() + number.start()
                wrong = f"{float(number.group()) + 1:.1f}"
                mutated = text[:at] + wrong + text[line.start() + number.end() :]
                lineno = text.count("\n", 0, at) + 1
                yield Mutation("example input", page, lineno, number.group(), wrong, mutated)


def test_the_running_example_changed_in_a_page_fails_its_doctests(tmp_path: Path) -> None:
    mutations = [m for page in PAGES for m in example_input_mutations(page)]
    assert {m.page.name for m in mutations} >= {"backward.md", "backward.zh.md"}
    for page in {m.page for m in mutations}:
        run_page(page)
    missed = [m for m in mutations if not _fails_to_run(tmp_path, m)]
    assert not missed, _report("example input", mutations, missed)
    _report("example input", mutations, missed)


CHAIN_END = re.compile(r"=\s*(?P<value>[^=]+?)\s*\\end\{aligned\}\s*\$\$\s*\Z")


def _tex_number(text: str) -> float:
    mantissa, _, exponent = text.partition("\\times 10^")
    return float(mantissa) * (10 ** int(exponent.strip("{}")) if exponent else 1)


def _gradient(parameter: str) -> Callable[[dict[str, Any]], str]:
    def compute(namespace: dict[str, Any]) -> str:
        net, x, Y = namespace["net"], namespace["x"], namespace["Y"]
        grads = manual_gradients(net, x, Y)
        return repr(next(p for p in parameters(net) if p.text == parameter).gradient(grads))

    return compute


def chain_problems(page: Path) -> tuple[int, list[str]]:
    """How many chains ``page`` renders, and what is wrong with them: each must end in the
    value of ``manual_gradients`` for its parameter on the page's own ``net``, ``x``, ``Y``,
    and where the prose after it states numbers (up to the next heading, chain or code
    block), one of them is that gradient or its size."""
    text = page.read_text(encoding="utf-8")
    found = facts.probes(text, page.name)
    chains = [(i, s, e, p) for i, (s, e, p) in enumerate(found) if p.key.startswith("<!--")]
    extra = [Probe(s, f"gradient {p.key}", _gradient(p.key.split()[2])) for _, s, _, p in chains]
    values = run_page(page, [p for *_, p in found] + extra)
    rendered, gradients = values[: len(found)], values[len(found) :]
    problems = []
    for (index, _, end, probe), gradient_text in zip(chains, gradients, strict=True):
        gradient = float(gradient_text)
        match = CHAIN_END.search(rendered[index])
        if match is None:
            problems.append(f"{probe.key}: no final value in {rendered[index]!r}")
            continue
        final = _tex_number(match["value"])
        if not math.isclose(final, gradient, rel_tol=1e-5, abs_tol=1e-12):
            problems.append(f"{probe.key} renders {final}, manual_gradients gives {gradient}")
        stop = re.search(r"^#|^```|<!-- chain:", text[end:], re.MULTILINE)
        beside = end + (stop.start() if stop else len(text) - end)
        stated = [
            value
            for (start, _, p), value in zip(found, rendered, strict=True)
            if end <= start < beside and p.key.startswith("{{")
        ]
        wanted = {facts.number(v, math_mode=m) for v in (gradient, -gradient) for m in (0, 1)}
        if stated and not wanted & set(stated):
            problems.append(f"{probe.key} renders {final}; the prose beside it says {stated}")
    return len(chains), problems


CHAIN_PAGES = [page for page in PAGES if facts.CHAIN.search(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", CHAIN_PAGES, ids=[p.name for p in CHAIN_PAGES])
def test_every_chain_is_the_package_gradient_and_what_the_prose_says(page: Path) -> None:
    count, problems = chain_problems(page)
    assert count and not problems, "\n".join(problems)


HOOK_MUTATIONS: dict[str, Callable[[Any, Any], tuple[Any, Any]]] = {
    "Y + 1": lambda x, Y: (x, Y + 1.0),
    "x_1 + 1": lambda x, Y: ([x[0] + 1.0, *x[1:]], Y),
}


@pytest.mark.parametrize("change", sorted(HOOK_MUTATIONS))
def test_a_chain_hook_fed_another_example_fails_the_chain_check(
    monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    assert CHAIN_PAGES
    for page in CHAIN_PAGES:
        assert chain_problems(page)[1] == []
    explain = facts.explain

    def mutated(net: Any, x: Any, Y: Any, parameter: str) -> Any:
        return explain(net, *HOOK_MUTATIONS[change](x, Y), parameter)

    monkeypatch.setattr(facts, "explain", mutated)
    monkeypatch.setattr(_page_code, "_results", {})  # the cache knows nothing of the hook
    missed = [page.name for page in CHAIN_PAGES if not chain_problems(page)[1]]
    caught = len(CHAIN_PAGES) - len(missed)
    assert not missed, f"chain hook ({change}): {caught} caught of {len(CHAIN_PAGES)}: {missed}"


# facts.number: how a computed value reads --------------------------------------------------

NUMBERS = [
    ((0.3125,), {}, "0.3125"),
    ((496.125,), {}, "496.125"),
    ((1 / 3,), {}, "0.333333"),
    ((123456789.0,), {}, "1.23457×10⁸"),
    ((-2.0,), {}, "\N{MINUS SIGN}2"),
    ((-2.0,), {"math_mode": True}, "-2"),
    ((-0.0,), {}, "0"),
    ((-0.0001,), {"spec": ".2f"}, "0.00"),
    ((1.9e-11,), {}, "1.9×10⁻¹¹"),
    ((1.9e-11,), {"math_mode": True}, "1.9 \\times 10^{-11}"),
    ((-1.9e-11,), {}, "\N{MINUS SIGN}1.9×10⁻¹¹"),
    ((0.12689,), {"spec": ".2g"}, "0.13"),
    ((13,), {}, "13"),
    ((13,), {"spec": "03d"}, "013"),
    (("words",), {}, "words"),
]


@pytest.mark.parametrize(("args", "options", "shown"), NUMBERS)
def test_number_reads_as_the_site_prints(
    args: tuple[Any], options: dict[str, Any], shown: str
) -> None:
    assert facts.number(*args, **options) == shown


def test_number_reads_a_one_element_tensor_as_its_value() -> None:
    import torch

    assert facts.number(torch.tensor([[-2.5]], dtype=torch.float64)) == "\N{MINUS SIGN}2.5"


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_number_rejects_what_a_page_cannot_state(value: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        facts.number(value)


@pytest.mark.parametrize("value", [True, None, [1.0]])
def test_number_rejects_what_is_not_a_number(value: Any) -> None:
    with pytest.raises(TypeError, match="number"):
        facts.number(value)
