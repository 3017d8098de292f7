"""How long `properdocs serve` takes to rebuild after one Markdown page is edited.

Starts ``properdocs serve -f mkdocs.yml`` on a free local port, waits for the first build,
then edits one page (appends an HTML comment to it, or a comment to a .py file such as
``--page src/backpropdoc/labels.py``: no output changes, but the file does), waits for the
rebuild, and puts the file back (another rebuild, also timed). Prints
the seconds from the edit to the end of each rebuild (when the server logs that it reloads
the browsers), the build's own figure, and whether the notebooks were executed again or
served from the cache (docs/hooks/serve.py). Goal (issue 15): one page's edit reloads in
2 s or less. Arguments after ``--`` go to ``properdocs serve`` (for example ``--dirty``).

    .venv/bin/python benchmarks/serve.py [--page docs/glossary.md] [--edits 3] [-- --dirty]
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
# The server logs one of these once a build is over (the i18n plugin's nested build of the
# Chinese edition logs its own "Documentation built" line first, so that line is not the end).
DONE = ("Serving on", "Reloading browsers")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def comment(page: Path, text: str) -> bytes:
    """A line that changes no output: a Python comment in a .py file, else an HTML comment."""
    return (f"\n# {text}\n" if page.suffix == ".py" else f"\n<!-- {text} -->\n").encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, default=ROOT / "docs" / "glossary.md")
    parser.add_argument("--edits", type=int, default=3, help="edit/restore pairs to time")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait per build")
    parser.add_argument("serve_args", nargs="*", help="passed to properdocs serve (after --)")
    args = parser.parse_args(argv)

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    command = [sys.executable, "-m", "properdocs", "serve", "-f", "mkdocs.yml"]
    command += ["-a", f"127.0.0.1:{free_port()}", *args.serve_args]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    assert server.stdout is not None
    stream = server.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()

    def next_build() -> tuple[float, bool]:
        """The build's own seconds, and whether a notebook was executed in it."""
        executed, seconds = False, float("nan")
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if server.poll() is not None:
                    raise SystemExit(f"serve exited with {server.returncode}") from None
                continue
            executed |= "Converting notebook (execute=True)" in line
            if match := BUILT.search(line):
                seconds = float(match.group(1))
            if any(marker in line for marker in DONE):
                return seconds, executed
        raise SystemExit(f"no build within {args.timeout} s")

    page = args.page.resolve()
    original = page.read_bytes()
    worst = 0.0
    try:
        seconds, executed = next_build()
        print(f"first build: {seconds:.1f} s (notebooks executed: {executed})", flush=True)
        for n in range(args.edits):
            for label, content in (
                ("edit", original + comment(page, f"benchmark edit {n}")),
                ("restore", original),
            ):
                time.sleep(1)  # the watcher's settle time is part of what a writer waits
                start = time.monotonic()
                page.write_bytes(content)
                build, executed = next_build()
                wall = time.monotonic() - start
                worst = max(worst, wall)
                print(
                    f"{label} {page.relative_to(ROOT)}: rebuilt {wall:.2f} s after the write "
                    f"(build {build:.2f} s; notebooks executed: {executed})",
                    flush=True,
                )
    finally:
        page.write_bytes(original)
        server.terminate()
        server.wait(timeout=30)
    print(f"slowest rebuild: {worst:.2f} s (goal ≤ 2 s)")
    return 0 if worst <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
