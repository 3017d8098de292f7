"""The pages of a built site: its HTML files, less pip's index and moved pages' redirects."""

from pathlib import Path


def is_redirect(page: Path) -> bool:
    """A redirect left at a renamed page's old address (docs/hooks/moved.py)."""
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")


def pages(site: Path, name: str = "*.html") -> list[Path]:
    # simple/ is the package index for pip (docs/hooks/wheel.py, tests/test_site_wheel.py).
    return sorted(
        p
        for p in site.rglob(name)
        if p.relative_to(site).parts[0] != "simple" and not is_redirect(p)
    )
