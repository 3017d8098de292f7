"""Project URLs for the package metadata, from the same environment variables as mkdocs.yml.

The repository and the hosted site have no fixed address (a fork publishes its own), so the
release and Pages workflows set them: REPO_URL (e.g. https://github.com/OWNER/REPO) and
SITE_URL (the site's address, ending in /). A build without them has no project URLs rather
than wrong ones; a local address (mkdocs serve's) is never written into a wheel.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from hatchling.metadata.plugin.interface import MetadataHookInterface


def _public(url: str) -> str | None:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        return None
    if parts.hostname in ("localhost", "127.0.0.1", "::1"):
        return None
    return url


def project_urls(environ: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    urls = {}
    site = _public(environ.get("SITE_URL", ""))
    if site:
        site = site if site.endswith("/") else site + "/"
        urls["Documentation"] = site
        urls["Documentation (中文)"] = site + "zh/"
    repo = _public(environ.get("REPO_URL", ""))
    if repo:
        repo = repo.rstrip("/")
        urls["Source"] = repo
        urls["Issues"] = repo + "/issues"
        urls["Releases"] = repo + "/releases"
    return urls


class CustomMetadataHook(MetadataHookInterface):
    def update(self, metadata: dict[str, Any]) -> None:
        metadata["urls"] = project_urls(os.environ)
