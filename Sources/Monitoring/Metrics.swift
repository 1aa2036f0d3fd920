import Foundation

/// A small Prometheus-style metrics registry: counters, gauges and histograms
/// with labels, rendered in the text exposition format for `GET /metrics`.
///
/// One registry per process; the worker records requests into it, the SDK
/// middleware records steps and runs. Recording takes one short lock, so it is
/// cheap enough for every request. Families are created once (usually at
/// start-up) and keep their registration order in the output.
public final class Metrics: @unchecked Sendable {
    /// Prometheus' default latency buckets, in seconds.
    public static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private let lock = NSLock()
    private var families: [MetricFamily] = []

    public init() {}

    public func counter(_ name: String, help: String, labels: [String] = []) -> Counter {
        Counter(registry: self, index: register(name, help, .counter, labels, []))
    }

    public func gauge(_ name: String, help: String, labels: [String] = []) -> Gauge {
        Gauge(registry: self, index: register(name, help, .gauge, labels, []))
    }

    public func histogram(_ name: String, help: String, labels: [String] = [],
                          buckets: [Double] = Metrics.defaultBuckets) -> Histogram {
        precondition(!buckets.isEmpty && zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 }, "buckets must increase")
        return Histogram(registry: self, index: register(name, help, .histogram, labels, buckets))
    }

    /// Registering the same name again returns the same family (same type and
    /// labels required), so independent components can share a metric.
    private func register(_ name: String, _ help: String, _ type: MetricFamily.Kind, _ labels: [String], _ buckets: [Double]) -> Int {
        precondition(MetricFamily.isValidName(name), "invalid metric name \(name)")
        precondition(labels.allSatisfy { MetricFamily.isValidName($0) && !$0.hasPrefix("__") && $0 != "le" }, "invalid label names \(labels)")
        return lock.withLock {
            if let i = families.firstIndex(where: { $0.name == name }) {
                precondition(families[i].kind == type && families[i].labelNames == labels, "\(name) registered twice with different shapes")
                return i
            }
            families.append(MetricFamily(name: name, help: help, kind: type, labelNames: labels, buckets: buckets))
            return families.count - 1
        }
    }

    func update(_ index: Int, _ labels: [String], _ body: (inout MetricFamily.Series, MetricFamily) -> Void) {
        lock.withLock {
            let family = families[index]
            precondition(labels.count == family.labelNames.count, "\(family.name) takes labels \(family.labelNames)")
            var series = families[index].series[labels] ?? MetricFamily.Series(bucketCounts: Array(repeating: 0, count: family.buckets.count))
            body(&series, family)
            if families[index].series[labels] == nil { families[index].order.append(labels) }
            families[index].series[labels] = series
        }
    }

    /// The current value of a counter or gauge series (for tests and /health).
    public func value(_ name: String, _ labels: [String] = []) -> Double? {
        lock.withLock { families.first { $0.name == name }?.series[labels]?.value }
    }

    /// Everything, in the Prometheus text exposition format (version 0.0.4).
    public func exposition() -> String {
        let snapshot = lock.withLock { families }
        return snapshot.map(PrometheusText.render).joined()
    }

    /// The `Content-Type` for `exposition()`.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// A value that only goes up (requests, runs). Labels are given in the order
/// they were declared.
public struct Counter: Sendable {
    let registry: Metrics
    let index: Int
    public func increment(_ labels: [String] = [], by amount: Double = 1) {
        precondition(amount >= 0, "counters only go up")
        registry.update(index, labels) { s, _ in s.value += amount }
    }
}

/// A value that goes up and down (requests in flight, function count).
public struct Gauge: Sendable {
    let registry: Metrics
    let index: Int
    public func set(_ value: Double, _ labels: [String] = []) { registry.update(index, labels) { s, _ in s.value = value } }
    public func add(_ amount: Double, _ labels: [String] = []) { registry.update(index, labels) { s, _ in s.value += amount } }
}

/// Observations counted into buckets (durations).
public struct Histogram: Sendable {
    let registry: Metrics
    let index: Int
    public func observe(_ value: Double, _ labels: [String] = []) {
        registry.update(index, labels) { s, family in
            if let i = family.buckets.firstIndex(where: { value <= $0 }) { s.bucketCounts[i] += 1 }
            s.sum += value
            s.count += 1
        }
    }
}
