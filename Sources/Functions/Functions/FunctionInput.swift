import InngestProtocol
import JSON

/// Reads a function's event data into its input type. Bad input will be just
/// as bad on the next attempt, so it fails the run at once with a message
/// naming the event and the problem.
enum FunctionInput {
    static func decode<T: Decodable>(_ type: T.Type, from event: InngestEvent) throws -> T {
        do {
            return try event.data.decode(T.self)
        } catch {
            throw NonRetriableError("invalid \(event.name) data: \(error)")
        }
    }

    static func require(_ value: String?, _ field: String, in event: InngestEvent) throws -> String {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw NonRetriableError("\(event.name) needs a non-empty \"\(field)\"")
        }
        return value
    }
}
