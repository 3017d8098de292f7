"""The site serves the wheel of the version it documents, and says how to install it.

At build time the package is built into a wheel (hatchling, in this process: offline) and
served at ``dist/backpropdoc-<version>-py3-none-any.whl``, with a one-project package index
(PEP 503) at ``simple/``, whose address stays the same from one version to the next:

    pip install backpropdoc --index-url <site_url>simple/

A ``<!-- install -->`` line in a page becomes the page's install instructions, in its language:
CPU-only torch first, then backpropdoc from this site, from PyPI, or from a checkout; with a
link to the repository when REPO_URL is set (mkdocs.yml's repo_url).

The wheel is byte-identical from one build to the next (hatchling's reproducible builds: file
times from SOURCE_DATE_EPOCH), like the rest of the site.
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import posixpath
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hatchling.builders.wheel import WheelBuilder
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import backpropdoc

ROOT = Path(__file__).resolve().parents[2]
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TORCH_CPU = f"pip install torch --index-url {TORCH_CPU_INDEX}"
MARKER = re.compile(r"^<!-- install -->$", re.M)
# The site says whether this version is on PyPI (the Pages workflow asks PyPI before it builds).
ON_PYPI = "BACKPROPDOC_ON_PYPI"


@dataclass(frozen=True)
class Wheel:
    name: str
    content: bytes

    @property
    def uri(self) -> str:
        """Where the site serves it, relative to site_url."""
        return f"dist/{self.name}"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for name in ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE"):
        if (ROOT / name).is_file():
            digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    for name in ("SITE_URL", "REPO_URL", "SOURCE_DATE_EPOCH"):
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    return digest.hexdigest()


@functools.cache
def _build(fingerprint: str) -> Wheel:
    with tempfile.TemporaryDirectory() as out:
        (path,) = WheelBuilder(str(ROOT)).build(directory=out, versions=["standard"])
        wheel = Wheel(os.path.basename(path), Path(path).read_bytes())
    expected = f"backpropdoc-{backpropdoc.__version__}-py3-none-any.whl"
    if wheel.name != expected:
        raise PluginError(f"built {wheel.name}, but the pages document {expected}")
    return wheel


def wheel() -> Wheel:
    """The wheel of the package the pages were built with (built once per source state)."""
    return _build(_fingerprint())


def released_on_pypi() -> bool:
    return os.environ.get(ON_PYPI, "").strip().lower() in ("1", "true", "yes")


def index_url(config: MkDocsConfig) -> str:
    return f"{site_url(config)}simple/"


def site_url(config: MkDocsConfig) -> str:
    url = config.site_url or "http://127.0.0.1:8000/"
    return url if url.endswith("/") else url + "/"


def wheel_url(config: MkDocsConfig) -> str:
    return site_url(config) + wheel().uri


def _simple_root() -> str:
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        '<meta name="pypi:repository-version" content="1.0">\n'
        "<title>Simple index</title>\n</head>\n<body>\n"
        '<a href="backpropdoc/">backpropdoc</a>\n'
        "</body>\n</html>\n"
    )


def _requires_python() -> str:
    """pyproject.toml's requires-python, which the wheel's metadata carries too."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["requires-python"])


def _simple_project(w: Wheel) -> str:
    requires = html.escape(_requires_python())
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        '<meta name="pypi:repository-version" content="1.0">\n'
        "<title>Links for backpropdoc</title>\n</head>\n<body>\n"
        "<h1>Links for backpropdoc</h1>\n"
        f'<a href="../../{w.uri}#sha256={w.sha256}" data-requires-python="{requires}">'
        f"{w.name}</a>\n"
        "</body>\n</html>\n"
    )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    w = wheel()
    files.append(File.generated(config, w.uri, content=w.content))
    # PEP 503: <index>/ lists projects, <index>/<project>/ lists its files.
    files.append(File.generated(config, "simple/index.html", content=_simple_root()))
    files.append(
        File.generated(config, "simple/backpropdoc/index.html", content=_simple_project(w))
    )
    return files


WORDS = {
    "en": {
        "lead": (
            "**Install it.** First a CPU-only PyTorch (enough for everything here), then "
            "backpropdoc {version} from this site{pypi}, or in a checkout of {repo} with "
            "`pip install -e .`:"
        ),
        "pypi": " or from PyPI (`pip install backpropdoc=={version}`)",
        "pypi_later": " (PyPI: once it is released there)",
        "repo": "[the repository]({url})",
        "no_repo": "the repository",
        "wheel": "The wheel itself: {link}.",
    },
    "zh": {
        "lead": (
            "**安装。** 先装仅 CPU 版的 PyTorch（足以运行本站的全部内容），再从本站安装 "
            "backpropdoc {version}{pypi}；也可以在{repo}的检出目录里运行 `pip install -e .`："
        ),
        "pypi": "，或从 PyPI 安装（`pip install backpropdoc=={version}`）",
        "pypi_later": "（发布到 PyPI 之后也可从 PyPI 安装）",
        "repo": "[代码仓库]({url})",
        "no_repo": "代码仓库",
        "wheel": "wheel 文件本身：{link}。",
    },
}


def install_markdown(page: Page, config: MkDocsConfig) -> str:
    words = WORDS.get(config.theme["language"], WORDS["en"])
    w, version = wheel(), backpropdoc.__version__
    pypi = words["pypi" if released_on_pypi() else "pypi_later"].format(version=version)
    repo = words["repo"].format(url=config.repo_url) if config.repo_url else words["no_repo"]
    # Relative, so a site served at another address (mkdocs serve, a mirror) links its own.
    # Raw HTML: the wheel is not a docs file, and link validation would flag a Markdown link.
    href = posixpath.relpath(w.uri, page.url or ".")
    link = f'<a href="{html.escape(href)}" download>{html.escape(w.name)}</a>'
    return (
        words["lead"].format(version=version, pypi=pypi, repo=repo)
        + "\n\n```sh\n"
        + f"{TORCH_CPU}\n"
        + f"pip install backpropdoc --index-url {index_url(config)}\n"
        + "```\n\n"
        + words["wheel"].format(link=link)
    )


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, **kwargs: Any) -> str:
    if not MARKER.search(markdown):
        return markdown
    return MARKER.sub(lambda _: install_markdown(page, config), markdown)
