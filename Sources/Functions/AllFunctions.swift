import InngestProtocol

/// The functions this worker serves, in registration order. The Worker
/// registers exactly this list; the health check expects this many.
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
    functions.append(HealthCheckFunction.make(services, registeredFunctionCount: functions.count + 1))
    return functions
}
