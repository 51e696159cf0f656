"""Preview server: the built site on 127.0.0.1, building it first when there is none.

Input: the site folder (and archives to build from). Output: an HTTP server until Ctrl-C.
"""
from __future__ import annotations

import functools
import gzip
import io
import http.server
import sys
from pathlib import Path


COMPRESSIBLE = {".html", ".css", ".js", ".xml", ".json", ".svg", ".txt"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types the search needs (module scripts must be JavaScript),
    no request log on stderr."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".json": "application/json", ".bin": "application/octet-stream",
        ".xml": "application/xml", ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    }

    def send_head(self):
        """Text files gzip-compressed when the browser accepts it, as static hosts do; the
        search index's binary shards (.bin) as they are, as GitHub Pages serves octet-streams."""
        path = Path(self.translate_path(self.path))
        if (path.suffix not in COMPRESSIBLE or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


def make_server(site: Path, port: int = 8000) -> http.server.ThreadingHTTPServer:
    """A server for `site` on 127.0.0.1:port (port 0 picks a free one); not yet serving."""
    handler = functools.partial(QuietHandler, directory=str(site))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(site: Path, port: int = 8000, archives: list[Path] | None = None) -> int:
    """Serve `site`, building it from `archives` first when it holds no index.html."""
    site = Path(site)
    server = make_server(site, port)
    host, real_port = server.server_address[:2]
    address = f"http://{host}:{real_port}/"
    if not (site / "index.html").is_file():
        from chatmine.app.build import BuildOptions, build

        print(f"no site in {site}: building it first, for {address}", file=sys.stderr)
        build(BuildOptions(archives=list(archives or []), output=site, base_url=address))
    print(f"serving {site} at {address}  (Ctrl-C stops)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
