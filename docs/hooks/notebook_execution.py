"""Notebook pages show the same outputs however busy the machine that builds them.

mkdocs-jupyter executes the notebook pages with nbconvert, whose kernel sends what a cell
prints in pieces, one stream message each time its output is flushed. How a print falls into
pieces depends on timing: on a busy machine ``print("max difference:", 0.0)`` can arrive as
"max difference:" and " 0.0", and the page then shows two output blocks where an idle build
shows one (two builds of the same sources differed so). nbconvert has a preprocessor that
merges consecutive stream outputs, but in its default order it runs before the execution, on
the outputs the notebook had before; here it runs after the execution, on the new outputs.

And nbclient gives up waiting for a cell's remaining output after 4 s by default and, unless
told otherwise, drops it silently with a log line that ``--strict`` does not see. Here it waits
up to ``IOPUB_TIMEOUT`` and then fails the build instead.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs_jupyter import nbconvert2
from nbconvert import HTMLExporter

COALESCE = "nbconvert.preprocessors.CoalesceStreamsPreprocessor"
EXECUTE = "nbconvert.preprocessors.ExecutePreprocessor"
IOPUB_TIMEOUT = 120  # seconds to wait for a cell's output after the cell has finished


def preprocessors() -> list[Any]:
    """nbconvert's default preprocessors, with the stream merge moved after the execution."""
    names = [p for p in HTMLExporter.class_traits()["default_preprocessors"].default()]
    names.remove(COALESCE)
    names.insert(names.index(EXECUTE) + 1, COALESCE)
    return names


def configure(app: Any) -> Any:
    """Settings for the nbconvert app that mkdocs-jupyter creates for each notebook."""
    app.config.update(
        {
            "HTMLExporter": {"default_preprocessors": preprocessors()},
            "CoalesceStreamsPreprocessor": {"enabled": True},
            "ExecutePreprocessor": {
                **app.config.get("ExecutePreprocessor", {}),
                "iopub_timeout": IOPUB_TIMEOUT,
                "raise_on_iopub_timeout": True,
            },
        }
    )
    return app


def _patch() -> None:
    """Wrap mkdocs-jupyter's app factory (it exposes no setting for either)."""
    original = nbconvert2.get_nbconvert_app
    if getattr(original, "_backpropdoc", False):
        return  # `mkdocs serve` loads the hooks again on every rebuild

    def get_nbconvert_app(*args: Any, **kwargs: Any) -> Any:
        return configure(original(*args, **kwargs))

    get_nbconvert_app._backpropdoc = True  # type: ignore[attr-defined]
    nbconvert2.get_nbconvert_app = get_nbconvert_app


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _patch()
    return config
