import HTTP
import InngestProtocol
import JSON

/// Wraps the serve endpoint to note, per run, what the server put in each call's
/// `ctx` and which ops (and `X-Inngest-No-Retry`) the SDK answered with, so a
/// check can say what this server version sends and what the SDK chose for it,
/// instead of assuming either.
enum WireWatch {
    static func wrap(_ handler: InngestServeHandler) -> HTTPRouter.Route {
        { request in
            let response = await handler.handle(request)
            guard request.method == "POST", request.queryValue("fnId") != nil,
                  let call = try? JSON(parsing: request.body),
                  let runId = call["ctx"]?["run_id"]?.stringValue else { return response }
            let maxAttempts = call["ctx"]?["max_attempts"].map { $0.serialized() } ?? "absent"
            await RunTally.shared.note("wire:max_attempts:\(runId)", maxAttempts)
            let noRetry = response.headers["X-Inngest-No-Retry"] == "true" ? " no-retry" : ""
            if response.status == 206, case .bytes(let body) = response.body,
               let ops = (try? JSON(parsing: body))?.arrayValue {
                for op in ops {
                    await RunTally.shared.log("wire:ops:\(runId)", (op["op"]?.stringValue ?? "?") + noRetry)
                }
            } else {
                await RunTally.shared.log("wire:ops:\(runId)", "\(response.status)" + noRetry)
            }
            return response
        }
    }
}
