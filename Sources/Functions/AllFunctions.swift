import InngestProtocol

/// The functions this worker serves, in registration order. The Worker
/// registers exactly this list; the health check expects this many on the
/// serve endpoint, where each `onFailure` handler counts as a function too.
public func allFunctions(services: FunctionServices) -> [InngestFunction] {
    var functions: [InngestFunction] = [
        VideoDownloadFunction.make(services),
        TranscriptProcessFunction.make(services),
        ContentSummarizeFunction.make(services),
        SystemLoggerFunction.make(services),
        ObserveSessionFunction.make(services),
        ADRSyncFunction.make(services),
        ContentSyncFunction.make(services),
        AgentLoopPlanFunction.make(services),
        AgentLoopTestWriterFunction.make(services),
        AgentLoopImplementFunction.make(services),
        AgentLoopReviewFunction.make(services),
        AgentLoopJudgeFunction.make(services),
        AgentLoopCompleteFunction.make(services),
        AgentLoopRetroFunction.make(services),
    ]
    functions.append(HealthCheckFunction.make(services, registeredFunctionCount: servedFunctionCount(functions) + 1))
    return functions
}

/// How many functions `functions` put on the serve endpoint: each one, plus
/// the extra function that runs its `onFailure` handler when it has one.
public func servedFunctionCount(_ functions: [InngestFunction]) -> Int {
    functions.count + functions.filter { $0.config.onFailure != nil }.count
}
