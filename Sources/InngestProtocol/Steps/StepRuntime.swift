import Foundation
import JSON

/// The state of one call while the function body replays: memoised steps,
/// step-id counters, steps found so far, and the branch structure of
/// `parallel`. Step tools talk to it; the `CallExecutor` reads the outcome.
///
/// Branches of `parallel` run one after another (never concurrently), so step
/// ids, `:N` suffixes and the set of steps found are deterministic from one
/// replay to the next. The lock guards against user code that calls step
/// tools from tasks of its own (`async let`). `race` uses the completion
/// order the server sends (`ctx.stack`) to pick the same winner on every replay.
final class StepRuntime: @unchecked Sendable {
    /// A step reached for the first time in this call.
    struct Found {
        let userId: String
        let hashedId: String
        /// The op to report if the step is not executed now (`StepPlanned` for runs).
        let op: GeneratorOp
        /// For run-like steps: the code to execute.
        let execute: (@Sendable () async throws -> JSON)?
        /// `step.sendEvent` steps carry `opts.type` on their `StepRun` too.
        let runOpts: JSON?
    }

    enum Mode: Equatable {
        /// `stepId=step`: replay, then report what is new (running it at once when allowed).
        case discovery(immediateExecutionAllowed: Bool)
        /// `stepId=<hash>`: replay until that planned step and run only it.
        case target(String)
    }

    enum Lookup {
        case memoised(StepMemo)
        case new(hashedId: String, index: Int)
    }

    let mode: Mode
    let appId: String
    let hooks: RuntimeHooks
    private let lock = NSLock()
    private let memos: StepMemos
    private var counts: [String: Int] = [:]
    private var found: [Found] = []
    /// One entry per open branch (the body itself is the first).
    private var branches: [BranchState] = [BranchState()]
    /// Position of each completed step in `ctx.stack.stack`: the order in which they finished.
    private let completionOrder: [StepHashKey: Int]
    private var targetReached = false
    private var executingStepId: String?
    private var unseenMemos: Int
    private var replayEnded = false
    private var swallowed = false

    /// A branch's progress: whether it stopped at a new step, and the latest
    /// completion position of the memoised steps it consumed (for `race`).
    struct BranchState {
        var interrupted = false
        var lastCompletion = -1
    }

    init(mode: Mode, memos: StepMemos, appId: String, hooks: RuntimeHooks, stack: [String] = []) {
        var order: [StepHashKey: Int] = [:]
        order.reserveCapacity(stack.count)
        for (i, id) in stack.enumerated() { order[StepHashKey(id)] = i }
        self.completionOrder = order
        self.mode = mode
        self.memos = memos
        self.appId = appId
        self.hooks = hooks
        self.unseenMemos = memos.completedCount
        counts.reserveCapacity(memos.count + 8)
    }

    // MARK: Reading the outcome

    var foundSteps: [Found] { lock.withLock { found } }

    /// True while the body is re-running code whose steps are all memoised; the
    /// logger is silent then.
    var isReplaying: Bool { lock.withLock { !replayEnded && unseenMemos > 0 && found.isEmpty && executingStepId == nil } }

    /// Whether user code caught a `StepInterruption` and carried on (logged as a warning).
    var interruptionWasSwallowed: Bool { lock.withLock { swallowed } }

    /// Marks the moment new code starts; true exactly once, for firing `beforeExecution`.
    func takeReplayEnd() -> Bool {
        lock.withLock {
            guard !replayEnded, unseenMemos == 0 || !found.isEmpty else { return false }
            replayEnded = true
            return true
        }
    }

    // MARK: Step resolution

    /// The hashed id for the next use of `userId`: the first use hashes `id`, the
    /// n-th repeat `id:n` (see `StepIdHasher`).
    func lookup(_ userId: String) throws -> (hashedId: String, lookup: Lookup) {
        try lock.withLock {
            if let outer = executingStepId { throw NestedStepError(outerStepId: outer, innerStepId: userId) }
            if branches[branches.count - 1].interrupted {
                swallowed = true
                throw StepInterruption()
            }
            if targetReached {
                // A later `parallel` branch starting after an earlier one reached the
                // target (the server runs planned parallel steps by targeted calls):
                // stop it quietly; nothing was swallowed.
                branches[branches.count - 1].interrupted = true
                throw StepInterruption()
            }
            let index = counts[userId, default: 0]
            counts[userId] = index + 1
            let hashed = StepIdHasher.hash(userId, index: index)
            if let memo = memos[hashed], memo.isCompleted {
                unseenMemos -= 1
                // Steps missing from the stack sort after those in it, in the order met.
                let position = completionOrder[StepHashKey(hashed)] ?? (completionOrder.count + counts.count)
                branches[branches.count - 1].lastCompletion = max(branches[branches.count - 1].lastCompletion, position)
                return (hashed, .memoised(memo))
            }
            return (hashed, .new(hashedId: hashed, index: index))
        }
    }

    /// Records a new step and stops the current branch.
    func interrupt(at step: Found) -> StepInterruption {
        lock.withLock {
            switch mode {
            case .discovery:
                found.append(step)
            case .target(let target):
                guard step.hashedId == target else {
                    // Another new step: stop only the task that met it. Marking the
                    // branch would also stop a concurrent task of the same branch
                    // (`async let`) on its way to the target, and the call would
                    // wrongly answer that the target was never reached.
                    return StepInterruption()
                }
                found.append(step)
                targetReached = true
            }
            branches[branches.count - 1].interrupted = true
            return StepInterruption()
        }
    }

    // MARK: Parallel branches

    /// Where a `parallel` call starts in the list of found steps.
    func beginParallel() -> Int { lock.withLock { found.count } }

    func beginBranch() { lock.withLock { branches.append(BranchState()) } }

    /// Ends a branch and returns its state; the enclosing branch inherits its
    /// latest completion position.
    @discardableResult
    func endBranch() -> BranchState {
        lock.withLock {
            let ended = branches.removeLast()
            branches[branches.count - 1].lastCompletion = max(branches[branches.count - 1].lastCompletion, ended.lastCompletion)
            return ended
        }
    }

    /// After `parallel`: an interruption of any branch interrupts the enclosing one.
    func propagateInterruption() -> StepInterruption {
        lock.withLock {
            branches[branches.count - 1].interrupted = true
            return StepInterruption()
        }
    }

    /// A race has no winner yet: its planned steps tell the server so
    /// (`opts.parallelMode: "race"`), and it calls back as soon as one finishes.
    func markRace(since count: Int) {
        lock.withLock {
            for i in found.indices where i >= count && found[i].op.op == .stepPlanned {
                var opts = found[i].op.opts?.objectValue ?? JSONObject()
                opts["parallelMode"] = "race"
                var op = found[i].op
                op.opts = .object(opts)
                found[i] = Found(userId: found[i].userId, hashedId: found[i].hashedId, op: op,
                                 execute: found[i].execute, runOpts: found[i].runOpts)
            }
        }
    }

    /// A branch failed with a real error: steps found by this `parallel` are
    /// dropped, since the error ends the function (as `Promise.all` would).
    func discardFound(since count: Int) {
        lock.withLock {
            if found.count > count { found.removeSubrange(count...) }
        }
    }

    // MARK: Executing a step

    func beginExecuting(_ userId: String) { lock.withLock { executingStepId = userId } }
    func endExecuting() { lock.withLock { executingStepId = nil } }
}

/// What step tools need from outside the runtime: middleware and the event sender.
struct RuntimeHooks: Sendable {
    let call: MiddlewareCall
    let middleware: [any InngestMiddleware]
    let sendEvents: @Sendable ([InngestEvent]) async throws -> [String]
    /// `POST /v1/signals` through the app's API client: the resumed run's id, nil when none waited.
    let sendSignal: @Sendable (String, JSON) async throws -> String?
}
