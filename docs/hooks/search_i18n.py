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

Chinese search (Material segments Chinese text with jieba at build time and the query
in the browser by looking its pieces up in the index):

- jieba learns the site's terms (the glossary's, and the compounds in ``TERMS``), so
  反向传播 or 学习率 is one token of the index, not 反向 + 传播 or 学习 + 率 (which
  matched 学习者);
- the search worker's query segmentation is replaced: Material's never tries a word
  that ends at the end of the query (反向传播 was searched as 反向 + 传, and 反向 shown as
  missing). ``bpdSegment`` takes, from each position, the longest token the index has.
  The patched worker is written next to Material's and every page's ``__config`` points
  at it;
- ranking: each page is tagged with the terms it is about (``KEYWORDS``), and the home
  page and the glossary, which mention every term, rank below the page about it
  (``OVERVIEW_BOOST``);
- previews: each entry's text drops the notebook download link, the ¶ of notebook
  headings, and shows math as plain text (w_11^(1), ∂l/∂y) instead of raw LaTeX.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jieba
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from page_notebooks import LINK_TEXT

CONFIG_BASE = re.compile(
    r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")'
)
CONFIG_WORKER = re.compile(r'("search": ")([^"]*/workers/)(search\.[0-9a-f]+\.min\.js)(")')
GLOSSARY = Path(__file__).resolve().parents[1] / "glossary.zh.md"
# Pages that mention every term (the home page's overview, the glossary) rank below the
# page about a term: Material multiplies an entry's score by its "boost".
OVERVIEW_BOOST = {"": 0.5, "glossary/": 0.5}
# The terms each page is about, by edition: Material's search ranks an entry's tags far
# above its title and text, so a page comes first for the terms it is about (several
# pages mention 叶子张量 or "loss"; one explains it). Shown as tags in the results.
KEYWORDS = {
    "en": {
        "forward/": ["forward pass"],
        "loss/": ["loss"],
        "backward/": ["backpropagation", "chain rule"],
        "matrix-form/": ["matrix form", "error signal"],
        "gradient-descent/": ["gradient descent", "learning rate"],
        "pytorch/": ["leaf tensor", "accumulate", "retain_grad"],
    },
    "zh": {
        "forward/": ["前向传播"],
        "loss/": ["损失函数"],
        "backward/": ["反向传播", "链式法则"],
        "matrix-form/": ["矩阵形式", "误差信号"],
        "gradient-descent/": ["梯度下降", "学习率"],
        "pytorch/": ["叶子张量", "梯度累加", "retain_grad"],
    },
}
# Compounds a reader searches for that are not glossary entries.
TERMS = ["梯度累加", "矩阵形式", "计算图", "非叶子张量", "原地更新", "误差信号", "交互演练场"]

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Material's call of its query segmenter, in its minified search worker:
#   e.replace(new RegExp("\\p{sc=Han}+","gu"),s=>[...fe(s,this.index.invertedIndex)].join("* "))
MATERIAL_SEGMENT = re.compile(
    r"(\w+)=>\[\.\.\.\w+\(\1,this\.index\.invertedIndex\)\]\.join\(\"\* \"\)"
)
BPD_SEGMENT = """\
/* backpropdoc (docs/hooks/search_i18n.py): a Chinese query split into the longest tokens
   the index has, from left to right; a character no token starts with stands alone. */
function bpdSegment(query, index) {
  var words = [], i = 0, j;
  while (i < query.length) {
    for (j = query.length; j > i + 1; j--)
      if (Object.prototype.hasOwnProperty.call(index, query.slice(i, j))) break;
    words.push(query.slice(i, j));
    i = j;
  }
  return words;
}
"""


def _other_languages(config: MkDocsConfig) -> list[str]:
    i18n = config.plugins["i18n"]
    return [lang for lang in i18n.build_languages if lang != i18n.default_language]


def site_terms() -> list[str]:
    """The glossary's Chinese terms (修正线性单元（ReLU） gives 修正线性单元, an alias
    又称自动求导 its own term) and ``TERMS``."""
    terms = list(TERMS)
    rows = [row for row in GLOSSARY.read_text(encoding="utf-8").splitlines() if row.startswith("|")]
    for row in rows[2:]:  # below the header and its rule
        cell = re.sub(r"\$.*?\$", "", row.split("|")[1])
        terms += [term for term in HAN.findall(cell) if len(term) > 1]
    return [term.removeprefix("又称") for term in terms]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # Material's search plugin segments with jieba's default tokenizer (this process's).
    for term in site_terms():
        jieba.add_word(term)
    return config


def _worker_name(material_name: str) -> str:
    return material_name.replace(".min.js", ".bpd.min.js")


def _point_at_worker(output: str) -> str:
    return CONFIG_WORKER.sub(lambda m: m[1] + m[2] + _worker_name(m[3]) + m[4], output, count=1)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    return _point_at_worker(output) if template_name == "404.html" else output


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = _point_at_worker(output)
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
    _write_worker(site)
    index = json.loads(merged.read_text(encoding="utf-8"))
    docs = [
        {**doc, "title": preview(doc["title"]), "text": preview(doc["text"])}
        for doc in index["docs"]
    ]
    others = _other_languages(config)
    for doc in docs:
        lang = next((o for o in others if doc["location"].startswith(f"{o}/")), "en")
        page = doc["location"].split("#")[0].removeprefix(f"{lang}/")
        if page in OVERVIEW_BOOST:
            doc["boost"] = OVERVIEW_BOOST[page]
        if page in KEYWORDS.get(lang, {}):
            doc["tags"] = [*doc.get("tags", []), *KEYWORDS[lang][page]]
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


def _write_worker(site: Path) -> None:
    """Material's search worker with ``bpdSegment`` in place of its query segmenter."""
    workers = site / "assets" / "javascripts" / "workers"
    for material in workers.glob("search.*.min.js"):
        if material.name.endswith(".bpd.min.js"):
            continue
        source = material.read_text(encoding="utf-8")
        patched, count = MATERIAL_SEGMENT.subn(
            lambda m: f'{m[1]}=>bpdSegment({m[1]},this.index.invertedIndex).join(" ")', source
        )
        if count != 1:
            raise ValueError(
                f"{material.name}: Material's query segmentation not found; "
                "docs/hooks/search_i18n.py must learn this Material version's worker"
            )
        (workers / _worker_name(material.name)).write_text(BPD_SEGMENT + patched, encoding="utf-8")


# LaTeX as a reader of the preview would type it: w_{11}^{(1)} -> w_11^(1), \frac{a}{b} -> a/b.
LATEX_SYMBOLS = {
    "partial": "∂",
    "cdot": "·",
    "to": "→",
    "theta": "θ",
    "epsilon": "ε",
    "eta": "η",
    "delta": "δ",
    "odot": "⊙",
    "le": "≤",
    "ge": "≥",
    "pm": "±",
    "approx": "≈",
    "sum": "Σ",
    "nabla": "∇",
    "leftarrow": "←",
    "qquad": " ",
    "quad": " ",
    "times": "×",
    "dots": "…",
    "ldots": "…",
    "infty": "∞",
    "neq": "≠",
    "mathsf{T}": "ᵀ",
}
# \( \) and \[ \] from arithmatex; $ $ and $$ $$ from the notebooks' Markdown cells.
MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]|\$\$(.*?)\$\$|\$([^$<]+?)\$", re.S)


def latex_plain(tex: str) -> str:
    tex = html.unescape(tex)
    for _ in range(2):  # w_{j1}^{(1)} -> w_j1^(1), innermost braces first
        tex = re.sub(r"([_^])\{([^{}]*)\}", r"\1\2", tex)
    tex = re.sub(r"\\(operatorname|mathrm|text|mathbf|boldsymbol)\{([^{}]*)\}", r"\2", tex)
    tex = re.sub(r"\\mathsf\{T\}", "ᵀ", tex)
    tex = re.sub(r"\\[dtc]?frac(\d)(\d)", r"\1/\2", tex)
    for _ in range(3):  # nested fractions
        tex = re.sub(r"\\[dtc]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"\1/\2", tex)
    tex = re.sub(r"\\begin\{\w+\*?\}|\\end\{\w+\*?\}|\\(left|right|big|Big)\b|&", " ", tex)
    tex = tex.replace("\\\\", ";").replace("\\,", " ").replace("\\;", " ").replace("\\!", "")
    tex = re.sub(r"\\([A-Za-z]+)", lambda m: LATEX_SYMBOLS.get(m[1], m[1]), tex)
    tex = tex.replace("{", "").replace("}", "").replace("\\", "")
    tex = re.sub(r"([∂∇]) (?=\w)", r"\1", tex)  # \partial l -> ∂l
    return html.escape(re.sub(r"\s+", " ", tex).strip(), quote=False)


def _segment(text: str) -> str:
    """Chinese runs cut into words between zero-width spaces, as Material's search does."""
    return HAN.sub(lambda m: "\u200b" + "\u200b".join(jieba.cut(m[0])) + "\u200b", text).strip(
        "\u200b"
    )


DOWNLOAD = re.compile(
    "<p>(?:"
    + "|".join(
        re.escape(html.escape(text, quote=False)) for texts in LINK_TEXT.values() for text in texts
    )
    + ")</p>\\s*"
)


def preview(text: str) -> str:
    """An index entry's title or text as the reader sees it: no download link, no ¶, math
    in plain text; Chinese segmented again (the site's terms whole)."""
    text = text.replace("\u200b", "")
    text = DOWNLOAD.sub("", text).replace("¶", "")
    text = MATH.sub(lambda m: latex_plain(next(g for g in m.groups() if g is not None)), text)
    return _segment(text.strip())
