import Foundation
import HTTP
import JSON
import TestSupport

/// A stand-in for the Anthropic Messages API on loopback: checks the request
/// shape and answers with `reply(prompt)` in the API's response shape.
func anthropicStandIn(_ reply: @escaping @Sendable (_ system: String, _ prompt: String) -> String) throws -> LoopbackServer {
    try LoopbackServer { request in
        guard request.method == "POST", request.path == "/v1/messages" else { return .json(#"{"error":"not found"}"#, status: 404) }
        guard request.headers["x-api-key"] == "test-key", request.headers["anthropic-version"] == "2023-06-01" else {
            return .json(#"{"type":"error","error":{"type":"authentication_error","message":"bad key"}}"#, status: 401)
        }
        guard let body = try? JSON(parsing: request.body), body["model"]?.stringValue != nil, body["max_tokens"]?.intValue != nil,
              let prompt = body["messages"]?[0]?["content"]?.stringValue else {
            return .json(#"{"type":"error","error":{"type":"invalid_request_error","message":"bad body"}}"#, status: 400)
        }
        let text = reply(body["system"]?.stringValue ?? "", prompt)
        let answer: JSON = ["id": "msg_test", "type": "message", "role": "assistant", "model": body["model"]!,
                            "content": [["type": "text", "text": .string(text)]], "stop_reason": "end_turn"]
        return .json(answer.serialized())
    }
}

/// Writes an executable shell script and returns its path.
func writeScript(_ dir: TemporaryDirectory, _ name: String, _ body: String) throws -> String {
    try dir.write(name, "#!/bin/sh\n" + body + "\n")
    chmod(dir.file(name), 0o755)
    return dir.file(name)
}

/// A transcriber that behaves like mlx_whisper's CLI: writes `<name>.json`
/// with `NaN` in it into `--output-dir`.
func fakeWhisper(_ dir: TemporaryDirectory, output: String? = nil) throws -> String {
    if let output { try dir.write("whisper-output.json", output) }
    let write = output == nil ? nil : "cp \"\(dir.file("whisper-output.json"))\" \"$out/$name.json\"; exit 0"
    return try writeScript(dir, "fake-whisper.sh", #"""
    out=""; audio=""
    while [ $# -gt 0 ]; do
      case "$1" in --output-dir) out="$2"; shift 2;; --model|--output-format) shift 2;; *) audio="$1"; shift;; esac
    done
    [ -f "$audio" ] || { echo "no such audio: $audio" >&2; exit 2; }
    name=$(basename "$audio"); name="${name%.*}"
    \#(write ?? "")
    printf '{"text":" Hello and welcome to the talk. Later.","segments":[{"start":0.0,"end":4.2,"text":" Hello and welcome","avg_logprob":NaN},{"start":4.2,"end":9.8,"text":" to the talk."},{"start":130.0,"end":140.0,"text":" Later."}],"language":"en"}' > "$out/$name.json"
    """#)
}
