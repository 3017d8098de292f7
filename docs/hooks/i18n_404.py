"""The one site-wide 404.html, in every language.

404.html is a theme template, not a page, so every language build writes it to the site
root and the last one (Chinese) would win; only the default-language build renders it.
GitHub Pages serves that one file for every missing address, /zh/... included, so it
speaks every language (overrides/404.html): it lists each edition's pages, which this
hook gathers from the nav and mkdocs-static-i18n's nav translations into
``config.extra["not_found"]``; its script puts the reader's language first and suggests
the page whose address is closest to the one that was asked for.

The page's header is the default build's, in English. For every other edition the hook
also gathers ``words``: each English header word (the theme's own translations, the site
name, the palette toggle's titles) beside that edition's, which the script puts in place
for a reader of that edition. The page has no navigation sidebar: its content lists every
page of every edition, in each edition's words.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

# The theme's words that its header and search box show (Material's translation keys).
HEADER_KEYS = (
    "header",
    "select.language",
    "search",
    "search.placeholder",
    "search.share",
    "search.reset",
    "search.result.initializer",
)


def _theme_words(config: MkDocsConfig, locale: str) -> list[str]:
    """HEADER_KEYS in Material's translations for ``locale``."""
    env = config.theme.get_env()
    calls = "\x1f".join(f'{{{{ t.t("{key}") }}}}' for key in HEADER_KEYS)
    template = env.from_string(f'{{% import "partials/languages/{locale}.html" as t %}}{calls}')
    return template.render().split("\x1f")


def _palette_names(palette: Any) -> list[str]:
    options = palette if isinstance(palette, list) else [palette] if palette else []
    return [str(option.get("toggle", {}).get("name", "")) for option in options]


def header_words(config: MkDocsConfig, language: Any) -> list[list[str]]:
    """[English, this edition's] for each header word that differs."""
    default_locale = str(config.theme.get("language") or "en")
    english = [*_theme_words(config, default_locale), config.site_name]
    english += _palette_names(config.theme.get("palette"))
    own = [*_theme_words(config, language.locale), language.site_name or config.site_name]
    own += _palette_names((language.theme or {}).get("palette")) or english[len(own) :]
    return [[e, o] for e, o in zip(english, own, strict=True) if e != o and e and o]


def _pages(nav: list[Any], section: str = "") -> list[tuple[str, str]]:
    """(title, source path) of every page in the nav, sections flattened."""
    found = []
    for item in nav:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    found += _pages(value, title)
                else:
                    found.append((title, str(value)))
        else:
            found.append((section, str(item)))
    return found


def _url(path: str) -> str:
    """The directory URL of a page source (use_directory_urls): forward.md -> forward/."""
    stem = path.rsplit(".", 1)[0]
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return f"{stem}/"


# After mkdocs-static-i18n's on_config (priority -100) has set the language.
@event_priority(-110)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    i18n = config.plugins["i18n"]
    if not i18n.is_default_language_build:
        config.theme.static_templates.discard("404.html")
        return config
    config.theme.static_templates.add("404.html")
    pages = _pages(config.nav or [])
    editions = []
    for language in i18n.config.languages:
        if not language.build:
            continue
        prefix = "" if language.default else f"{language.locale}/"
        titles = language.nav_translations or {}
        editions.append(
            {
                "locale": language.locale,
                "prefix": prefix,
                "pages": [
                    {"title": titles.get(title, title), "url": prefix + _url(path)}
                    for title, path in pages
                    if "://" not in path
                ],
                "words": [] if language.default else header_words(config, language),
            }
        )
    config.extra["not_found"] = editions
    return config
