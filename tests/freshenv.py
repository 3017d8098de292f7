"""A fresh virtual environment that has torch (and NumPy) and not backpropdoc, in about a second.

Installing torch anew costs minutes and hundreds of MB, so the new environment reuses this
one's copy: a ``.pth`` file puts a folder on its path that holds links to the installed
distributions of torch, of what torch requires (recursively), and of the few tools a test
names (pip, ipykernel), nothing else. Their metadata comes along, so pip in the new
environment sees torch as installed, exactly as a user's environment with torch would be.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def closure(names: list[str]) -> dict[str, Distribution]:
    """The installed distributions ``names`` need, by canonical name (extras not followed)."""
    found: dict[str, Distribution] = {}
    todo = list(names)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in found:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue  # an optional requirement this environment lacks
        found[name] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return found


def top_level(dist: Distribution) -> set[str]:
    """What a distribution put at the top of site-packages (its packages, modules, metadata)."""
    return {Path(str(f)).parts[0] for f in dist.files or [] if not str(f).startswith("..")}


def make(path: Path, names: list[str]) -> Path:
    """A new venv at ``path`` that can import ``names`` and what they need; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    linked = path / "linked-site-packages"
    linked.mkdir()
    for dist in closure(names).values():
        base = Path(str(dist.locate_file("")))
        for entry in top_level(dist):
            target = linked / entry
            if (base / entry).exists() and not target.exists():
                target.symlink_to(base / entry)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "linked.pth").write_text(f"{linked}\n", encoding="utf-8")
    return python
