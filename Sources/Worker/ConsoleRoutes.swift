import Console
import Foundation
import Functions
import HTTP
import InngestProtocol
import LoopConsole
import Ops
import WorkerSettings

extension WorkerServices {
    /// Serves the web console under `--console-path` (default `/console`) on
    /// the worker's own server: it reads runs and events through the same
    /// Inngest REST API the SDK uses (embedded engine or Inngest server), the
    /// inventory for Services, this worker's counters and the loop state
    /// store. It asks for the signing key whenever the SDK has one.
    func addConsole(to router: HTTPRouter, serving: InngestServing, environment: [String: String]) -> HTTPRouter {
        let path = configuration.string(.consolePath)
        guard path != "off" else { return router }
        let inngest = serving.inngest
        let sdk = inngest.configuration
        let http = SocketHTTPClient()
        let inventoryPath = Self.absolute(configuration.string(.inventory))
        var checkServices: (@Sendable () async throws -> StatusReport)?
        if FileManager.default.fileExists(atPath: inventoryPath) {
            checkServices = { @Sendable in try await Self.checkServices(inventoryPath: inventoryPath, http: http) }
        }
        let metrics = self.metrics
        var loops: (@Sendable () throws -> [ConsoleLoop])?
        if let database = (try? FunctionsConfig.load(environment: environment))?.databasePath {
            let reader = ConsoleLoopReader(databasePath: database)
            loops = { @Sendable in try reader.read() }
        }
        let sources = ConsoleSources(
            api: InngestAPIClient(configuration: sdk, httpClient: http),
            functions: { inngest.syncedFunctionConfigs },
            send: { try await inngest.send($0) },
            checkServices: checkServices,
            metrics: { metrics.exposition() },
            loops: loops,
            now: { Int64(Date().timeIntervalSince1970 * 1000) },
            appID: inngest.appId)
        let keys = [sdk.signingKey?.value, sdk.signingKeyFallback?.value].compactMap { $0 }
        let console = ConsoleHandler(prefix: path, auth: ConsoleAuth(signingKeys: keys), sources: sources)
        if keys.isEmpty { logger.warn("console open without sign-in (no signing key)", ["path": .string(path)]) }
        var router = router
        let previous = router.fallback
        router.fallback = { request in
            console.serves(request.path) ? await console.handle(request) : await previous(request)
        }
        return router
    }

    /// One `joelclaw status` round over the inventory (read afresh each time, so edits show).
    static func checkServices(inventoryPath: String, http: any HTTPClient) async throws -> StatusReport {
        let inventory = try Inventory.load(from: inventoryPath)
        let started = Date()
        let statuses = await HealthChecker(http: http).check(inventory)
        return StatusReport(inventory: inventory, statuses: statuses, checkedAt: started, duration: Date().timeIntervalSince(started))
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
