"""docs/hooks/serve.py: notebook outputs are cached under `serve` only, under a key that
covers the package's source (mkdocs-jupyter's own key covers the notebook file)."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("serve_hook", ROOT / "docs/hooks/serve.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    package = tmp_path / "backpropdoc"
    shutil.copytree(
        ROOT / "src" / "backpropdoc", package, ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setattr(module, "PACKAGE", package)
    monkeypatch.setattr(module, "CACHE", tmp_path / "cache")
    return module


class Jupyter:
    def __init__(self) -> None:
        self.config: dict[str, Any] = {"cache": False, "cache_dir": ".cache/mkdocs-jupyter"}

    def should_include(self, file: Any) -> bool:
        return bool(file.src_uri.startswith("notebooks/"))


def config_with(plugin: Jupyter) -> Any:
    return SimpleNamespace(plugins={"mkdocs-jupyter": plugin})


def page(src_uri: str) -> Any:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


def test_build_executes_every_notebook(serve: ModuleType) -> None:
    serve.on_startup(command="build", dirty=False)
    plugin = Jupyter()
    serve.on_config(config_with(plugin))
    serve.on_pre_page(page("notebooks/fixed_notebook.py"), config_with(plugin), None)
    assert plugin.config == {"cache": False, "cache_dir": ".cache/mkdocs-jupyter"}


def test_serve_caches_per_notebook_under_the_package_fingerprint(serve: ModuleType) -> None:
    serve.on_startup(command="serve", dirty=False)
    plugin = Jupyter()
    serve.on_config(config_with(plugin))
    assert plugin.config["cache"] is True
    serve.on_pre_page(page("notebooks/fixed_notebook.zh.py"), config_with(plugin), None)
    first = Path(plugin.config["cache_dir"])
    assert first.parent.name == serve.fingerprint()
    assert first.name == "notebooks_fixed_notebook.zh.py"
    serve.on_pre_page(page("notebooks/fixed_notebook.py"), config_with(plugin), None)
    assert Path(plugin.config["cache_dir"]) != first  # each notebook its own folder
    serve.on_pre_page(page("forward.md"), config_with(plugin), None)
    assert Path(plugin.config["cache_dir"]).name == "notebooks_fixed_notebook.py"  # untouched

    # An edit anywhere in the package changes the key, and the old entries go.
    first.mkdir(parents=True)
    (first / "entry.json").write_text("{}", encoding="utf-8")
    network = serve.PACKAGE / "network.py"
    network.write_text(network.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert serve.fingerprint() != first.parent.name
    serve.on_config(config_with(plugin))
    serve.on_pre_page(page("notebooks/fixed_notebook.zh.py"), config_with(plugin), None)
    assert Path(plugin.config["cache_dir"]).parent.name == serve.fingerprint()
    assert not first.exists()


def test_serve_watches_the_package() -> None:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    assert "src" in config["watch"]
    assert "docs/hooks/serve.py" in config["hooks"]


def test_a_dirty_serve_renders_every_page_after_a_package_edit(
    serve: ModuleType, tmp_path: Path
) -> None:
    serve.on_startup(command="serve", dirty=True)
    site = tmp_path / "site"
    (site / "forward").mkdir(parents=True)
    (site / "forward" / "index.html").write_text("old numbers", encoding="utf-8")
    config = SimpleNamespace(site_dir=str(site))
    serve.on_pre_build(config)  # the first build
    serve.on_pre_build(config)  # a page edit: nothing else changed, the pages stay
    assert (site / "forward" / "index.html").exists()
    network = serve.PACKAGE / "network.py"
    network.write_text(network.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    serve.on_pre_build(config)
    assert not site.exists()  # so the dirty build finds every page changed


def test_a_plain_build_never_empties_the_site(serve: ModuleType, tmp_path: Path) -> None:
    serve.on_startup(command="build", dirty=True)
    site = tmp_path / "site"
    site.mkdir()
    config = SimpleNamespace(site_dir=str(site))
    serve.on_pre_build(config)
    (serve.PACKAGE / "network.py").write_text("# changed\n", encoding="utf-8")
    serve.on_pre_build(config)
    assert site.exists()
