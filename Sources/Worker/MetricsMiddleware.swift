import Monitoring

extension WorkerServices {
    /// The SDK middleware that records step and run metrics into `metrics`.
    func functionMetricsMiddleware() -> FunctionMetricsMiddleware {
        FunctionMetricsMiddleware(recorder: FunctionMetrics(metrics: metrics))
    }
}
