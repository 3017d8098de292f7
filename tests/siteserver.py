"""Serve a built site on loopback, in a thread, for as long as a ``with`` block runs."""

from __future__ import annotations

import functools
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def reserve() -> ThreadingHTTPServer:
    """A server bound to a free port (serving nothing yet): its address can go into a build's
    SITE_URL before the site exists, and no one else can take the port meanwhile."""
    server = ThreadingHTTPServer((HOST, 0), _Quiet, bind_and_activate=False)
    server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.server_bind()
    server.server_activate()
    return server


def url(server: ThreadingHTTPServer) -> str:
    return f"http://{HOST}:{server.server_address[1]}/"


@contextmanager
def serve(directory: Path, server: ThreadingHTTPServer | None = None) -> Iterator[str]:
    """``http://127.0.0.1:<port>/`` serving ``directory``."""
    server = server or reserve()
    server.RequestHandlerClass = functools.partial(_Quiet, directory=str(directory))  # type: ignore[assignment]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
