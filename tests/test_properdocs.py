"""ProperDocs builds the site: the tests' build, the Pages workflow and `scripts/serve`.

ProperDocs is the maintained MkDocs 1.x line; it built this site byte for byte as MkDocs
1.6.1 does, apart from the generator tag (README: "Which MkDocs"). The theme is pinned to
the exact version tested, and the generator tag that overrides/main.html writes names it.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def docs_extra() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(pyproject["project"]["optional-dependencies"]["docs"])


def test_the_runners_are_properdocs() -> None:
    serve = (ROOT / "scripts" / "serve").read_text(encoding="utf-8")
    assert "properdocs serve -f mkdocs.yml" in serve
    assert "mkdocs serve" not in serve
    build = (ROOT / "tests" / "sitebuild.py").read_text(encoding="utf-8")
    assert '"-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml"' in build
    assert any(r.startswith("properdocs") for r in docs_extra())


def test_mkdocs_material_is_pinned_to_the_version_installed() -> None:
    (material,) = [r for r in docs_extra() if r.startswith("mkdocs-material")]
    pinned = re.fullmatch(r"mkdocs-material==([0-9.]+)", material)
    assert pinned, f"{material}: pin the exact version tested (Material is end of life)"
    assert pinned.group(1) == version("mkdocs-material")
    # overrides/main.html writes the generator tag itself; it names that same version.
    main = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    assert f"mkdocs-material-{pinned.group(1)}" in main


@pytest.mark.build
def test_the_site_was_built_by_properdocs(built_site: Path) -> None:
    html = (built_site / "index.html").read_text(encoding="utf-8")
    generator = re.search(r'<meta name="generator" content="([^"]*)">', html)
    assert generator, "no generator tag"
    assert f"ProperDocs {version('properdocs')}" in generator.group(1)
