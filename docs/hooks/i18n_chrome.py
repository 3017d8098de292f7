"""The theme's own words in the language of each build.

mkdocs-static-i18n builds every language with one configuration, and two of the site's
words come from configuration that it cannot override per language (``markdown_extensions``
is a forbidden override):

- the title of every heading's permalink (Python-Markdown's ``toc`` ``permalink_title``,
  "Permanent link" on every Chinese heading);
- the labels of the API reference (mkdocstrings reads its locale in its own ``on_config``,
  before mkdocs-static-i18n's sets the theme language of the build, so the Chinese build
  got the English "Parameters", "Returns", "Source code in").

The palette toggle's titles are theme options, overridden per language in mkdocs.yml.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

PERMALINK_TITLE = {"en": "Permanent link", "zh": "永久链接"}


def build_language(config: MkDocsConfig) -> str:
    """The language this build writes (the default one in the first build)."""
    i18n = config.plugins["i18n"]
    return str(i18n.current_language or i18n.default_language)


# Before mkdocstrings' on_config (priority 0) reads its locale.
@event_priority(10)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    language = build_language(config)
    config.mdx_configs.setdefault("toc", {})["permalink_title"] = PERMALINK_TITLE[language]
    config.plugins["mkdocstrings"].config["locale"] = language
    return config
