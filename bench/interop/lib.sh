# Helpers for real-server.sh and conformance.sh (sourced, not run): the preamble
# both share (the server binary and tools they need, a loopback-only network
# namespace, a scratch directory cleaned up on exit), checks, polling, and starting
# the worker and the server on free loopback ports. start_worker expects WORKER_BIN.

# require INNGEST_CLI and TOOL...: exits 2 unless INNGEST_CLI is an executable and every tool is on PATH.
require_server_and_tools() {
    if [[ -z "${INNGEST_CLI:-}" || ! -x "${INNGEST_CLI}" ]]; then
        echo "set INNGEST_CLI to an executable inngest binary (dev server / inngest start)" >&2
        exit 2
    fi
    local tool
    for tool in "$@"; do command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }; done
}

# enter_loopback_namespace SCRIPT: on Linux (unless INTEROP_NETNS=0) runs SCRIPT again in a
# new network namespace that has only loopback (`unshare -rn`), so nothing can leave
# 127.0.0.1 even where the server binds wider; returns where that is not permitted.
enter_loopback_namespace() {
    if [[ "$(uname)" == Linux && "${INTEROP_NETNS:-1}" == 1 && -z "${INTEROP_IN_NETNS:-}" ]] \
            && command -v unshare >/dev/null && command -v ip >/dev/null && unshare -rn true 2>/dev/null; then
        export INTEROP_IN_NETNS=1
        exec unshare -rn bash -c 'ip link set lo up && exec bash "$0"' "$1"
    fi
}

# make_scratch: TMP (a fresh directory) and PIDS (what the script starts), both cleaned up
# on exit; INTEROP_KEEP=1 keeps TMP and says where.
make_scratch() {
    TMP="$(mktemp -d)"
    PIDS=()
    trap stop_and_clean EXIT
}
stop_and_clean() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [[ "${INTEROP_KEEP:-0}" == 1 ]]; then echo "logs kept in $TMP"; else rm -rf "$TMP"; fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

PASSED=0; FAILED=0
check() { # check NAME OK DETAIL
    if [[ "$2" == 1 ]]; then PASSED=$((PASSED + 1)); echo "PASS $1${3:+: $3}"
    else FAILED=$((FAILED + 1)); echo "FAIL $1${3:+: $3}"; fi
}
is() { [[ "$1" == "$2" ]] && echo 1 || echo 0; }

# wait_for SECONDS WANT CMD...: runs CMD every 0.5 s until it prints WANT; prints the last output.
wait_for() {
    local end=$((SECONDS + $1)) want=$2 got=""; shift 2
    while ((SECONDS < end)); do
        got="$("$@" 2>/dev/null || true)"
        [[ "$got" == "$want" ]] && break
        sleep 0.5
    done
    echo "$got"
}
count_in() { grep -c "$1" "$2" || true; }

# The bearer token the SDKs send for a signing key: the hex part hashed (SHA-256 of
# its bytes), any `signkey-<env>-` prefix kept.
bearer_of() {
    python3 -c 'import hashlib,re,sys; k=sys.argv[1]; m=re.match(r"^(signkey-\w+-)?(.*)$",k); print((m.group(1) or "")+hashlib.sha256(bytes.fromhex(m.group(2))).hexdigest())' "$1"
}

# signed_request KEY METHOD URL BODY [HEADER...]: sends BODY signed as the server signs
# its requests (`X-Inngest-Signature: t=<unix>&s=<HMAC-SHA256(key, body || t)>`), prints
# `<status> <signature-valid|signature-invalid|unsigned> <X-Inngest-Sync-Kind or -> <body>`;
# the response's own signature is verified with the same key.
signed_request() {
    python3 - "$@" <<'PY'
import hashlib, hmac, re, sys, time, urllib.request, urllib.error
key, method, url, body, *headers = sys.argv[1:]
raw = re.sub(r"^signkey-\w+-", "", key).encode()
t = str(int(time.time()))
sig = hmac.new(raw, body.encode() + t.encode(), hashlib.sha256).hexdigest()
req = urllib.request.Request(url, data=body.encode(), method=method)
req.add_header("Content-Type", "application/json")
req.add_header("X-Inngest-Signature", f"t={t}&s={sig}")
for h in headers:
    name, value = h.split(":", 1)
    req.add_header(name.strip(), value.strip())
try:
    resp = urllib.request.urlopen(req, timeout=10)
    status, data, rh = resp.status, resp.read(), resp.headers
except urllib.error.HTTPError as e:
    status, data, rh = e.code, e.read(), e.headers
verdict = "unsigned"
m = re.match(r"t=(\d+)&s=([0-9a-f]+)", rh.get("X-Inngest-Signature") or "")
if m:
    want = hmac.new(raw, data + m.group(1).encode(), hashlib.sha256).hexdigest()
    verdict = "signature-valid" if hmac.compare_digest(want, m.group(2)) else "signature-invalid"
print(status, verdict, rh.get("X-Inngest-Sync-Kind") or "-", data.decode(errors="replace"))
PY
}

# start_worker NAME PORT VAR=VALUE...: the worker with an empty HOME under $TMP/NAME.
start_worker() {
    local name=$1 port=$2; shift 2
    local home="$TMP/$name/home"
    mkdir -p "$home" "$TMP/$name/vault/system"
    env -i PATH="$PATH" HOME="$home" TMPDIR="$TMP" XDG_CONFIG_HOME="$home/.config" \
        XDG_STATE_HOME="$home/.state" XDG_DATA_HOME="$home/.data" VAULT_PATH="$TMP/$name/vault" \
        JOELCLAW_WORKER_URL="http://127.0.0.1:$port/api/inngest" "$@" \
        "$WORKER_BIN" --engine external --host 127.0.0.1 --port "$port" --log-level debug \
        >"$TMP/$name/worker.log" 2>&1 &
    PIDS+=($!)
    local up; up="$(wait_for 15 1 count_in '"msg":"listening"' "$TMP/$name/worker.log")"
    check "$name: worker starts" "$(is "$up" 1)" "port $port"
}

# side_port_flags MODE: a free port for every fixed side port this server version
# opens (connect gateway, its gRPC and the executor's gRPC; the dev server's debug
# API), for the flags its `--help` lists, so two servers on one machine do not clash.
side_port_flags() {
    local help; help="$("$INNGEST_CLI" "$1" --help 2>&1 || true)"
    local flag
    for flag in connect-gateway-port connect-gateway-grpc-port connect-executor-grpc-port debug-api-port; do
        [[ "$help" == *"--$flag"* ]] && printf -- '--%s\n%s\n' "$flag" "$(free_port)"
    done
    return 0
}

# start_server NAME PORT ARGS...: `inngest ARGS` on PORT, waits for its API.
start_server() {
    local name=$1 port=$2; shift 2
    local side=(); mapfile -t side < <(side_port_flags "$1")
    "$INNGEST_CLI" "$@" --host 127.0.0.1 --port "$port" "${side[@]}" >"$TMP/$name/server.log" 2>&1 &
    PIDS+=($!)
    # `/dev` answers 200, or 401 where the server checks the bearer key (newer `inngest start`).
    answers() { case "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/dev")" in 200|401) echo up;; esac; }
    local up; up="$(wait_for 60 up answers)"
    check "$name: inngest $1 starts" "$(is "$up" up)" "$("$INNGEST_CLI" version 2>/dev/null | head -1); side ports ${side[*]:-none}"
}

# Builds the SDK app package (bench/interop/sdk-app) with `swift build ARGS`. It
# depends on the main package by path, and SwiftPM does not always recompile the
# app when a module it imports only through the SDK product (HTTP) changes: the
# incremental build then fails to link. One clean build settles it.
build_sdk_app() {
    swift build --package-path bench/interop/sdk-app "$@" >&2 && return 0
    echo "sdk-app: incremental build failed; building it clean" >&2
    rm -rf bench/interop/sdk-app/.build
    swift build --package-path bench/interop/sdk-app "$@" >&2
}
