"""The one Sybil configuration for the docs, shared by conftest.py and the tests.

Every ```python block of a docs page is run by pytest, in page order, in one
namespace per page. A block whose first line starts with `>>>` is a doctest
session (split into one example per `>>>` statement); any other block is plain
code that must run without error.
"""

import random
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path
from typing import Any

import torch
from sybil import Sybil
from sybil.evaluators.doctest import NUMBER
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

DOCS = Path(__file__).resolve().parents[1] / "docs"
DOCTEST_FLAGS = ELLIPSIS | NUMBER | NORMALIZE_WHITESPACE

# Chinese pages are left out: tests/test_parity.py proves their ```python blocks
# are byte-identical to the English twin's, so running them again adds nothing.
EXCLUDE = ["*.zh.md"]


def parsers() -> list[Any]:
    return [PythonCodeBlockParser(doctest_optionflags=DOCTEST_FLAGS), SkipParser()]


def setup(namespace: dict[str, Any]) -> None:
    """Same start for every page: seeded RNGs and torch's default print options."""
    random.seed(0)
    torch.manual_seed(0)
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)


def sybil() -> Sybil:
    return Sybil(
        parsers=parsers(),
        patterns=["*.md"],
        excludes=EXCLUDE,
        path=str(DOCS),  # Sybil resolves relative paths against the caller's file
        setup=setup,
    )
