import Foundation
import HTTP
import Support
import WorkerSettings
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The worker: resolve configuration, serve HTTP until SIGTERM/SIGINT, drain, exit 0.
// The main thread sets everything up, then waits for the signal (SignalWaiter);
// the event loops and Swift's global executor do the work.
// Exit codes: 0 clean stop, 1 cannot start (e.g. port in use), 2 bad configuration.

signal(SIGPIPE, SIG_IGN)

let configuration: WorkerConfiguration
switch WorkerConfiguration.resolve(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment) {
case .run(let resolved):
    configuration = resolved
case .help(let text):
    print(text, terminator: "")
    exit(0)
case .version:
    print("worker \(WorkerServices.version)")
    exit(0)
case .invalid(let problems):
    for problem in problems { FileHandle.standardError.write(Data("worker: \(problem)\n".utf8)) }
    exit(2)
}

let signals = SignalWaiter()
let logger = Logger(minimumLevel: configuration.logLevel)
let descriptorLimit = DescriptorLimit.raise()
if descriptorLimit < UInt64(configuration.server.maxConnections) + 64 {
    logger.warn("open-file limit below the connection limit", ["limit": .int(Int(descriptorLimit)), "maxConnections": .int(configuration.server.maxConnections)])
}
let engineLauncher: EmbeddedEngineLauncher
do {
    engineLauncher = try EmbeddedEngineLauncher.prepare(configuration: configuration, environment: ProcessInfo.processInfo.environment,
                                                        logger: logger)
} catch {
    logger.error("cannot start the embedded Inngest engine", ["error": .string("\(error)")])
    exit(1)
}
let services = WorkerServices(configuration: configuration, logger: logger)
let inngest: InngestServing
switch InngestServing.make(environment: engineLauncher.sdkEnvironment(ProcessInfo.processInfo.environment), logger: logger,
                           middleware: [services.functionMetricsMiddleware()]) {
case .success(let serving): inngest = serving
case .failure(let problems):
    for problem in problems.messages { FileHandle.standardError.write(Data("worker: \(problem)\n".utf8)) }
    exit(2)
}
let router = services.instrumented(services.addConsole(to: inngest.mounted(on: services.makeRouter()), serving: inngest,
                                                      environment: ProcessInfo.processInfo.environment))
let handler: any HTTPHandler = configuration.logLevel == .debug ? AccessLog(next: router, logger: logger) : router
services.reportHealth(of: inngest)
let server = HTTPServer(configuration: configuration.server, handler: handler)
do {
    try server.start()
} catch {
    logger.error("cannot start", ["error": .string("\(error)")])
    exit(1)
}
logger.info("listening", ["host": .string(configuration.host), "port": .int(server.port), "version": .string(WorkerServices.version)])
engineLauncher.beginDispatching(logger: logger)
inngest.startSync(host: configuration.host, port: server.port, onResult: services.recordSync)

let received = signals.wait()
logger.info("stopping", ["signal": .string(received), "drainSeconds": .double(configuration.drainTimeout)])
// main is synchronous (see SignalWaiter), so the async shutdown runs as a
// detached task and the main thread waits for it.
let stopped = DispatchSemaphore(value: 0)
Task.detached { [server, engineLauncher, drain = configuration.drainTimeout] in
    await server.shutdown(drain: drain)
    await engineLauncher.stop()
    stopped.signal()
}
stopped.wait()
logger.info("stopped")
exit(0)
