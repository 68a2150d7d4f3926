"""An HTTP server standing in for a CDN's or Varnish's purge endpoint (tests of healthsite/cdn.py's purges)."""

import http.server
import threading

from tests.s3 import free_port


class PurgeSink:
    """An HTTP server standing in for Varnish's purge endpoint: it keeps every request's method and keys."""

    def __init__(self):
        self.requests = []
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PURGE(self):
                sink.requests.append((self.command, self.path, self.headers["xkey"], self.headers["Surrogate-Key"]))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/purge"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def keys(self) -> list[set[str]]:
        return [set(xkey.split()) for _, _, xkey, _ in self.requests]
