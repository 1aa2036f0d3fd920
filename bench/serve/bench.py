#!/usr/bin/env python3
"""bench/serve: this SDK's serve path vs the Python SDK (uvicorn) vs nginx, side by side.

Scenarios (wrk, 1 thread, DURATION s, at 1 and 32 connections):
  A  first call of a one-step function: immediate step.run, answer 206
  B  final call of a 50-step function with fifty 1 KB memoised results, answer 200
  C  A with a new connection per request (Connection: close), as the real server sends it
Also: start-up time to the first answered request, RSS idle and peak, and the
cost of B at 10, 50 and 200 memoised steps. Every figure is printed with its
ratio to nginx's in the same run. Only loopback is used.

Run via run.sh (installs tools, builds the release binaries).
"""
import hashlib, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(ROOT))
OUT = os.path.join(REPO, "bench", "out", "serve")
DURATION = int(os.environ.get("DURATION", "10"))
CONNECTIONS = [1, 32]
STARTS = int(os.environ.get("STARTS", "5"))
APP = "bench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def event(steps):
    return {"name": "bench/many" if steps else "bench/one", "data": {"steps": steps} if steps else {},
            "id": "01J0000000000000000000BENCH", "ts": 1717171717171, "user": {}}


def call_body(steps):
    """A call request exactly as the executor sends it (keys sorted, no whitespace)."""
    memos = {hashlib.sha1(f"step-{i}".encode()).hexdigest(): {"data": "x" * 1000} for i in range(steps)}
    ev = event(steps)
    body = {"ctx": {"attempt": 0, "disable_immediate_execution": False, "env": "", "fn_id": "00000000-0000-4000-8000-000000000000",
                    "max_attempts": 4, "qi_id": "", "run_id": "01J0000000000000000000RUN0",
                    "stack": {"current": steps, "stack": list(memos)}, "step_id": "step", "use_api": False},
            "defers": {}, "event": ev, "events": [ev], "steps": memos, "use_api": False, "version": 2 if steps else -1}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def http(port, method, path, body=b"", close=True):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, payload = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(b":") for l in head.split(b"\r\n")[1:])}
    if headers.get(b"transfer-encoding") == b"chunked":
        out, rest = b"", payload
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line, 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        payload = out
    return status, headers, payload


def start(cmd, port, env=None, cwd=None):
    """Starts a server; returns (process, milliseconds until it first answered GET /api/inngest)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = t0 + 60
    while time.perf_counter() < deadline:
        try:
            status, _, _ = http(port, "GET", "/api/inngest")
            if status == 200:
                return proc, (time.perf_counter() - t0) * 1000
        except OSError:
            time.sleep(0.0005)
    stop(proc)
    raise SystemExit(f"{cmd[0]} did not answer within 60 s")


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except Exception:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except Exception:
            pass


def rss_mb(pid, field="VmRSS"):
    """Resident set of a process and its children (uvicorn runs one worker process), in MB."""
    total = 0
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    for p in pids:
        try:
            for line in open(f"/proc/{p}/status"):
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def wrk(port, target, body_file, connections, close=False):
    env = dict(os.environ, BODY_FILE=body_file, TARGET=target, CLOSE="1" if close else "0")
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{DURATION}s", "--latency", "-s", os.path.join(ROOT, "post.lua"),
                          f"http://127.0.0.1:{port}"], env=env, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def latency(pct):
        m = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": latency(50), "p99": latency(99), "non2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


def main():
    os.makedirs(OUT, exist_ok=True)
    bodies = {}
    for steps in [0, 10, 50, 200]:
        path = os.path.join(OUT, f"body-{steps}.json")
        with open(path, "wb") as f:
            f.write(call_body(steps))
        bodies[steps] = path
    target_a = f"/api/inngest?fnId={APP}-one-step&stepId=step"
    target_b = f"/api/inngest?fnId={APP}-many-steps&stepId=step"

    build = os.environ.get("BUILD_DIR", os.path.join(REPO, ".build", "release"))
    swift_bin = os.path.join(build, "ServeBenchApp")
    worker_bin = os.path.join(build, "worker")
    results, startup, startup_range, rss = {}, {}, {}, {}

    # Expected answers, taken from the Swift app and checked against every server.
    port = free_port()
    proc, _ = start([swift_bin, str(port)], port)
    status_a, _, body_a = http(port, "POST", target_a, open(bodies[0], "rb").read())
    status_b, _, body_b = http(port, "POST", target_b, open(bodies[50], "rb").read())
    stop(proc)
    assert status_a == 206 and status_b == 200, (status_a, body_a[:200], status_b, body_b[:200])

    # nginx answers with bodies of the same sizes.
    nginx_dir = tempfile.mkdtemp(prefix="bench-nginx-")
    nginx_port = free_port()
    conf = os.path.join(nginx_dir, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon off; worker_processes auto; pid {nginx_dir}/nginx.pid; error_log {nginx_dir}/error.log;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {nginx_dir}/body; proxy_temp_path {nginx_dir}/proxy;
  fastcgi_temp_path {nginx_dir}/fastcgi; uwsgi_temp_path {nginx_dir}/uwsgi; scgi_temp_path {nginx_dir}/scgi;
  client_max_body_size 16m; client_body_buffer_size 1m; default_type application/json;
  server {{ listen 127.0.0.1:{nginx_port};
    location = /api/inngest {{
      if ($arg_fnId = "{APP}-many-steps") {{ return 200 '{"d" * len(body_b)}'; }}
      return 200 '{"a" * len(body_a)}';
    }}
  }}
}}
""")

    servers = [
        ("nginx", lambda p: ["nginx", "-c", conf, "-e", f"{nginx_dir}/error.log"], nginx_port),
        ("swift", lambda p: [swift_bin, str(p)], None),
        ("python", lambda p: [sys.executable, "-m", "uvicorn", "python_app:app", "--host", "127.0.0.1", "--port", str(p),
                              "--workers", "1", "--log-level", "warning"], None),
    ]
    for name, cmd, fixed_port in servers:
        port = fixed_port or free_port()
        env = dict(os.environ, INNGEST_DEV="1", PYTHONDONTWRITEBYTECODE="1")
        if name == "nginx":
            t0 = time.perf_counter()
            proc = subprocess.Popen(cmd(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            while True:
                try:
                    http(port, "GET", "/api/inngest")
                    break
                except OSError:
                    time.sleep(0.001)
        else:
            # Start-up: the median of STARTS cold starts (one start is at the mercy of the scheduler).
            samples = []
            for _ in range(STARTS - 1):
                p, ms = start(cmd(port), port, env=env, cwd=ROOT)
                samples.append(ms)
                stop(p)
            proc, ms = start(cmd(port), port, env=env, cwd=ROOT)
            samples.append(ms)
            startup[name] = sorted(samples)[len(samples) // 2]
            startup_range[name] = (min(samples), max(samples))
        time.sleep(1)
        rss[name] = {"idle": rss_mb(proc.pid)}
        sa, _, ba = http(port, "POST", target_a, open(bodies[0], "rb").read())
        sb, _, bb = http(port, "POST", target_b, open(bodies[50], "rb").read())
        print(f"# {name}: A -> {sa} ({len(ba)} bytes), B -> {sb} ({len(bb)} bytes)", flush=True)
        if name != "nginx":
            assert sa == 206 and sb == 200, f"{name} answered A {sa} {ba[:300]!r}, B {sb} {bb[:300]!r}"
        for scenario, target, body, close in [("A", target_a, bodies[0], False), ("B", target_b, bodies[50], False),
                                              ("C", target_a, bodies[0], True)]:
            for c in CONNECTIONS:
                results[(name, scenario, c)] = wrk(port, target, body, c, close)
                r = results[(name, scenario, c)]
                print(f"#   {scenario}{c}: {r['rps']:.0f} req/s p50 {r['p50']:.2f} ms p99 {r['p99']:.2f} ms"
                      + (f" non-2xx {r['non2xx']}" if r['non2xx'] else "") + (f" socket errors {r['socket_errors']}" if r['socket_errors'] else ""),
                      flush=True)
        if name != "nginx":
            for steps in [10, 200]:
                results[(name, f"B{steps}", 32)] = wrk(port, target_b, bodies[steps], 32)
            results[(name, "B50", 32)] = results[(name, "B", 32)]
        rss[name]["peak"] = rss_mb(proc.pid, "VmHWM")
        stop(proc)
    shutil.rmtree(nginx_dir, ignore_errors=True)

    # The real worker (all ported functions, its configuration, SQLite): start-up and idle RSS.
    home = tempfile.mkdtemp(prefix="bench-worker-")
    port = free_port()
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
               XDG_STATE_HOME=f"{home}/state", XDG_CACHE_HOME=f"{home}/cache", WORKER_PORT=str(port),
               INNGEST_DEV=f"http://127.0.0.1:{free_port()}")
    if os.path.exists(worker_bin):
        samples = []
        for _ in range(STARTS - 1):
            p, ms = start([worker_bin], port, env=env)
            samples.append(ms)
            stop(p)
        proc, ms = start([worker_bin], port, env=env)
        samples.append(ms)
        startup["worker"] = sorted(samples)[len(samples) // 2]
        startup_range["worker"] = (min(samples), max(samples))
        time.sleep(1)
        rss["worker"] = {"idle": rss_mb(proc.pid), "peak": rss_mb(proc.pid, "VmHWM")}
        stop(proc)
    shutil.rmtree(home, ignore_errors=True)

    print()
    print(f"bench/serve — wrk -t1 -d{DURATION}s; ratios are to nginx in this run")
    print(f"{'scenario':<10}{'server':<8}{'req/s':>10}{'ratio':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for scenario in ["A", "B", "C"]:
        for c in CONNECTIONS:
            base = results[("nginx", scenario, c)]["rps"]
            for name in ["nginx", "swift", "python"]:
                r = results[(name, scenario, c)]
                print(f"{scenario + str(c):<10}{name:<8}{r['rps']:>10.0f}{r['rps'] / base:>8.1%}{r['p50']:>9.2f}{r['p99']:>9.2f}")
    print()
    print("B cost by memoised steps (32 connections)")
    for name in ["swift", "python"]:
        line = "  ".join(f"{s} steps: {results[(name, f'B{s}', 32)]['rps']:.0f} req/s "
                         f"({1000 / results[(name, f'B{s}', 32)]['rps'] * 32:.2f} ms/req)" for s in [10, 50, 200])
        print(f"  {name:<7} {line}")
    print()
    print(f"start-up to first answered request (median of {STARTS}, range), RSS")
    for name in ["swift", "python", "worker"]:
        if name in startup:
            lo, hi = startup_range[name]
            print(f"  {name:<7} start-up {startup[name]:7.1f} ms ({lo:.1f}–{hi:.1f})   RSS idle {rss[name]['idle']:6.1f} MB   peak {rss[name]['peak']:6.1f} MB")
    goals = [("A32 >= 25% of nginx", results[("swift", "A", 32)]["rps"] / results[("nginx", "A", 32)]["rps"] >= 0.25),
             ("B32 >= 10% of nginx", results[("swift", "B", 32)]["rps"] / results[("nginx", "B", 32)]["rps"] >= 0.10),
             ("C32 >= 50% of nginx", results[("swift", "C", 32)]["rps"] / results[("nginx", "C", 32)]["rps"] >= 0.50),
             ("idle RSS < 15 MB", rss["swift"]["idle"] < 15), ("start-up < 20 ms", startup["swift"] < 20)]
    print()
    print("goals (swift): " + ", ".join(f"{g} {'met' if ok else 'NOT met'}" for g, ok in goals))


if __name__ == "__main__":
    main()
