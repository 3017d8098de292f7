"""Find fenced code blocks in a page's Markdown (shared by the hooks in this folder).

Only what the hooks need: the opening line, the info string, the content lines
(with the fence's indentation removed, so blocks inside admonitions and tabs
work) and the line numbers, so callers can rewrite the opening line.
"""

import builtins
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


def doctest_to_code(lines: list[str], *, catch: bool = True) -> list[str]:
    """Turn a doctest session into plain code: keep statements, drop the output.

    With `catch`, a statement whose expected output is a traceback is wrapped in
    try/except, so a notebook made from the page still runs top to bottom.
    """
    examples: list[tuple[list[str], list[str]]] = []  # (statement lines, output lines)
    for line in lines:
        if line.startswith(">>>"):
            examples.append(([line[4:] if line.startswith(">>> ") else line[3:]], []))
        elif examples and not examples[-1][1] and (line.startswith("... ") or line == "..."):
            examples[-1][0].append(line[4:])
        elif examples:
            examples[-1][1].append(line)
    code: list[str] = []
    for statement, output in examples:
        if catch and output and output[0].startswith("Traceback (most recent call last)"):
            # The exception's line is the first after the stack (indented or "..."); a long
            # message may go on over more lines (the doc tests normalize whitespace).
            message = [line for line in output[1:] if line[:1].isalpha() or line[:1] == "_"]
            error = (message or output)[0].split(":", 1)[0].strip()
            if not isinstance(getattr(builtins, error, None), type):
                error = "Exception"  # e.g. a torch-specific error class
            code.append("try:")
            code += [f"    {line}" if line else line for line in statement]
            code.append(f"except {error} as error:  # the page shows this error")
            code.append('    print(f"{type(error).__name__}: {error}")')
        else:
            code += statement
    return code
