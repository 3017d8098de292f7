"""Build the site the way CI does: `properdocs build --strict` (ProperDocs, the maintained
MkDocs 1.x line; README: "Which MkDocs").

Every test build is for the run's own loopback address (its SITE_URL), where tests/conftest.py
serves the shared build: so the notebooks' install cells point at a server that answers, and
two builds for the reproducibility test have the same address in them.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ADDRESS = "BACKPROPDOC_TEST_SITE_URL"  # set by tests/conftest.py for the whole run


def address() -> str:
    """The run's site address, ``http://127.0.0.1:<port>/``."""
    return os.environ[ADDRESS]


class Build:
    """`properdocs build --strict` into site_dir, running in the background until `wait()`."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        # A fixed SOURCE_DATE_EPOCH keeps dates (the sitemap's lastmod) out of the comparison
        # of two builds, even across midnight; CI may set its own.
        env = {
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "SITE_URL": address(),
            "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000"),
        }
        command = [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml"]
        command += ["--site-dir", str(site_dir)]
        self._process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def wait(self) -> Path:
        """The built site; fails the test with the build's output if the build failed."""
        output, _ = self._process.communicate(timeout=900)
        if self._process.returncode != 0:
            pytest.fail(
                f"properdocs build --strict failed ({self._process.returncode}):\n{output}",
                pytrace=False,
            )
        return self.site_dir


def build_site(site_dir: Path) -> Path:
    return Build(site_dir).wait()
