/// Why an inventory document was rejected: the JSON path of the offending
/// field and what is wrong with it, e.g.
/// `machines[0].services[2].check.port: expected an integer in 1...65535, got "x"`.
public struct InventoryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "inventory: \(message)" : "inventory: \(path): \(message)"
    }
}
