import Foundation
import TestSupport
import JSON

/// Runs checks in the Python SDK (PyPI `inngest`, installed by test.sh) in one
/// `python3` subprocess: reads a JSON list of checks on stdin, answers a JSON
/// list of results `{"ok": bool, "detail": …}` on stdout.
enum PythonPeer {
    /// test.sh sets this, so CI fails loudly instead of skipping when the install broke.
    static let isRequired = ProcessInfo.processInfo.environment["INNGEST_INTEROP_REQUIRED"] == "1"

    /// Whether the interop suite should run: required, or `python3 -c 'import inngest'` works here.
    static func shouldRun() async -> Bool {
        if isRequired { return true }
        // find_spec does not import the package, so this costs only an interpreter start.
        return (try? await run(script: "import importlib.util, sys; sys.exit(importlib.util.find_spec('inngest') is None)",
                               input: []))?.status == 0
    }

    /// Runs `checks` and returns one result per check.
    static func check(_ checks: [JSON]) async throws -> [JSON] {
        let output = try await run(script: script, input: JSON.array(checks).serializedBytes())
        guard output.status == 0 else {
            throw TestFailure("python3 exited \(output.status): \(String(decoding: output.stderr, as: UTF8.self))")
        }
        guard case .array(let results) = try JSON(parsing: output.stdout), results.count == checks.count else {
            throw TestFailure("unexpected output: \(String(decoding: output.stdout.prefix(500), as: UTF8.self))")
        }
        return results
    }

    /// Runs the subprocess on a thread of its own: waiting on pipes must not
    /// block Swift's small cooperative thread pool, which other tests share.
    static func run(script: String, input: [UInt8]) async throws -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try runBlocking(script: script, input: input) })
            }
            thread.start()
        }
    }

    private static func runBlocking(script: String, input: [UInt8]) throws -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, Array(out), Array(err))
    }

    /// The Python side. Model validation maps wire keys (serialization aliases)
    /// back to field names, converts duration strings to timedeltas (the py
    /// models take timedeltas and print strings), validates with pydantic and
    /// reports any key the model does not know.
    static let script = #"""
import datetime, enum, json, re, sys, typing
import pydantic
from inngest._internal import net, server_lib, transforms
from inngest._internal.server_lib import registration, inspection
from inngest._internal.step_lib import base as step_base

def models_in(ann):
    found = []
    if isinstance(ann, type) and issubclass(ann, pydantic.BaseModel):
        return [ann]
    for a in typing.get_args(ann):
        found += models_in(a)
    return found

def wants_timedelta(ann):
    return ann is datetime.timedelta or any(wants_timedelta(a) for a in typing.get_args(ann))

def duration(text):
    m = re.fullmatch(r"(\d+)(ms|s|m|h|d|w)", text)
    if not m:
        raise ValueError("unreadable duration " + text)
    n, unit = int(m.group(1)), m.group(2)
    return {"ms": datetime.timedelta(milliseconds=n), "s": datetime.timedelta(seconds=n),
            "m": datetime.timedelta(minutes=n), "h": datetime.timedelta(hours=n),
            "d": datetime.timedelta(days=n), "w": datetime.timedelta(weeks=n)}[unit]

def convert(ann, value, extra, path):
    if isinstance(value, str) and wants_timedelta(ann):
        return duration(value)
    if isinstance(ann, type) and issubclass(ann, enum.Enum) and isinstance(value, str):
        return ann(value)
    origin = typing.get_origin(ann)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        for a in args:
            if isinstance(value, list) and typing.get_origin(a) is list:
                return convert(a, value, extra, path)
            if isinstance(value, dict) and typing.get_origin(a) is dict:
                return convert(a, value, extra, path)
            if isinstance(value, str) and isinstance(a, type) and issubclass(a, enum.Enum):
                return a(value)
        if isinstance(value, dict) and models_in(ann):
            return convert(models_in(ann)[0] if len(models_in(ann)) == 1 else ann, value, extra, path) if len(models_in(ann)) == 1 else pick(models_in(ann), value, extra, path)
        return value
    if origin is list and isinstance(value, list):
        (elem,) = typing.get_args(ann)
        return [convert(elem, v, extra, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin is dict and isinstance(value, dict):
        _, v_ann = typing.get_args(ann)
        return {k: convert(v_ann, v, extra, f"{path}.{k}") for k, v in value.items()}
    models = models_in(ann)
    if isinstance(value, dict) and models:
        return pick(models, value, extra, path)
    return value

def pick(models, value, extra, path):
    best = max(models, key=lambda m: len(set(value) & {(i.serialization_alias or n) for n, i in m.model_fields.items()}))
    # Nested models are built here: the SDK's models are strict, so their parents only accept instances.
    return best.model_validate(fields(best, value, extra, path), strict=False)

def fields(model, data, extra, path):
    out = {}
    known = set()
    hints = typing.get_type_hints(model, globalns=vars(sys.modules[model.__module__]))
    for name, info in model.model_fields.items():
        alias = info.serialization_alias or name
        known.add(alias)
        if alias in data:
            out[name] = convert(hints.get(name, info.annotation), data[alias], extra, f"{path}.{alias}")
        elif info.is_required():
            out[name] = None
    extra += [f"{path}.{k}" for k in data if k not in known]
    return out

MODELS = {
    "FunctionConfig": registration.FunctionConfig,
    "InBandSynchronizeResponse": registration.InBandSynchronizeResponse,
    "AuthenticatedInspection": inspection.AuthenticatedInspection,
    "UnauthenticatedInspection": inspection.UnauthenticatedInspection,
    "StepInfo": step_base.StepInfo,
}

def validate(check):
    model = MODELS[check["model"]]
    extra = []
    data = fields(model, check["data"], extra, "$")
    try:
        model.model_validate(data, strict=False)
    except pydantic.ValidationError as err:
        return {"ok": False, "detail": str(err)}
    if extra and not check.get("allow_extra"):
        return {"ok": False, "detail": "keys unknown to the Python model: " + ", ".join(extra)}
    return {"ok": True, "detail": extra}

def python_function_config(check):
    import inngest
    client = inngest.Inngest(app_id=check["app_id"], is_production=False)
    @client.create_function(
        fn_id="all-options", name="All options", retries=2,
        trigger=[inngest.TriggerEvent(event="app/a", expression="event.data.ok == true"), inngest.TriggerCron(cron="TZ=Europe/Berlin 0 9 * * *")],
        concurrency=[inngest.Concurrency(limit=1), inngest.Concurrency(limit=2, key="event.data.k", scope="account")],
        throttle=inngest.Throttle(limit=4, period=datetime.timedelta(seconds=60), burst=2, key="event.data.t"),
        rate_limit=inngest.RateLimit(limit=1, period=datetime.timedelta(hours=1), key="event.data.r"),
        debounce=inngest.Debounce(period=datetime.timedelta(minutes=5), key="event.data.d", timeout=datetime.timedelta(hours=1)),
        priority=inngest.Priority(run="event.data.p"),
        idempotency="event.data.id",
        cancel=[inngest.Cancel(event="app/cancel", if_exp="event.data.id == async.data.id", timeout=datetime.timedelta(days=7))],
        timeouts=inngest.Timeouts(start=datetime.timedelta(minutes=1), finish=datetime.timedelta(hours=2)),
        singleton=inngest.Singleton(key="event.data.s", mode="skip"),
    )
    def fn(ctx):
        return None
    config = fn.get_config(check["url"]).main
    return {"ok": True, "detail": transforms.deep_strip_none(config.to_dict())}

def run(check):
    kind = check["kind"]
    if kind == "verify_request":
        err = net.validate_request_sig(body=check["body"].encode(), headers={"x-inngest-signature": check["header"]},
                                       mode=server_lib.ServerKind.CLOUD, signing_key=check["key"],
                                       signing_key_fallback=check.get("fallback"))
        return {"ok": not isinstance(err, Exception), "detail": str(err)}
    if kind == "verify_response":
        err = net.validate_response_sig(body=check["body"].encode(), headers={"x-inngest-signature": check["header"]},
                                        mode=server_lib.ServerKind.CLOUD, signing_key=check["key"])
        return {"ok": not isinstance(err, Exception), "detail": str(err)}
    if kind == "sign_request":
        return {"ok": True, "detail": net.sign_request(check["body"].encode(), check["key"], check["t"])}
    if kind == "hash_signing_key":
        return {"ok": True, "detail": transforms.hash_signing_key(check["key"])}
    if kind == "hash_step_id":
        return {"ok": True, "detail": transforms.hash_step_id(check["id"])}
    if kind == "validate":
        return validate(check)
    if kind == "python_function_config":
        return python_function_config(check)
    return {"ok": False, "detail": "unknown check " + kind}

results = []
for check in json.load(sys.stdin):
    try:
        results.append(run(check))
    except Exception as err:
        results.append({"ok": False, "detail": f"{type(err).__name__}: {err}"})
json.dump(results, sys.stdout)
"""#
}
