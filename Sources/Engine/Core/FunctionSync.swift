import Support
import Hashing
import JSON

/// Syncs apps: validates a `POST /fn/register` payload, stores the app and
/// its functions, and replaces them in the in-memory registry; at start-up,
/// loads what was stored.
struct FunctionSync: Sendable {
    let store: EngineStore
    let registry: FunctionRegistry
    let clock: any EngineClock
    let timers: EngineTimers

    /// The outcome of a registration: whether anything changed.
    struct Registration {
        let appID: String
        let modified: Bool
        let functionCount: Int
        let effects: EngineEffects
    }

    /// Validates a `POST /fn/register` payload and replaces the app's functions.
    /// Throws `EngineRegistrationError` (nothing changes) if any function is refused.
    func register(_ payload: JSON) async throws -> Registration {
        guard case .object(let object) = payload else { throw EngineRegistrationError("the register body must be a JSON object") }
        guard let url = object["url"]?.stringValue, !url.isEmpty else { throw EngineRegistrationError("'url' is required") }
        guard let appID = (object["appName"] ?? object["appname"])?.stringValue, !appID.isEmpty else {
            throw EngineRegistrationError("'appName' is required")
        }
        let list = object["functions"]?.arrayValue ?? []
        var problems: [String] = []
        var functions: [FunctionDefinition] = []
        var seen = Set<String>()
        for config in list {
            do {
                let function = try FunctionDefinition(config: config, appID: appID)
                if !seen.insert(function.id).inserted { throw EngineRegistrationError("function id '\(function.id)' appears twice") }
                functions.append(function)
            } catch {
                problems.append("\(error)")
            }
        }
        if !problems.isEmpty { throw EngineRegistrationError(problems.joined(separator: "; ")) }
        for function in functions {
            if let owner = registry.function(function.id), owner.appID != appID {
                throw EngineRegistrationError("function id '\(function.id)' already belongs to app '\(owner.appID)'")
            }
        }

        let checksum = Self.checksum(url + "\u{0}" + JSON.array(list).serialized())
        let sdk = object["sdk"]?.stringValue ?? ""
        let (modified, effects) = try await store.write { () -> (Bool, EngineEffects) in
            var effects = EngineEffects()
            let previous = try self.store.appChecksum(appID)
            try self.store.saveApp(id: appID, url: url, sdk: sdk, checksum: checksum,
                                   functions: functions.map { ($0.id, $0.config.serialized()) }, now: self.clock.nowMilliseconds())
            self.registry.replaceApp(appID, with: functions)
            try self.timers.syncCronItems(&effects)
            return (previous != checksum, effects)
        }
        return Registration(appID: appID, modified: modified, functionCount: functions.count, effects: effects)
    }

    /// Loads the registered functions into the registry at start-up; a stored
    /// config the current engine refuses is reported and skipped.
    func loadFunctions(log: Logger) throws {
        var byApp: [String: [FunctionDefinition]] = [:]
        for (appID, text) in try store.allFunctions() {
            do {
                byApp[appID, default: []].append(try FunctionDefinition(config: try JSON(parsing: text), appID: appID))
            } catch {
                log.error("stored function no longer valid; skipped until re-registered", ["app_id": .string(appID), "error": "\(error)"])
            }
        }
        for (appID, functions) in byApp { registry.replaceApp(appID, with: functions) }
    }

    /// FNV-1a 64 as hex: stable across runs (unlike `Hasher`), enough to notice a changed sync.
    static func checksum(_ text: String) -> String {
        String(FNV1a.hash(text.utf8), radix: 16)
    }
}
