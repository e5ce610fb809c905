"""A small web server in a thread, serving the saved pages beside this file (never the internet), plus a few
ill-behaved addresses: redirects, a page that never finishes, one too big."""

import http.server
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PAGES = Path(__file__).resolve().parent / "pages"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(PAGES), **kwargs)

    def do_GET(self):
        self.server.requests.append((self.path, self.headers.get("Host")))
        parts = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        if parts.path == "/redirect":
            self.send_response(int(query.get("status", 302)))
            self.send_header("Location", query.get("to", "/redirect"))  # without `to`, round and round
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts.path == "/drip":  # a byte at a time, never done
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(200):
                    self.wfile.write(b"<p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif parts.path == "/huge":  # says how big, or does not and keeps sending
            size = int(query.get("size", 10_000_000))
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if "announced" in query:
                self.send_header("Content-Length", str(size))
            self.end_headers()
            try:
                for _ in range(0, size, 65536):
                    self.wfile.write(b"<p>x</p>" * 8192)
            except OSError:
                pass
        elif parts.path == "/missing":
            self.send_error(404, "Not Found")
        else:
            super().do_GET()

    def log_message(self, *args):
        pass


@contextmanager
def serving():
    """Serve the pages on 127.0.0.1; yields the server, its `url` the base address, its `requests` those received."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.requests = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
