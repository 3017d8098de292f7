"""What the release workflow must do, in order: build, test the built files, publish to PyPI by
trusted publishing (no token), attach the files to a release. (GitHub's schema, actionlint,
least privilege and Node 24 majors: tests/test_workflows.py, for every workflow.)
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_workflows import load

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return load(RELEASE)


def steps_text(job: dict[str, Any]) -> str:
    return json.dumps(job.get("steps", []))


def test_runs_on_version_tags_only(workflow: dict[str, Any]) -> None:
    assert list(workflow["on"]) == ["push"]
    assert list(workflow["on"]["push"]) == ["tags"]
    (pattern,) = workflow["on"]["push"]["tags"]
    assert pattern.startswith("v")


def test_the_tag_must_match_the_package_version(workflow: dict[str, Any]) -> None:
    build = workflow["jobs"]["build"]
    text = steps_text(build)
    assert "src/backpropdoc/__init__.py" in text and "GITHUB_REF_NAME" in text
    # The same sed the workflow runs finds the version here.
    (step,) = [s for s in build["steps"] if "__version__" in s.get("run", "")]
    sed = re.search(r"sed -n '([^']+)'", step["run"])
    assert sed, step["run"]
    found = subprocess.run(
        ["sed", "-n", sed[1], "src/backpropdoc/__init__.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    import backpropdoc

    assert found == backpropdoc.__version__


def test_least_privilege(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert "permissions" not in jobs["build"] and "permissions" not in jobs["test"]
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}
    assert jobs["github-release"]["permissions"] == {"contents": "write", "actions": "write"}


def test_builds_then_tests_then_publishes(workflow: dict[str, Any]) -> None:
    jobs = workflow["jobs"]
    build = steps_text(jobs["build"])
    assert "python -m build" in build and "twine check --strict" in build
    assert "actions/upload-artifact@" in build
    assert jobs["test"]["needs"] == "build"
    test = steps_text(jobs["test"])
    assert "BACKPROPDOC_DIST" in test and "tests/test_package.py" in test
    assert "download.pytorch.org/whl/cpu" in test, "CPU-only torch"
    assert set(jobs["pypi"]["needs"]) == {"build", "test"}
    assert jobs["github-release"]["needs"] == "pypi"


def test_publishes_with_trusted_publishing_and_no_token(workflow: dict[str, Any]) -> None:
    pypi = workflow["jobs"]["pypi"]
    assert pypi["environment"]["name"] == "pypi"
    (publish,) = [s for s in pypi["steps"] if "gh-action-pypi-publish" in s.get("uses", "")]
    assert publish["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert not {"password", "user", "repository-url"} & set(publish.get("with", {}))
    assert "secrets." not in RELEASE.read_text(encoding="utf-8")


def test_attaches_the_files_to_a_github_release(workflow: dict[str, Any]) -> None:
    text = steps_text(workflow["jobs"]["github-release"])
    assert "gh release create" in text and "dist/*" in text and "--verify-tag" in text


def test_the_pages_build_knows_the_repository_and_whether_pypi_has_the_version() -> None:
    pages = load(ROOT / ".github" / "workflows" / "pages.yml")
    (build,) = [
        step
        for job in pages["jobs"].values()
        for step in job.get("steps", [])
        if "build --strict" in step.get("run", "")
    ]
    assert build["env"]["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    assert build["env"]["BACKPROPDOC_ON_PYPI"] == "${{ steps.pypi.outputs.released }}"
    text = json.dumps(pages["jobs"])
    assert "https://pypi.org/pypi/backpropdoc/${version}/json" in text


def test_readme_says_how_to_cut_a_release() -> None:
    text = README.read_text(encoding="utf-8")
    assert "## Releasing" in text
    section = text.split("## Releasing", 1)[1].split("\n## ", 1)[0]
    for needed in ("__version__", "git tag", "trusted publisher", "release.yml", "pypi"):
        assert needed.lower() in section.lower(), needed
