"""Two builds of the same sources give byte-identical sites.

The site is built twice, into two different temporary directories, with the same
``SOURCE_DATE_EPOCH`` (which mkdocs uses for the sitemap's ``lastmod`` and the gzip header
of ``sitemap.xml.gz``, and matplotlib for figure metadata). Everything else — dict/set order
(no fixed ``PYTHONHASHSEED``), the build path, the wall-clock time of notebook execution —
is left to vary, because it varies between a laptop and CI too.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).with_name("mkdocs")
# Text files that must match byte for byte; every other file is compared too, as bytes.
TEXT_SUFFIXES = {".html", ".xml", ".json", ".ipynb", ".js", ".css", ".svg", ".txt", ".py"}

pytestmark = pytest.mark.build


def build(site_dir: Path, cache_dir: Path) -> None:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = "1700000000"  # 2023-11-14T22:13:20Z
    env["MPLCONFIGDIR"] = str(cache_dir / "matplotlib")
    proc = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 0, f"mkdocs build failed:\n{proc.stdout}\n{proc.stderr}"


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


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    site_1, site_2 = tmp_path / "build-1" / "site", tmp_path / "build-2" / "site"
    build(site_1, tmp_path / "build-1")
    build(site_2, tmp_path / "build-2")
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
