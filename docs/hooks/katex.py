"""Serve KaTeX from the site itself: no CDN, no request to another host.

KaTeX comes from npm (package.json pins it; `npm ci` installs it into
node_modules/). This hook adds the few files the pages need to the build, under
assets/katex/: the JS, auto-render, the CSS and the woff2 fonts. Every browser
that runs KaTeX reads woff2, so the CSS is rewritten to drop the .woff/.ttf
fallbacks and those files are not shipped.
"""

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "node_modules" / "katex" / "dist"
DEST = "assets/katex"
# `,url(fonts/X.woff) format("woff")` and the same for .ttf / "truetype".
FALLBACK_FONTS = re.compile(r',url\(fonts/[^)]+\.(?:woff|ttf)\) format\("(?:woff|truetype)"\)')


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not (DIST / "katex.min.js").is_file():
        raise PluginError(
            f"KaTeX is missing ({DIST} not found). Run `npm ci` in {ROOT} "
            "(or use ./scripts/serve, which does it for you)."
        )
    return config


# After mkdocs-static-i18n (priority -100) so it does not treat these as docs files.
@event_priority(-150)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    def add(name: str, **source: str) -> None:
        uri = f"{DEST}/{name}"
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, **source))

    for name in ("katex.min.js", "contrib/auto-render.min.js"):
        add(name, abs_src_path=str(DIST / name))
    css = (DIST / "katex.min.css").read_text(encoding="utf-8")
    add("katex.min.css", content=FALLBACK_FONTS.sub("", css))
    for font in sorted((DIST / "fonts").glob("*.woff2")):
        add(f"fonts/{font.name}", abs_src_path=str(font))
    return files
