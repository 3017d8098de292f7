"""The package as users get it: one version everywhere, a wheel and an sdist that PyPI accepts,
and a wheel that works when installed into a fresh environment that has torch and nothing else.
"""

from __future__ import annotations

import doctest
import email.parser
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import version
from pathlib import Path

import freshenv
import pytest

import backpropdoc
from backpropdoc import cli

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import hatch_build  # noqa: E402  (the project's own build hook, at the repository root)


def test_pyproject_reads_the_version_from_the_package() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = text.split("\n[project]\n", 1)[1].split("\n[", 1)[0]
    assert not re.search(r"^version\s*=", project, re.M), "a second, static version"
    assert re.search(r'^dynamic = \[[^]]*"version"', project, re.M)
    hatch_version = text.split("\n[tool.hatch.version]\n", 1)[1].split("\n[", 1)[0]
    assert 'path = "src/backpropdoc/__init__.py"' in hatch_version
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?", backpropdoc.__version__)


def test_installed_metadata_and_cli_agree_with_the_package(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The editable install's metadata is written when it is installed: after a version bump,
    # `scripts/setup` (pip install -e) brings it up to date, and this test says so until then.
    assert version("backpropdoc") == backpropdoc.__version__
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"backpropdoc {backpropdoc.__version__}\n"


def test_project_urls_come_from_the_environment() -> None:
    assert hatch_build.project_urls({}) == {}
    # mkdocs' default SITE_URL is local: never written into a wheel.
    assert hatch_build.project_urls({"SITE_URL": "http://127.0.0.1:8000/"}) == {}
    urls = hatch_build.project_urls(
        {"SITE_URL": "https://o.github.io/r", "REPO_URL": "https://github.com/o/r/"}
    )
    assert urls == {
        "Documentation": "https://o.github.io/r/",
        "Documentation (中文)": "https://o.github.io/r/zh/",
        "Source": "https://github.com/o/r",
        "Issues": "https://github.com/o/r/issues",
        "Releases": "https://github.com/o/r/releases",
    }


SITE, REPO = "https://example.github.io/backpropdoc/", "https://github.com/example/backpropdoc"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel and the sdist: the release workflow's (BACKPROPDOC_DIST names their folder,
    built with its REPO_URL and SITE_URL), else built here by `python -m build` (no isolation:
    offline, with this environment's hatchling)."""
    given = os.environ.get("BACKPROPDOC_DIST")
    if given:
        out = Path(given)
    else:
        out = tmp_path_factory.mktemp("dist")
        env = {**os.environ, "SITE_URL": SITE, "REPO_URL": REPO, "SOURCE_DATE_EPOCH": "1700000000"}
        subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
            check=True,
            capture_output=True,
            env=env,
        )
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def expected_urls() -> list[str]:
    environ = (
        os.environ if os.environ.get("BACKPROPDOC_DIST") else {"SITE_URL": SITE, "REPO_URL": REPO}
    )
    return [f"{name}, {url}" for name, url in hatch_build.project_urls(environ).items()]


def test_build_makes_a_wheel_and_an_sdist_of_this_version(dist: dict[str, Path]) -> None:
    v = backpropdoc.__version__
    assert dist["wheel"].name == f"backpropdoc-{v}-py3-none-any.whl"
    assert dist["sdist"].name == f"backpropdoc-{v}.tar.gz"


def test_twine_check_strict_passes(dist: dict[str, Path]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.values())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2, proc.stdout


def test_wheel_metadata_is_complete(dist: dict[str, Path]) -> None:
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = wheel.namelist()
        info = f"backpropdoc-{backpropdoc.__version__}.dist-info"
        metadata = email.parser.Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert metadata["Version"] == backpropdoc.__version__
    assert metadata["Requires-Python"] == ">=3.11"
    assert {"torch>=2.2", "numpy"} <= set(metadata.get_all("Requires-Dist"))
    assert metadata["Author"]
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert f"{info}/licenses/LICENSE" in names
    classifiers = metadata.get_all("Classifier")
    assert "Programming Language :: Python :: 3" in classifiers
    assert "Typing :: Typed" in classifiers
    assert metadata.get_all("Project-URL") == expected_urls()
    assert len(expected_urls()) == 5, "the release builds with REPO_URL and SITE_URL"
    # The README is the long description, as Markdown (twine check renders it).
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata.get_payload().startswith("# backpropdoc")
    assert "backpropdoc = backpropdoc.cli:main" in entry_points
    assert "backpropdoc/py.typed" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    license_files = [n for n in names if n.startswith(f"{info}/licenses/")]
    if (ROOT / "LICENSE").exists():
        assert license_files, "LICENSE is in the repository but not in the wheel"


def test_sdist_builds_the_same_package(dist: dict[str, Path]) -> None:
    with tarfile.open(dist["sdist"]) as sdist:
        names = sdist.getnames()
    top = f"backpropdoc-{backpropdoc.__version__}"
    for needed in ("pyproject.toml", "hatch_build.py", "README.md", "src/backpropdoc/__init__.py"):
        assert f"{top}/{needed}" in names, needed


def readme_doctest() -> str:
    """The README's ```python blocks, as one doctest session."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", readme, re.S | re.M)
    assert blocks, "the README shows no Python example"
    return "\n".join(blocks)


@pytest.mark.package
def test_installed_wheel_works_outside_the_checkout(
    dist: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pip installs the wheel into a fresh environment that has torch and NumPy alone; from a
    folder outside the checkout, the installed copy (not the source tree) runs the CLI and the
    README's example."""
    python = freshenv.make(tmp_path / "venv", ["torch", "numpy", "pip"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def run(*args: str) -> str:
        proc = subprocess.run(
            args, cwd=elsewhere, env=env, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout

    missing = subprocess.run(
        [python, "-c", "import backpropdoc"], cwd=elsewhere, env=env, capture_output=True
    )
    assert missing.returncode != 0, "the fresh environment already has backpropdoc"
    # No index: torch and NumPy are already there, so pip needs nothing but the wheel.
    run(str(python), "-m", "pip", "install", "--no-index", "--quiet", str(dist["wheel"]))

    where = Path(run(str(python), "-c", "import backpropdoc; print(backpropdoc.__file__)").strip())
    assert where.is_relative_to(tmp_path / "venv"), where
    assert not where.is_relative_to(ROOT), where

    script = python.with_name("backpropdoc")
    assert run(str(script), "--version") == f"backpropdoc {backpropdoc.__version__}\n"
    # The installed command prints what the checkout's prints.
    cli.main(["--lang", "en"])
    expected = capsys.readouterr().out
    assert "2-3-1" in expected
    assert run(str(script), "--lang", "en") == expected
    assert run(str(python), "-m", "backpropdoc", "--lang", "en") == expected

    # The README's example, as a doctest compared exactly, run by the installed package.
    session = readme_doctest()
    checker = (
        "import doctest, sys\n"
        "test = doctest.DocTestParser().get_doctest(sys.stdin.read(), {}, 'README', 'README', 0)\n"
        "runner = doctest.DocTestRunner()\n"
        "runner.run(test)\n"
        "print(runner.summarize(verbose=False))\n"
        "sys.exit(1 if runner.failures else 0)\n"
    )
    proc = subprocess.run(
        [str(python), "-c", checker],
        input=session,
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    attempted = len(doctest.DocTestParser().get_examples(session))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"attempted={attempted}" in proc.stdout and attempted > 0, proc.stdout
