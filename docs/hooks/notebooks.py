"""Make mkdocs-jupyter's notebook pages work with i18n and stay offline.

1. mkdocs-static-i18n rebuilds every File as a plain `File`, so the notebook
   pages that mkdocs-jupyter had marked as documentation pages turn back into
   static files and silently vanish (ultrabug/mkdocs-static-i18n#198). After
   i18n has picked this language's files, mark the notebooks as pages again.
   Their destinations (`zh/notebooks/x/index.html`) are already right.
2. nbconvert's template loads MathJax from a CDN; drop it (our KaTeX renders
   the notebook's `$...$`), and any other `<script src="http...">`.
3. Cells read from a jupytext .py get random ids (nbformat), which nbconvert
   prints as `id="cell-id=..."`; number them in order so builds are
   byte-identical.
4. Each notebook page inlines ~600 kB of the same CSS; move it to one shared
   file under assets/jupyter/ and link to it.
5. Code cells are `<pre>` without `<code>`, and Material only mounts its copy
   button on `pre > code`: wrap each input cell's code in `<code>`. Material
   names the button's target after the nearest id, and the cell's
   `cell-id=N` is no valid CSS selector, so the `<pre>` gets its own id.
6. Scrollable cells must take keyboard focus (axe scrollable-region-focusable):
   `tabindex="0"` on every input and output `<pre>`, as Material does for its
   own code blocks.
7. mkdocs-static-i18n links the language selector of a notebook page to the
   other language's home page; link it to the same notebook instead.
"""

import functools
import hashlib
import os
import posixpath
import re
from typing import Any

import tinycss2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page


class NotebookPage(File):
    def is_documentation_page(self) -> bool:
        return True


# Just after mkdocs-static-i18n's on_files (priority -100).
@event_priority(-110)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    jupyter = config.plugins["mkdocs-jupyter"]
    i18n = config.plugins["i18n"]
    for file in files:
        if not file.is_documentation_page() and jupyter.should_include(file):
            file.__class__ = NotebookPage  # same object, same dest; now a page
            prefix = f"{i18n.current_language}/"
            if not i18n.is_default_language_build and not file.dest_uri.startswith(prefix):
                # A notebook without a twin in this language falls back to the
                # default one; keep it under this language's folder.
                file.dest_path = prefix + file.dest_uri
                file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_uri))
                file.url = file._get_url(config.use_directory_urls)
    return files


MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
REMOTE_SCRIPT = re.compile(r'<script[^>]*\bsrc="(?:https?:)?//[^"]*"[^>]*>\s*</script>', re.S)
CELL_ID = re.compile(r'id="cell-id=[^"]*"')
STYLE = re.compile(r'<style type="text/css">(.*?)</style>', re.S)
# mkdocs-jupyter's own copy button (and the hidden copy of each cell it copies from): Material's
# copy button serves the cells now, and two buttons side by side are too small a target.
OWN_COPY_BUTTON = re.compile(
    r'<div class="zeroclipboard-container">\s*<clipboard-copy.*?</clipboard-copy>\s*</div>'
    r'|<div class="clipboard-copy-txt" id="cell-\d+">.*?</div>',
    re.S,
)
CLASS_ATTR = re.compile(r'class="([^"]*)"')
CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
INPUT_PRE = re.compile(r'(<div class="highlight-ipynb[^"]*">)<pre>(.*?)</pre>', re.S)


# A parsed rule: its CSS text, the class sets of its selectors (None: always kept), and, for
# @media/@supports, the header and the rules inside.
Rule = tuple[str, tuple[frozenset[str], ...] | None, tuple["Rule", ...] | None]


@functools.cache
def _rules(css: str) -> tuple[Rule, ...]:
    """Parse once: every notebook page of both languages carries the same stylesheet."""

    def parse(rules: list[Any]) -> tuple[Rule, ...]:
        out: list[Rule] = []
        for rule in rules:
            if (
                rule.type == "at-rule"
                and rule.content is not None
                and rule.lower_at_keyword
                in (
                    "media",
                    "supports",
                )
            ):
                inner = parse(tinycss2.parse_rule_list(rule.content, True, True))
                header = f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}"
                out.append((header, None, inner))
            elif rule.type == "qualified-rule":
                selectors = tinycss2.serialize(rule.prelude).split(",")
                classes = tuple(frozenset(CLASS_SELECTOR.findall(sel)) for sel in selectors)
                out.append((tinycss2.serialize([rule]), classes, None))
            elif rule.type == "at-rule":
                out.append((tinycss2.serialize([rule]), None, None))
        return tuple(out)

    return parse(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def prune(css: str, used: set[str]) -> str:
    """Keep the rules that can match this page: JupyterLab's theme is ~575 kB, mostly for
    widgets a static notebook never shows. A selector survives when every class it names
    is used on the page; rules without classes (:root variables, elements) always do."""

    def walk(rules: tuple[Rule, ...]) -> str:
        out = []
        for text, classes, inner in rules:
            if inner is not None:
                kept = walk(inner)
                if kept.strip():
                    out.append(f"{text}{{{kept}}}")
            elif classes is None or any(c <= used for c in classes):
                out.append(text)
        return "\n".join(out)

    return walk(_rules(css))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not isinstance(page.file, NotebookPage) and not page.file.src_uri.startswith("notebooks/"):
        return html
    html = MATHJAX.sub("", html)
    html = REMOTE_SCRIPT.sub("", html)
    html = OWN_COPY_BUTTON.sub("", html)
    counter = iter(range(1, 1_000_000))
    html = CELL_ID.sub(lambda _: f'id="cell-id={next(counter)}"', html)
    inputs = iter(range(1, 1_000_000))
    html = INPUT_PRE.sub(
        lambda m: (
            f'{m[1]}<pre id="cell-code-{next(inputs)}" tabindex="0"><code>{m[2]}</code></pre>'
        ),
        html,
    )
    html = html.replace("<pre>", '<pre tabindex="0">')  # outputs: what is left

    used = {name for names in CLASS_ATTR.findall(html) for name in names.split()}

    def external(match: re.Match[str]) -> str:
        css = prune(match.group(1), used).strip() + "\n"
        uri = f"assets/jupyter/{hashlib.sha256(css.encode()).hexdigest()[:16]}.css"
        path = os.path.join(config.site_dir, uri)
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(css)
        href = posixpath.relpath(uri, posixpath.dirname(page.file.dest_uri))
        return f'<link rel="stylesheet" href="{href}">'

    return STYLE.sub(external, html)


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav: Any) -> dict:
    # Runs after mkdocs-static-i18n's on_page_context (priority 50), which has
    # just set this page's `extra.alternate` (an attribute of config.extra,
    # not a key: that is what the template reads).
    if not isinstance(page.file, NotebookPage):
        return context
    i18n = config.plugins["i18n"]
    path = page.url
    if not i18n.is_default_language_build:
        path = path.removeprefix(f"{i18n.current_language}/")
    for alternate in getattr(config.extra, "alternate", None) or []:
        lang = alternate["lang"]
        alternate["link"] = path if lang == i18n.default_language else f"{lang}/{path}"
    return context
