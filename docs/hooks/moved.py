"""Old addresses of renamed pages keep working, in every language.

``extra.moved`` in mkdocs.yml maps an old page address to the new one (directory URLs,
relative to an edition's root). Each language build writes, at the old address under its
own prefix (``zh/`` for Chinese), a small page that sends the reader to the same edition's
new page: a meta refresh, a canonical link and a plain link for a reader whose browser
does not follow refreshes. mkdocs-redirects writes every language's redirect to the
default edition's address (it does not know mkdocs-static-i18n's prefixes), so this hook
does it instead.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

_TEXT = {
    "en": ("Moved", "This page has moved to"),
    "zh": ("页面已移动", "本页已移至"),
}

_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{href}">
<meta http-equiv="refresh" content="0; url={href}">
<meta name="robots" content="noindex">
</head>
<body>
<p>{text} <a href="{href}">{href}</a></p>
</body>
</html>
"""


def redirect_page(old: str, new: str, lang: str) -> str:
    """The HTML written at ``old`` (an address such as ``notebooks/seed_fixed/``)."""
    for name, address in (("old", old), ("new", new)):
        if not address.endswith("/") or address.startswith("/") or "://" in address:
            raise PluginError(
                f"extra.moved: {name} address {address!r} must be a relative directory URL"
            )
    href = html.escape(posixpath.relpath(new, old) + "/", quote=True)
    title, text = _TEXT.get(lang, _TEXT["en"])
    return _PAGE.format(lang=lang, title=title, text=text, href=href)


def on_post_build(config: MkDocsConfig) -> None:
    moved: dict[str, str] = config.extra.get("moved") or {}
    i18n = config.plugins["i18n"]
    lang = i18n.current_language
    prefix = "" if i18n.is_default_language_build else f"{lang}/"
    site = Path(config.site_dir)
    for old, new in moved.items():
        if not (site / prefix / new / "index.html").is_file():
            raise PluginError(
                f"extra.moved: {old!r} points at {new!r}, which this build did not write"
            )
        target = site / prefix / old / "index.html"
        # A dirty rebuild (serve) finds the redirect it wrote before; anything else is a page.
        if target.exists() and 'http-equiv="refresh"' not in target.read_text(encoding="utf-8"):
            raise PluginError(f"extra.moved: {old!r} is still a page of this site")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(redirect_page(old, new, lang), encoding="utf-8")
