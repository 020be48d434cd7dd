"""A real chat-completions server on 127.0.0.1 for tests of aipmlab.llm and `make check --advise`."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def expected_answer(model, text, temperature=0.0, seed=None) -> str:
    return f"echo[{model}|t={float(temperature):g}|seed={seed}]: {text[::-1]}"


class FakeChatServer:
    """Speaks enough of POST /v1/chat/completions for the openai client. ``mode`` picks a failure."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.delay = 0.0
        self.api_key: str | None = None
        self.calls = 0
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                with outer.lock:
                    outer.calls += 1
                    outer.requests.append(request)
                if not self.path.endswith("/chat/completions"):
                    return self._send(404, {"error": {"message": f"no route {self.path}"}})
                if outer.api_key and self.headers.get("Authorization") != f"Bearer {outer.api_key}":
                    return self._send(401, {"error": {"message": "Incorrect API key provided.",
                                                      "type": "invalid_request_error"}})
                if outer.mode == "429":
                    return self._send(429, {"error": {"message": "Rate limit reached for requests",
                                                      "type": "rate_limit_error"}}, {"retry-after": "0"})
                if outer.mode == "404":
                    return self._send(404, {"error": {"message": f"model '{request.get('model')}' not found"}})
                if outer.mode == "500":
                    return self._send(500, {"error": {"message": "the server had an error"}})
                if outer.delay:
                    time.sleep(outer.delay)
                text = expected_answer(request["model"], request["messages"][-1]["content"],
                                       request.get("temperature", 1.0), request.get("seed"))
                try:
                    self._send(200, {
                        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": request["model"],
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                     "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 7, "completion_tokens": 5, "total_tokens": 12},
                    })
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda *a: None
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
