"""One search index per language: /search/search_index.json (English) and
/zh/search/search_index.json (Chinese).

Material's search fetches ``search/search_index.json`` relative to ``base`` in each
page's ``__config`` script, which is the site root for every page, and
mkdocs-static-i18n writes one index holding both editions; so an English search listed
zh/ pages and a Chinese one English pages. This hook:

- splits the written index by language, each edition's locations relative to its
  own root (``zh/forward/`` -> ``forward/`` in ``zh/search/search_index.json``);
- points ``base`` in the ``__config`` of every non-default-language page at that
  language's root (``../../zh/`` on ``zh/forward/``). Nothing else in Material's
  JavaScript uses ``base`` on this site: no instant navigation, no version selector,
  no ``<link rel="alternate">`` (overrides/main.html).

``reconfigure_search: false`` (mkdocs.yml) keeps mkdocs-static-i18n from dropping
Chinese entries identical to English ones (untranslated pages), which the Chinese
index needs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

CONFIG_BASE = re.compile(
    r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")'
)


def _other_languages(config: MkDocsConfig) -> list[str]:
    i18n = config.plugins["i18n"]
    return [lang for lang in i18n.build_languages if lang != i18n.default_language]


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    i18n = config.plugins["i18n"]
    if i18n.is_default_language_build:
        return output
    lang = i18n.current_language
    output, count = CONFIG_BASE.subn(rf"\g<1>\g<2>/{lang}/\g<3>", output, count=1)
    if not count:
        raise ValueError(f"{page.file.src_uri}: no __config base to point at /{lang}/")
    return output


# After mkdocs-static-i18n's on_post_build (priority -100) has written the merged index.
# Also runs at the end of its Chinese build (index of Chinese pages only), harmlessly:
# the final, merged index is split again.
@event_priority(-110)
def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    merged = site / "search" / "search_index.json"
    if not merged.exists():
        return
    index = json.loads(merged.read_text(encoding="utf-8"))
    docs = index["docs"]
    for lang in _other_languages(config):
        prefix = f"{lang}/"
        own = [
            {**doc, "location": doc["location"].removeprefix(prefix)}
            for doc in docs
            if doc["location"].startswith(prefix)
        ]
        docs = [doc for doc in docs if not doc["location"].startswith(prefix)]
        _write(site / lang / "search" / "search_index.json", {**index, "docs": own})
    _write(merged, {**index, "docs": docs})


def _write(path: Path, index: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # As Material's search plugin writes it.
    path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")
