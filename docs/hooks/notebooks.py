"""Make mkdocs-jupyter's notebook pages work with i18n and stay offline.

1. mkdocs-static-i18n rebuilds every File as a plain `File`, so the notebook
   pages that mkdocs-jupyter had marked as documentation pages turn back into
   static files and silently vanish (ultrabug/mkdocs-static-i18n#198). After
   i18n has picked this language's files, mark the notebooks as pages again.
   Their destinations (`zh/notebooks/x/index.html`) are already right.
2. nbconvert's template loads MathJax from a CDN; drop it (our KaTeX renders
   the notebook's `$...$`), and any other `<script src="http...">`; drop the
   Mermaid loader (it imports from a CDN) and the script behind mkdocs-jupyter's
   own copy button.
3. Cells read from a jupytext .py get random ids (nbformat), which nbconvert
   prints as `id="cell-id=..."`; number them in order so builds are
   byte-identical.
4. Each notebook page inlines ~600 kB of the same CSS; keep the rules the page
   can use and the custom properties something reads (~20 kB), in shared files
   under assets/jupyter/ that the page links to.
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

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import re
from dataclasses import dataclass
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
# Inline scripts and styles of nbconvert's template that a static page here does not use:
# the <clipboard-copy> element behind mkdocs-jupyter's copy button (removed below), and the
# Mermaid loader, which would import mermaid from a CDN (this site makes no such requests).
UNUSED_INLINE = re.compile(r"<(script|style)\b[^>]*>((?:(?!</\1>).)*)</\1>\s*", re.S)
UNUSED_MARKERS = ("ClipboardCopyElement", "'clipboard-copy'", "mermaid", "jp-RenderedMermaid")
MERMAID_COMMENT = re.compile(r"<!--[^<>]*mermaid[^<>]*-->\s*", re.I)
OWN_COPY_BUTTON = re.compile(
    r'<div class="zeroclipboard-container">\s*<clipboard-copy.*?</clipboard-copy>\s*</div>'
    r'|<div class="clipboard-copy-txt" id="cell-\d+">.*?</div>',
    re.S,
)
CLASS_ATTR = re.compile(r'class="([^"]*)"')
CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
INPUT_PRE = re.compile(r'(<div class="highlight-ipynb[^"]*">)<pre>(.*?)</pre>', re.S)


VAR = re.compile(r"var\(\s*(--[\w-]+)")


@dataclass(frozen=True)
class Rule:
    """A parsed CSS rule: a style rule (prelude, the class sets of its selectors, and its
    declarations as ``(name, text)``), an @media/@supports block (prelude and ``inner`` rules),
    or any other at-rule (kept verbatim in ``prelude``)."""

    prelude: str
    classes: tuple[frozenset[str], ...] = ()
    declarations: tuple[tuple[str, str], ...] = ()
    inner: tuple[Rule, ...] | None = None

    @property
    def is_style(self) -> bool:
        return bool(self.classes)


@functools.cache
def _rules(css: str) -> tuple[Rule, ...]:
    """Parse once: every notebook page of both languages carries the same stylesheets."""

    def parse(rules: list[Any]) -> tuple[Rule, ...]:
        out: list[Rule] = []
        for rule in rules:
            prelude = tinycss2.serialize(rule.prelude)
            if rule.type == "qualified-rule":
                classes = tuple(frozenset(CLASS_SELECTOR.findall(s)) for s in prelude.split(","))
                declarations = tuple(
                    (d.name, tinycss2.serialize([d]).rstrip(";"))
                    for d in tinycss2.parse_declaration_list(rule.content, True, True)
                    if d.type == "declaration"
                )
                out.append(Rule(prelude, classes, declarations))
            elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
                inner = parse(tinycss2.parse_rule_list(rule.content or [], True, True))
                out.append(Rule(f"@{rule.at_keyword}{prelude}", inner=inner))
            elif rule.type == "at-rule":
                out.append(Rule(tinycss2.serialize([rule])))
        return tuple(out)

    return parse(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def _matching(rules: tuple[Rule, ...], used: set[str]) -> tuple[Rule, ...]:
    """The rules that can match this page: a selector survives when every class it names is
    used on the page (rules without classes, such as element rules, always do)."""
    out = []
    for rule in rules:
        if rule.inner is not None:
            inner = _matching(rule.inner, used)
            if inner:
                out.append(Rule(rule.prelude, inner=inner))
        elif not rule.is_style or any(c <= used for c in rule.classes):
            out.append(rule)
    return tuple(out)


def _declarations(rules: tuple[Rule, ...]) -> list[tuple[str, str]]:
    return [d for r in rules for d in (_declarations(r.inner) if r.inner else r.declarations)]


def _needed_properties(sheets: list[tuple[Rule, ...]], elsewhere: str) -> set[str]:
    """Custom properties that something reads: a var() in an ordinary declaration, in the
    page or its other stylesheets (``elsewhere``), or in a needed custom property."""
    declarations = [d for rules in sheets for d in _declarations(rules)]
    needed = set(VAR.findall(elsewhere))
    for name, text in declarations:
        if not name.startswith("--"):
            needed.update(VAR.findall(text))
    definitions: dict[str, list[str]] = {}
    for name, text in declarations:
        if name.startswith("--"):
            definitions.setdefault(name, []).append(text)
    todo = list(needed)
    while todo:
        for text in definitions.get(todo.pop(), []):
            for name in VAR.findall(text):
                if name not in needed:
                    needed.add(name)
                    todo.append(name)
    return needed


def _serialize(rules: tuple[Rule, ...], properties: set[str]) -> str:
    out = []
    for rule in rules:
        if rule.inner is not None:
            inner = _serialize(rule.inner, properties)
            if inner:
                out.append(f"{rule.prelude}{{{inner}}}")
        elif not rule.is_style:
            out.append(rule.prelude)
        else:
            kept = [t for n, t in rule.declarations if not n.startswith("--") or n in properties]
            if kept:
                out.append(f"{rule.prelude}{{{';'.join(kept)}}}")
    return "\n".join(out)


def prune(sheets: list[str], used: set[str], elsewhere: str) -> list[str]:
    """JupyterLab's theme is ~575 kB, mostly for widgets a static notebook never shows and
    icons kept in custom properties. Keep the rules that can match the page (``used``: its
    classes), then the custom properties that something reads."""
    matching = [_matching(_rules(css), used) for css in sheets]
    properties = _needed_properties(matching, elsewhere)
    return [_serialize(rules, properties) for rules in matching]


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not isinstance(page.file, NotebookPage) and not page.file.src_uri.startswith("notebooks/"):
        return html
    html = MATHJAX.sub("", html)
    html = REMOTE_SCRIPT.sub("", html)
    html = OWN_COPY_BUTTON.sub("", html)
    html = UNUSED_INLINE.sub(
        lambda m: "" if any(marker in m[2] for marker in UNUSED_MARKERS) else m[0], html
    )
    html = MERMAID_COMMENT.sub("", html)
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
    sheets = STYLE.findall(html)
    elsewhere = STYLE.sub("", html) + "".join(_extra_css(config))
    pruned = iter(prune(sheets, used, elsewhere))

    def external(match: re.Match[str]) -> str:
        css = next(pruned).strip() + "\n"
        uri = f"assets/jupyter/{hashlib.sha256(css.encode()).hexdigest()[:16]}.css"
        path = os.path.join(config.site_dir, uri)
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(css)
        href = posixpath.relpath(uri, posixpath.dirname(page.file.dest_uri))
        return f'<link rel="stylesheet" href="{href}">'

    return STYLE.sub(external, html)


def _extra_css(config: MkDocsConfig) -> list[str]:
    """The site's own stylesheets, which may read JupyterLab's custom properties too."""
    found = []
    for uri in config.extra_css:
        path = os.path.join(config.docs_dir, str(uri))
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                found.append(f.read())
    return found


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
