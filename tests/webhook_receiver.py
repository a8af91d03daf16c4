"""A local HTTP receiver standing in for Slack/Teams webhooks in tests: ``http.server`` in a
thread on 127.0.0.1 (a free port), recording every POST and answering from a script.

``Receiver.script`` is a list of answers, one per request (the last one repeats):
``(status, body, headers)`` or ``"hang"`` (wait until the test ends, past any client timeout).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Receiver:
    url: str = ""
    script: list = field(default_factory=lambda: [(200, b"ok", {})])
    requests: list[dict] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def payloads(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]


def start(path: str = "/services/T0SECRET/B0SECRET/xoxSECRETtoken9Qz") -> tuple[ThreadingHTTPServer, Receiver]:
    """Start a receiver; returns (server, receiver) with ``receiver.url`` = http://127.0.0.1:PORT + ``path``."""
    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n)
            i = len(rec.requests)
            rec.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            answer = rec.script[min(i, len(rec.script) - 1)]
            if answer == "hang":
                rec.release.wait(20)
                return
            status, text, headers = answer
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    rec.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, rec


def stop(server: ThreadingHTTPServer, rec: Receiver) -> None:
    rec.release.set()
    server.shutdown()
    server.server_close()
