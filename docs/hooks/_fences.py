"""Find fenced code blocks in a page's Markdown (shared by the hooks in this folder).

Only what the hooks need: the opening line, the info string, the content lines
(with the fence's indentation removed, so blocks inside admonitions and tabs
work) and the line numbers, so callers can rewrite the opening line.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@dataclass
class Block:
    opening: int  # index of the opening fence line
    indent: str
    fence: str
    info: str
    lines: list[str]  # content, dedented by the fence's indentation

    @property
    def is_doctest(self) -> bool:
        return bool(self.lines) and self.lines[0].startswith(">>>")


def blocks(lines: list[str]) -> Iterator[Block]:
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m is None:
            i += 1
            continue
        indent, fence, info = m["indent"], m["fence"], m["info"].strip()
        j = i + 1
        while j < len(lines):
            c = FENCE.match(lines[j])
            if (
                c
                and c["fence"][0] == fence[0]
                and len(c["fence"]) >= len(fence)
                and not c["info"].strip()
            ):
                break
            j += 1
        content = [line.removeprefix(indent) for line in lines[i + 1 : j]]
        yield Block(i, indent, fence, info, content)
        i = j + 1


def doctest_to_code(lines: list[str]) -> list[str]:
    """Turn a doctest session into plain code: keep statements, drop the output."""
    code: list[str] = []
    in_statement = False
    for line in lines:
        if line.startswith(">>>"):
            code.append(line[4:] if line.startswith(">>> ") else line[3:])
            in_statement = True
        elif in_statement and (line.startswith("... ") or line == "..."):
            code.append(line[4:])
        else:
            in_statement = False  # expected output
    return code
