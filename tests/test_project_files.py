"""The files contributors and re-users look for: licences, citation, contributing, changelog.

Code is MIT (LICENSE); the site's text and figures are CC BY 4.0 (LICENSE-docs). The
package metadata, the README, CITATION.cff and every page's footer (both languages) say so.
CITATION.cff is validated against the vendored CFF 1.2.0 schema (tests/schemas/).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import site_pages
import yaml

import backpropdoc

ROOT = Path(__file__).resolve().parents[1]
CFF_SCHEMA = ROOT / "tests" / "schemas" / "cff-1.2.0.schema.json"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def project() -> dict[str, object]:
    return dict(tomllib.loads(read("pyproject.toml"))["project"])


def test_the_code_is_mit() -> None:
    text = read("LICENSE")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert re.search(r"Copyright \(c\) 20\d\d ", text)


def test_the_pages_are_cc_by_4() -> None:
    text = read("LICENSE-docs")
    assert "SPDX-License-Identifier: CC-BY-4.0" in text
    assert CC_BY in text
    # The full legal text is there, not only a link to it.
    assert "Creative Commons Attribution 4.0 International Public License" in text
    for section in ("Section 1 – Definitions.", "Section 3 – License Conditions.", "Section 8"):
        assert section in text, section
    # It says what it covers, both editions.
    assert "docs/" in text and "*.zh.md" in text


def test_package_metadata_names_the_licence_files() -> None:
    meta = project()
    assert meta["license"] == "MIT"
    assert meta["license-files"] == ["LICENSE"]
    requires = tomllib.loads(read("pyproject.toml"))["build-system"]["requires"]
    # PEP 639 metadata (License-Expression, License-File) needs hatchling 1.27 or later.
    (hatchling,) = [r for r in requires if r.startswith("hatchling")]
    floor = re.fullmatch(r"hatchling>=(\d+)\.(\d+)", hatchling)
    assert floor and (int(floor.group(1)), int(floor.group(2))) >= (1, 27), hatchling


def test_the_readme_names_both_licences() -> None:
    text = read("README.md")
    section = text[text.index("\n## Licence\n") :]
    assert "MIT" in section and "`LICENSE`" in section
    assert "CC BY 4.0" in section and "`LICENSE-docs`" in section


def citation() -> dict[str, object]:
    return dict(yaml.safe_load(read("CITATION.cff")))


def validate_cff(path: Path) -> subprocess.CompletedProcess[str]:
    check = Path(sys.executable).with_name("check-jsonschema")
    cmd = [str(check) if check.exists() else "check-jsonschema"]
    return subprocess.run(
        [*cmd, "--schemafile", str(CFF_SCHEMA), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_citation_is_valid_cff_1_2_0() -> None:
    assert citation()["cff-version"] == "1.2.0"
    proc = validate_cff(ROOT / "CITATION.cff")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_cff_check_can_fail(tmp_path: Path) -> None:
    data = citation()
    del data["authors"]  # required by CFF 1.2.0
    broken = tmp_path / "CITATION.cff"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert validate_cff(broken).returncode != 0


def test_citation_carries_the_package_version() -> None:
    """The version is stated once, in backpropdoc.__version__; CITATION.cff follows it."""
    assert str(citation()["version"]) == backpropdoc.__version__
    static = project().get("version")
    if static is not None:  # until pyproject reads it from the package (dynamic)
        assert static == backpropdoc.__version__


def test_citation_names_both_licences() -> None:
    assert citation()["license"] == ["MIT", "CC-BY-4.0"]


def test_contributing_covers_pages_checks_and_fast_tests() -> None:
    text = read("CONTRIBUTING.md")
    for needed in (
        ".zh.md",  # a page in both languages
        "mkdocs.yml",  # where the nav lives
        "nav_translations",
        "properdocs build --strict",
        "ruff check",
        "ruff format --check",
        "mypy --strict src",
        'pytest -m "not build and not browser"',  # the fast tests
        "CHANGELOG.md",
    ):
        assert needed in text, needed


def test_changelog_has_an_entry_for_this_version() -> None:
    text = read("CHANGELOG.md")
    assert "## [Unreleased]" in text
    assert re.search(rf"^## \[{re.escape(backpropdoc.__version__)}\]", text, re.M)


@pytest.mark.build
def test_every_footer_names_the_licences(built_site: Path) -> None:
    pages = site_pages.pages(built_site)
    assert len(pages) > 20
    for page in sorted(pages):
        html = page.read_text(encoding="utf-8")
        footer = html[html.index('<div class="md-copyright">') :]
        assert 'rel="license"' in footer and "CC BY 4.0" in footer and "MIT" in footer, page
        zh = page.relative_to(built_site).parts[0] == "zh"
        assert ("文字与图表采用" in footer) == zh, page
        assert ("Text and figures" in footer) == (not zh), page
