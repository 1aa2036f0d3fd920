/// A log sink that passes every message and field value through a
/// `SecretRedactor` first. `Inngest` wraps the sink it is given in one, so no
/// SDK or function log line (`ctx.logger`) carries a key.
public struct RedactingLogSink: InngestLogSink {
    let sink: any InngestLogSink
    let redactor: SecretRedactor

    public init(_ sink: any InngestLogSink, redactor: SecretRedactor) {
        self.sink = sink
        self.redactor = redactor
    }

    public func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {
        sink.log(level, redactor.redact(message), fields: fields.map { ($0.0, redactor.redact($0.1)) })
    }
}
