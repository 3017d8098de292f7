"""The site serves the wheel of the version it documents, with a package index pip can use,
and its Home and API pages say how to install it (docs/hooks/wheel.py)."""

from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
import zipfile
from pathlib import Path

import freshenv
import pytest
from siteserver import serve

import backpropdoc

pytestmark = pytest.mark.build

VERSION = backpropdoc.__version__
WHEEL = f"backpropdoc-{VERSION}-py3-none-any.whl"
HREF = re.compile(r'<a href="([^"]+)"[^>]*>')


def test_the_site_serves_the_wheel_of_this_version(built_site: Path) -> None:
    wheel = built_site / "dist" / WHEEL
    assert wheel.is_file()
    with zipfile.ZipFile(wheel) as archive:
        init = archive.read("backpropdoc/__init__.py").decode()
    assert f'__version__ = "{VERSION}"' in init
    assert [p.name for p in (built_site / "dist").iterdir()] == [WHEEL]


def test_the_package_index_lists_it_with_its_hash(built_site: Path) -> None:
    root = (built_site / "simple" / "index.html").read_text(encoding="utf-8")
    assert HREF.findall(root) == ["backpropdoc/"]
    project = (built_site / "simple" / "backpropdoc" / "index.html").read_text(encoding="utf-8")
    (href,) = HREF.findall(project)
    target, _, digest = href.partition("#sha256=")
    resolved = (built_site / "simple" / "backpropdoc" / target).resolve()
    assert resolved == (built_site / "dist" / WHEEL).resolve()
    assert digest == hashlib.sha256(resolved.read_bytes()).hexdigest()
    assert 'data-requires-python="&gt;=3.11"' in project


@pytest.mark.parametrize("page", ["", "reference/", "zh/", "zh/reference/"])
def test_home_and_api_pages_say_how_to_install_it(built_site: Path, page: str) -> None:
    text = (built_site / page / "index.html").read_text(encoding="utf-8")
    plain = html.unescape(re.sub(r"<[^>]+>", "", text))
    assert "pip install torch --index-url https://download.pytorch.org/whl/cpu" in plain
    assert re.search(r"pip install backpropdoc --index-url \S+/simple/", plain), page
    assert "pip install -e ." in plain
    links = [h for h in HREF.findall(text) if h.endswith(WHEEL)]
    assert links, f"{page}: no link to the wheel"
    for href in links:
        assert (built_site / page / href).resolve() == (built_site / "dist" / WHEEL).resolve()
    zh = page.startswith("zh/")
    assert ("先装仅 CPU 版的 PyTorch" in plain) == zh, page


@pytest.mark.package
def test_pip_installs_it_from_the_locally_served_site(built_site: Path, tmp_path: Path) -> None:
    """Offline: a fresh environment with torch and NumPy alone installs backpropdoc from the site's
    index, as the pages say, and nothing else (no other index is asked)."""
    python = freshenv.make(tmp_path / "venv", ["torch", "numpy", "pip"])
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull  # no extra indexes from the machine's pip config
    with serve(built_site) as site:
        proc = subprocess.run(
            [
                python,
                "-m",
                "pip",
                "install",
                "--quiet",
                "backpropdoc",
                "--index-url",
                f"{site}simple/",
            ],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = subprocess.run(
        [python, "-c", "import backpropdoc; print(backpropdoc.__version__, backpropdoc.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0] == VERSION
    assert Path(out[1]).is_relative_to(tmp_path / "venv")
