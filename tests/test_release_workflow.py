"""The release workflow, checked offline like the others (tests/test_workflows.py): GitHub's
schema, actionlint, least privilege; and what a release must do, in order: build, test the
built files, publish to PyPI by trusted publishing (no token), attach the files to a release.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_workflows import FIRST_NODE24_MAJOR, actionlint, load, uses

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
README = ROOT / "README.md"

# The first major of each action that runs on Node 24 (Node 20 is retired on the runners):
# tests/test_workflows.py's table, which says where each fact comes from.
NODE24 = {
    name: FIRST_NODE24_MAJOR[name][0]
    for name in (
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-artifact",
        "actions/download-artifact",
    )
}


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return load(RELEASE)


def steps_text(job: dict[str, Any]) -> str:
    return json.dumps(job.get("steps", []))


def test_matches_the_github_schema() -> None:
    check = Path(sys.executable).with_name("check-jsonschema")
    cmd = [str(check) if check.exists() else "check-jsonschema"]
    proc = subprocess.run(
        [*cmd, "--builtin-schema", "vendor.github-workflows", str(RELEASE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint() -> None:
    proc = subprocess.run(
        [actionlint(), "-no-color", str(RELEASE)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


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


def test_actions_run_on_node_24(workflow: dict[str, Any]) -> None:
    seen = set()
    for job in workflow["jobs"].values():
        for action in uses(job):
            name, _, ref = action.partition("@")
            if name == "pypa/gh-action-pypi-publish":
                continue  # a Docker action: no Node; its maintainers publish release/v1
            assert re.fullmatch(r"v\d+", ref), action
            assert name in NODE24, f"{action}: which major runs on Node 24?"
            assert int(ref[1:]) >= NODE24[name], action
            seen.add(name)
    assert seen == set(NODE24)


def test_readme_says_how_to_cut_a_release() -> None:
    text = README.read_text(encoding="utf-8")
    assert "## Releasing" in text
    section = text.split("## Releasing", 1)[1].split("\n## ", 1)[0]
    for needed in ("__version__", "git tag", "trusted publisher", "release.yml", "pypi"):
        assert needed.lower() in section.lower(), needed
