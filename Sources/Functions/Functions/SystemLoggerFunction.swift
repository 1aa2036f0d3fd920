import InngestProtocol
import JSON

/// `system-logger`: writes one system-log line per pipeline event and
/// re-emits it as `system/log.written` for other listeners.
///
/// The original wrote every pipeline event twice (its re-emitted
/// `system/log.written` triggered a second line). Here the re-emitted event
/// carries the first line's id as `logId`, so the second run finds the line
/// already there and appends nothing.
public enum SystemLoggerFunction {
    public static let id = "system-logger"
    public static let triggers = ["pipeline/video.downloaded", "pipeline/transcript.processed", "content/summarized",
                                  "pipeline/book.downloaded", "system/log.written"]

    public static func make(_ services: FunctionServices) -> InngestFunction {
        InngestFunction(id: id, name: "System logger", triggers: triggers.map { .event($0) },
                        config: FunctionConfiguration(retries: 4)) { ctx in
            let event = ctx.event
            let fields = SystemLogNormalizer.fields(eventName: event.name, data: event.data)
            let logId = event.data["logId"]?.stringValue ?? "event:\(event.id ?? ctx.runId)"

            let written = try await ctx.step.run("append-log") {
                try services.systemLog.append(SystemLogEntry(id: logId, timestamp: TimeFormat.iso8601(services.now()),
                                                             action: fields.action, tool: fields.tool,
                                                             detail: fields.detail, reason: fields.reason))
            }

            if event.name != "system/log.written" {
                var data: JSON = ["action": .string(fields.action), "tool": .string(fields.tool),
                                  "detail": .string(fields.detail)]
                if let reason = fields.reason { data["reason"] = .string(reason) }
                data["logId"] = .string(logId)
                try await ctx.step.sendEvent("emit-system-log-written", InngestEvent(name: "system/log.written", data: data))
            }
            return SystemLoggerResult(logged: event.name, logId: logId, written: written)
        }
    }
}

public struct SystemLoggerResult: Codable, Sendable, Equatable {
    public var logged: String
    public var logId: String
    /// False when the line was already in the log (a repeat delivery).
    public var written: Bool
}
