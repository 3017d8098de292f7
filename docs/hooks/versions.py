"""Record which versions of backpropdoc and PyTorch produced the numbers on the pages.

The footer template (overrides/partials/copyright.html) prints them on every page.
Versions come from the modules the build imported, so a rebuild with a new torch updates
them; backpropdoc's is its one source of truth, ``backpropdoc.__version__`` (the wheel's version
is read from it too: pyproject.toml's [tool.hatch.version]).
"""

from importlib.metadata import version

from mkdocs.config.defaults import MkDocsConfig

import backpropdoc


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.extra["versions"] = {
        "backpropdoc": backpropdoc.__version__,
        "torch": version("torch"),
    }
    return config
