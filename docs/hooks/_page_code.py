"""Run a docs page's Python blocks at build time, exactly as the doc tests run them.

The numbers a page states in prose, tables, math and figures are values its own code computed
(``{{ expr }}`` markers, see facts.py): so the build runs that code, with the doc tests' Sybil
configuration (tests/doc_examples.py), and stops if any printed output differs from the page.
Each marker is evaluated where it stands: after the blocks above it ran, before those below,
so a name the page rebinds later, or a tensor it changes in place, reads as the prose around it
says. A marker that names something not defined yet (prose introducing the block below it) is
evaluated after the first code block that defines it has run to its end.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # mkdocs puts only the hooks' folder on the path
    sys.path.insert(0, str(ROOT))

from tests.doc_examples import sybil  # noqa: E402  (needs ROOT on the path)

PACKAGE = ROOT / "src" / "backpropdoc"


class PageCodeError(Exception):
    """A block failed, printed other than the page shows, or a marker failed."""


@dataclass(frozen=True)
class Probe:
    """Something to compute from the page's namespace at ``offset`` of the page's text."""

    offset: int
    key: str  # what it computes, for the cache and for messages
    compute: Callable[[dict[str, Any]], str]


def _fingerprint(path: Path, probes: Sequence[Probe]) -> str:
    digest = hashlib.sha256(path.read_bytes())
    for source in sorted(PACKAGE.rglob("*.py")):
        digest.update(source.read_bytes())
    for probe in probes:
        digest.update(f"{probe.offset}:{probe.key}\0".encode())
    return digest.hexdigest()


_results: dict[str, list[str]] = {}


def run_page(path: Path | str, probes: Sequence[Probe] = ()) -> list[str]:
    """Run the page at ``path`` and return what each probe computed, in order.

    Raises PageCodeError naming the page and line of the first example or probe that fails.
    Results are kept while the page, the probes and the package are unchanged.
    """
    path = Path(path).resolve()
    key = _fingerprint(path, probes)
    if key not in _results:
        _results[key] = _run(path, sorted(probes, key=lambda p: p.offset), list(probes))
    return _results[key]


def _run(path: Path, by_offset: list[Probe], in_order: list[Probe]) -> list[str]:
    config = sybil()
    document = config.parse(path)
    namespace = document.namespace
    if config.setup is not None:
        config.setup(namespace)
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    done: dict[int, str] = {}
    waiting: list[Probe] = []  # markers that name something the page defines further down

    def attempt(probe: Probe) -> bool:
        try:
            done[id(probe)] = probe.compute(namespace)
        except NameError:
            return False
        except Exception as error:
            raise PageCodeError(f"{where}: {probe.key} failed: {error!r}") from error
        return True

    def probe_until(offset: float) -> None:
        while by_offset and by_offset[0].offset < offset:
            probe = by_offset.pop(0)
            if not attempt(probe):
                waiting.append(probe)

    previous_end = 0
    for example in document:
        if "```" in document.text[previous_end : example.start]:
            # a code block ended since the last example: what it defined is there now
            waiting[:] = [probe for probe in waiting if not attempt(probe)]
        probe_until(example.start)
        try:
            example.evaluate()
        except Exception as error:  # a doctest that prints something else is a SybilFailure
            raise PageCodeError(f"{where}, line {example.line}: {error}") from error
        previous_end = example.end
    waiting[:] = [probe for probe in waiting if not attempt(probe)]
    probe_until(float("inf"))
    for probe in waiting:
        try:
            done[id(probe)] = probe.compute(namespace)
        except Exception as error:
            raise PageCodeError(f"{where}: {probe.key} failed: {error!r}") from error
    return [done[id(probe)] for probe in in_order]


def render_probes(
    markdown: str,
    path: Path | str,
    find: Callable[[str], list[tuple[int, int, Probe]]],
    where: str = "page",
) -> str:
    """``markdown`` (the page at ``path`` as a hook sees it) with each span ``find`` locates
    replaced by what its probe computes from the page's code."""
    from mkdocs.exceptions import PluginError

    in_source = find(Path(path).read_text(encoding="utf-8"))
    in_markdown = find(markdown)
    if [p.key for *_, p in in_source] != [p.key for *_, p in in_markdown]:
        raise PluginError(f"{where}: the markers of the page changed before its hook ran")
    try:
        values = run_page(path, [probe for *_, probe in in_source])
    except PageCodeError as error:
        raise PluginError(f"the code of {where} failed at build time:\n{error}") from error
    for (start, end, _), value in reversed(list(zip(in_markdown, values, strict=True))):
        markdown = markdown[:start] + value + markdown[end:]
    return markdown
