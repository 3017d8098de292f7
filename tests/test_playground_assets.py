"""docs/hooks/playground_assets.py drops the playground's comments and nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))

from playground_assets import strip_css, strip_js  # noqa: E402

PLAYGROUND = ROOT / "docs" / "assets" / "playground"


def test_only_comment_lines_go() -> None:
    source = (
        "// a comment\n"
        "const a = 1; // after code: kept\n"
        "  // indented comment\n"
        'const svg = "http://www.w3.org/2000/svg";\n'
    )
    assert strip_js(source) == (
        'const a = 1; // after code: kept\nconst svg = "http://www.w3.org/2000/svg";\n'
    )
    assert strip_css("/* one\n two */\na { b: c; } /* d */\n") == "a { b: c; } "


def test_every_line_of_code_is_kept() -> None:
    for path in sorted(PLAYGROUND.glob("*.js")):
        source = path.read_text(encoding="utf-8")
        code = [line for line in source.splitlines() if not line.lstrip().startswith("//")]
        assert strip_js(source).splitlines() == code, path.name
        # No template literal or string holds a line that starts like a comment.
        assert "`\n//" not in source and "\\n//" not in source, path.name
    css = (PLAYGROUND / "playground.css").read_text(encoding="utf-8")
    stripped = strip_css(css)
    assert "/*" not in stripped and "*/" not in stripped
    assert stripped.count("{") == css.count("{") and stripped.count("}") == css.count("}")
