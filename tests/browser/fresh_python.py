"""Run copied code as a reader would, in a fresh Python process, without paying for
``import torch`` once per page.

This script imports torch and backpropdoc once, then reads one job per line on stdin:

    {"id": int, "blocks": [{"code": str, "error": str | None}, ...], "stderr": path}

Each job runs in a child forked from this clean state: a new namespace and torch's untouched
global state (no page code ever ran here), so a block that forgets an import, or leans on a
setting made by another page, fails as it would in a new interpreter. The blocks run in order,
as pasted into one session; a block may raise only the exception its page shows. For each job
one line goes to stdout: its id and the child's exit status (0 when every block did what the
page says).
"""

import json
import os
import sys
import traceback

import torch  # noqa: F401  (imported for the children's sake)

import backpropdoc  # noqa: F401


def run(blocks: list[dict[str, str | None]]) -> int:
    namespace = {"__name__": "__main__"}
    for i, block in enumerate(blocks, start=1):
        try:
            exec(compile(block["code"] or "", f"<copied block {i}>", "exec"), namespace)
        except Exception as error:
            if type(error).__name__ == block["error"]:
                continue  # the page shows this very error
            traceback.print_exc()
            return 1
        if block["error"]:
            print(f"block {i} should raise {block['error']}", file=sys.stderr)
            return 1
    return 0


def main() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            with open(job["stderr"], "w", encoding="utf-8") as errors:
                os.dup2(errors.fileno(), 2)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
                try:
                    status = run(job["blocks"])
                except BaseException:  # SystemExit from copied code, for one
                    traceback.print_exc()
                    status = 1
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(status)
        _, wait_status = os.waitpid(pid, 0)
        print(job["id"], os.waitstatus_to_exitcode(wait_status), flush=True)


if __name__ == "__main__":
    main()
