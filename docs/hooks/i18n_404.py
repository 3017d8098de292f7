"""Keep the site-wide 404.html in the default language.

404.html is a theme template, not a page, so every language build writes it to
the site root and the last one (Chinese) would win. Only the default-language
build renders it.
"""

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority


# After mkdocs-static-i18n's on_config (priority -100) has set the language.
@event_priority(-110)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    i18n = config.plugins["i18n"]
    if i18n.is_default_language_build:
        config.theme.static_templates.add("404.html")
    else:
        config.theme.static_templates.discard("404.html")
    return config
