"""Shared fixtures: `built_site` builds the site once per test session."""

from pathlib import Path

import pytest
from sitebuild import build_site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site (English at the root, Chinese under zh/), built once and reused."""
    return build_site(tmp_path_factory.mktemp("site"))
