"""Two builds of the same sources give byte-identical sites.

The session's ``built_site`` is build 1; this test builds once more, into another temporary
directory, with the very same command and environment (``tests/sitebuild.py``), and compares
every file byte for byte: HTML, sitemap (+ .gz), search index, notebooks, assets.

mkdocs takes the sitemap's ``lastmod`` (and the gzip header of ``sitemap.xml.gz``) from
``SOURCE_DATE_EPOCH`` when it is set — CI and the Pages workflow set it — and from today's
UTC date otherwise, so locally two builds on either side of midnight UTC would differ there.
Nothing else is pinned: dict/set order (no ``PYTHONHASHSEED``), the build path and the time
of notebook execution vary, as they do between a laptop and CI.

This test once failed now and then on a busy machine: the notebook kernel's printed text
arrived split into stream messages at load-dependent points, and the page showed one print as
two outputs. docs/hooks/notebook_execution.py merges them after execution
(tests/test_notebook_execution.py splits a print on purpose).
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from sitebuild import Build

# Text files that must match byte for byte; every other file is compared too, as bytes.
TEXT_SUFFIXES = {".html", ".xml", ".json", ".ipynb", ".js", ".css", ".svg", ".txt", ".py"}

pytestmark = pytest.mark.build


def files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def excerpt(a: Path, b: Path, name: str, context: int = 1, limit: int = 30) -> str:
    if a.suffix not in TEXT_SUFFIXES:
        da, db = a.read_bytes(), b.read_bytes()
        at = next((i for i, (x, y) in enumerate(zip(da, db, strict=False)) if x != y), None)
        at = min(len(da), len(db)) if at is None else at
        return (
            f"{name}: binary, {len(da)} vs {len(db)} bytes, first difference at byte {at}:\n"
            f"  {da[max(0, at - 40) : at + 40]!r}\n  {db[max(0, at - 40) : at + 40]!r}"
        )
    la = a.read_text(encoding="utf-8", errors="replace").splitlines()
    lb = b.read_text(encoding="utf-8", errors="replace").splitlines()
    if len(la) < 5 and len(lb) < 5:  # minified: one huge line; show around the first change
        ta, tb = "\n".join(la), "\n".join(lb)
        at = next((i for i, (x, y) in enumerate(zip(ta, tb, strict=False)) if x != y), 0)
        return f"{name}:\n  build 1: …{ta[max(0, at - 120) : at + 120]}…\n" + (
            f"  build 2: …{tb[max(0, at - 120) : at + 120]}…"
        )
    diff = difflib.unified_diff(la, lb, "build-1/" + name, "build-2/" + name, n=context)
    lines = [line[:300] for line in diff]
    more = f"\n… ({len(lines) - limit} more diff lines)" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def test_two_builds_are_byte_identical(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    # Build 2 starts first, so that it runs alongside build 1 when build 1 is still to come
    # (this test runs first: tests/conftest.py).
    build_2 = Build(tmp_path / "site")
    site_1 = request.getfixturevalue("built_site")
    site_2 = build_2.wait()
    files_1, files_2 = files(site_1), files(site_2)

    assert sorted(files_1) == sorted(files_2), (
        f"the builds wrote different files: only in build 1: "
        f"{sorted(set(files_1) - set(files_2))}; only in build 2: "
        f"{sorted(set(files_2) - set(files_1))}"
    )
    assert any(name.endswith(".html") for name in files_1)
    assert "sitemap.xml" in files_1
    assert "search/search_index.json" in files_1

    differing = [n for n in files_1 if files_1[n].read_bytes() != files_2[n].read_bytes()]
    if differing:
        # HTML, sitemap, search index and notebooks first: they are what the test is about.
        differing.sort(key=lambda n: (Path(n).suffix not in {".html", ".xml", ".json"}, n))
        first = differing[0]
        pytest.fail(
            f"{len(differing)} of {len(files_1)} files differ between two builds: "
            f"{differing[:20]}{' …' if len(differing) > 20 else ''}\n\n"
            f"first: {first}\n{excerpt(files_1[first], files_2[first], first)}",
            pytrace=False,
        )
