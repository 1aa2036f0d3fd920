import JSON

/// A transcript as whisper produces it: the full text and timed segments
/// (segments are empty for transcripts that arrived as plain text).
public struct Transcript: Sendable, Equatable {
    public var text: String
    public var segments: [TranscriptSegment]

    public init(text: String, segments: [TranscriptSegment]) {
        self.text = text
        self.segments = segments
    }

    /// `{"text": ..., "segments": [{"start","end","text"}]}`: the intermediate file's shape.
    public var json: JSON {
        .object(JSONObject([
            (key: "text", value: .string(text)),
            (key: "segments", value: .array(segments.map {
                .object(JSONObject([(key: "start", value: .number(JSONNumber($0.start))),
                                    (key: "end", value: .number(JSONNumber($0.end))),
                                    (key: "text", value: .string($0.text))]))
            })),
        ]))
    }

    /// Reads whisper's JSON output. Whisper (Python) writes the bare token
    /// `NaN` for missing numbers, which is not JSON; those become `null` first.
    public init(whisperJSON bytes: [UInt8]) throws {
        let json = try JSON(parsing: Transcript.replacingNaN(bytes))
        guard let text = json["text"]?.stringValue else {
            throw TranscriptError.malformed("whisper output has no \"text\"")
        }
        self.text = text
        self.segments = (json["segments"]?.arrayValue ?? []).compactMap { s in
            guard let t = s["text"]?.stringValue else { return nil }
            return TranscriptSegment(start: s["start"]?.doubleValue ?? 0, end: s["end"]?.doubleValue ?? 0, text: t)
        }
    }

    /// Replaces `NaN` tokens outside strings with `null`, leaving string contents untouched.
    static func replacingNaN(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var inString = false, escaped = false
        var i = 0
        let nan: [UInt8] = Array("NaN".utf8), null: [UInt8] = Array("null".utf8)
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                out.append(b)
            } else if b == UInt8(ascii: "\"") {
                inString = true
                out.append(b)
            } else if b == nan[0], i + 3 <= bytes.count, Array(bytes[i..<i + 3]) == nan {
                out += null
                i += 3
                continue
            } else {
                out.append(b)
            }
            i += 1
        }
        return out
    }
}

public struct TranscriptSegment: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var text: String

    public init(start: Double, end: Double, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }
}

public enum TranscriptError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case noOutput(directory: String)

    public var description: String {
        switch self {
        case .malformed(let m): return "transcript: \(m)"
        case .noOutput(let d): return "the transcriber wrote no .json file into \(d)"
        }
    }
}
