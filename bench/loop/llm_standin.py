"""A stand-in for the Anthropic Messages API on loopback for bench/loop: the
reviewer's questions are all answered yes, the retrospective gets a short
reflection, and every judge question a passing verdict. Prints its port, then serves."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        messages = body.get("messages") or [{}]
        prompt = str(messages[0].get("content", ""))
        if '"questions"' in prompt:
            text = json.dumps({"questions": [{"id": q, "answer": True, "evidence": "bench"} for q in ("q2", "q3", "q4")]})
        elif "## Narrative" in prompt:
            text = "## Analysis\n- Both stories passed first time.\n\n## Narrative\nThe loop ran."
        else:
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
