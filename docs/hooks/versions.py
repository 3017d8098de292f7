"""Record which versions of backpropdoc and PyTorch produced the numbers on the pages.

The footer template (overrides/partials/copyright.html) prints them on every page.
Versions come from the build environment, so a rebuild with a new torch updates them.
"""

from importlib.metadata import version

from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.extra["versions"] = {
        "backpropdoc": version("backpropdoc"),
        "torch": version("torch"),
    }
    return config
