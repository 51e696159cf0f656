"""Preview server: the built site on 127.0.0.1, building it first when there is none.

Input: the site folder (and archives to build from). Output: an HTTP server until Ctrl-C.
"""
from __future__ import annotations

import functools
import http.server
import sys
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pagefind needs, no request log on stderr."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".wasm": "application/wasm", ".pagefind": "application/octet-stream",
        ".pf_meta": "application/octet-stream", ".pf_index": "application/octet-stream",
        ".pf_fragment": "application/octet-stream", ".pf_filter": "application/octet-stream",
        ".xml": "application/xml", ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    }

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


def make_server(site: Path, port: int = 8000) -> http.server.ThreadingHTTPServer:
    """A server for `site` on 127.0.0.1:port (port 0 picks a free one); not yet serving."""
    handler = functools.partial(QuietHandler, directory=str(site))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(site: Path, port: int = 8000, archives: list[Path] | None = None) -> int:
    """Serve `site`, building it from `archives` first when it holds no index.html."""
    site = Path(site)
    if not (site / "index.html").is_file():
        from chatmine.build import BuildOptions, build

        print(f"no site in {site}: building it first", file=sys.stderr)
        build(BuildOptions(archives=list(archives or []), output=site))
    server = make_server(site, port)
    host, real_port = server.server_address[:2]
    print(f"serving {site} at http://{host}:{real_port}/  (Ctrl-C stops)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
