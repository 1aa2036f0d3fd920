"""A stand-in for the Anthropic Messages API on loopback for bench/loop:
every judge question gets a passing verdict. Prints its port, then serves."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        text = json.dumps({"verdict": "pass", "reasoning": "does what the story asks"})
        answer = {"id": "msg_bench", "type": "message", "role": "assistant", "model": body.get("model", "x"),
                  "content": [{"type": "text", "text": text}], "stop_reason": "end_turn"}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
