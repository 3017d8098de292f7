"""`properdocs serve`: an edit rebuilds quickly and never shows stale notebook outputs.

A serve rebuilds the whole site on every change, and executing the two notebooks is the
largest part of that. Under ``serve`` (never under ``build``: CI and the tests execute every
notebook on every build) mkdocs-jupyter's cache is switched on, in a folder whose name is a
fingerprint of everything a notebook's outputs depend on besides the notebook itself: the
package's source (``src/backpropdoc``), the versions of torch and Python. mkdocs-jupyter's
own key covers the notebook file and its conversion settings, so an entry is used only
when the notebook and the package are both unchanged. ``src/`` is watched (mkdocs.yml's
``watch``): editing the package rebuilds, the fingerprint changes, the notebooks run again.

``scripts/serve`` runs ``serve --dirty``: a rebuild renders only the pages whose source
changed, which is what brings one page's edit under 2 s (benchmarks/serve.py). Pages that
did not change are stale when something they all depend on changes, so whenever the package
source, a hook, a theme override or mkdocs.yml differs from the last build this hook empties
the site folder first, and that rebuild renders every page again.

Each notebook gets its own folder: mkdocs-jupyter evicts, after each language's build, the
entries of its cache folder that this build did not use, so one shared folder would lose
the other language's notebook every time.
"""

from __future__ import annotations

import hashlib
import platform
import shutil
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "backpropdoc"
CACHE = ROOT / ".cache" / "notebooks"

_serving = False
_dirty = False
_site_inputs: str | None = None  # what every page depends on, at the last build
_cache: Path | None = None  # this package source's folder, while serving


def on_startup(command: str, dirty: bool) -> None:
    global _serving, _dirty
    _serving = command == "serve"
    _dirty = dirty


def site_inputs() -> str:
    """A fingerprint of what every page depends on besides its own source."""
    digest = hashlib.sha256(fingerprint().encode())
    for folder in (ROOT / "docs" / "hooks", ROOT / "overrides"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    digest.update((ROOT / "mkdocs.yml").read_bytes())
    return digest.hexdigest()


def on_pre_build(config: MkDocsConfig) -> None:
    global _site_inputs
    if not (_serving and _dirty):
        return
    current = site_inputs()
    if _site_inputs is not None and current != _site_inputs:
        # A dirty build renders only changed pages: make every page "changed".
        shutil.rmtree(config.site_dir, ignore_errors=True)
    _site_inputs = current


def fingerprint() -> str:
    """What a notebook's outputs depend on, besides the notebook file itself."""
    digest = hashlib.sha256()
    for source in sorted(PACKAGE.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            digest.update(source.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(source.read_bytes() + b"\0")
    digest.update(f"torch {version('torch')}, Python {platform.python_version()}".encode())
    return digest.hexdigest()[:16]


def _jupyter(config: MkDocsConfig) -> Any:
    return config.plugins.get("mkdocs-jupyter")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _cache
    plugin = _jupyter(config)
    if not _serving or plugin is None:
        return config
    plugin.config["cache"] = True
    current = fingerprint()
    if CACHE.is_dir():  # entries of an earlier package source can never be used again
        for folder in CACHE.iterdir():
            if folder.name != current:
                shutil.rmtree(folder, ignore_errors=True)
    _cache = CACHE / current
    return config


@event_priority(100)  # before mkdocs-jupyter's on_pre_page, which reads cache_dir
def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    plugin = _jupyter(config)
    if _cache is not None and plugin is not None and plugin.should_include(page.file):
        plugin.config["cache_dir"] = str(_cache / page.file.src_uri.replace("/", "_"))
    return page
