"""Measure the API against the raw-SQL floor on one PostgreSQL database.

Creates and fills the database if needed (manage.py generate_data), starts the
Django server and bench/floor_app.py under identical gunicorn settings on
loopback, and drives each benchmarked call with wrk: a short warm-up, then
rounds that alternate between the two servers, each bounded by both time and
request count. Prints a Markdown table of requests/s, p50/p95/p99 latency and
the CPU seconds the gunicorn workers spent per request, with the ratios ours /
floor, and writes the figures as JSON.

    python bench/run.py --database gr_bench --issues 100000

Needs wrk (Debian package `wrk`) and the packages in requirements-bench.txt.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKSPACE = "bench"
# Marker in wrk's output before the JSON that the Lua `done` hook prints.
RESULT_MARKER = "BENCH_JSON "


@dataclass
class Call:
    name: str
    label: str
    method: str
    paths: list
    bodies: list
    write: bool = False


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="gr_bench", help="PostgreSQL database name (default gr_bench).")
    parser.add_argument(
        "--server-url",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL without the database name (default: local, user postgres).",
    )
    parser.add_argument("--issues", type=int, default=100_000, help="Issues to generate if the database is new.")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of each measured run (default 10).")
    parser.add_argument("--rounds", type=int, default=3, help="Alternating rounds per server (default 3).")
    parser.add_argument("--warmup", type=int, default=2, help="Seconds of warm-up before each run (default 2).")
    parser.add_argument("--max-requests", type=int, default=50_000, help="Request cap of each run (default 50000).")
    parser.add_argument("--connections", type=int, help="Concurrent connections (default: the worker count).")
    parser.add_argument("--workers", type=int, help="gunicorn sync workers per server (default: 2 x CPU count).")
    parser.add_argument("--port", type=int, default=8120, help="Port of the Django server; the floor uses port + 1.")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="Niceness of both servers and of wrk (default 0). A negative value (root only) keeps other "
        "work on a shared machine from skewing the figures; PostgreSQL keeps its own priority.",
    )
    parser.add_argument("--only", help="Comma-separated call names to run (default: all).")
    parser.add_argument("--output", type=Path, help="Write the figures as JSON to this file.")
    return parser.parse_args()


def log(message):
    print(message, file=sys.stderr, flush=True)


def manage(database_url, *args):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "benchmark-run", "LOG_LEVEL": "WARNING"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout.strip().splitlines()


def prepare_database(args, database_url):
    """Create, migrate and fill the database unless it already contains the workspace; return seconds spent."""
    with psycopg.connect(f"{args.server_url}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (args.database,)).fetchone()
        if not exists:
            log(f"Creating database {args.database}")
            admin.execute(f'CREATE DATABASE "{args.database}"')
    manage(database_url, "migrate", "--verbosity", "0")
    with psycopg.connect(database_url) as conn:
        present = conn.execute("SELECT 1 FROM workspaces_workspace WHERE slug = %s", (WORKSPACE,)).fetchone()
    if present:
        return None
    log(f"Generating {args.issues} issues in {args.database}; this takes about 30 s per 100,000")
    started = time.monotonic()
    manage(database_url, "generate_data", "--workspace", WORKSPACE, "--issues", str(args.issues))
    return round(time.monotonic() - started, 1)


def issue_key(database_url):
    with psycopg.connect(database_url) as conn:
        owner = conn.execute(
            "SELECT m.id FROM workspaces_member m JOIN workspaces_workspace w ON w.id = m.workspace_id "
            "WHERE w.slug = %s AND m.role = 'owner' ORDER BY m.created_at LIMIT 1",
            (WORKSPACE,),
        ).fetchone()
    return manage(database_url, "issue_api_key", WORKSPACE, "--member", str(owner[0]), "--name", "benchmark")[-1]


def describe_workspace(database_url):
    """Vacuum, then pick the objects each call targets and return (facts, calls)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        # Fresh statistics and visibility maps, as autovacuum would leave them.
        conn.execute("VACUUM ANALYZE")
        workspace_id = conn.execute("SELECT id FROM workspaces_workspace WHERE slug = %s", (WORKSPACE,)).fetchone()[0]
        issues = conn.execute("SELECT count(*) FROM issues_issue WHERE workspace_id = %s", (workspace_id,)).fetchone()
        product_id, product_issues = conn.execute(
            "SELECT product_id, count(*) FROM issues_issue WHERE workspace_id = %s "
            "GROUP BY product_id ORDER BY count(*) DESC LIMIT 1",
            (workspace_id,),
        ).fetchone()
        shortcodes = [
            row[0]
            for row in conn.execute(
                "SELECT i.shortcode FROM issues_issue i WHERE i.workspace_id = %s AND EXISTS "
                "(SELECT 1 FROM issues_issue_conversations l WHERE l.issue_id = i.id) "
                "ORDER BY i.number LIMIT 200",
                (workspace_id,),
            )
        ]
        conversation_id = conn.execute(
            "SELECT c.id FROM conversations_conversation c WHERE c.workspace_id = %s "
            "AND (SELECT count(*) FROM conversations_message m WHERE m.conversation_id = c.id) = 50 LIMIT 1",
            (workspace_id,),
        ).fetchone()[0]
        patch_ids = [
            str(row[0])
            for row in conn.execute(
                "SELECT id FROM issues_issue WHERE workspace_id = %s AND status = 'pending' ORDER BY id LIMIT 500",
                (workspace_id,),
            )
        ]

    facts = {"issues": issues[0], "issues_in_product": product_issues}
    calls = [
        Call("list_status", "GET /issues?status=pending,in_progress&limit=50", "GET",
             ["/api/v1/issues?status=pending,in_progress&limit=50"], [None]),
        Call("list_product_offset", "GET /issues?product_id=…&offset=5000", "GET",
             [f"/api/v1/issues?product_id={product_id}&offset=5000"], [None]),
        Call("issue_detail", "GET /issues/{shortcode}", "GET",
             [f"/api/v1/issues/{code}" for code in shortcodes], [None]),
        Call("conversation_detail", "GET /conversations/{id} (50 messages)", "GET",
             [f"/api/v1/conversations/{conversation_id}"], [None]),
        Call("issue_create", "POST /issues", "POST", ["/api/v1/issues"],
             [json.dumps({"product_id": str(product_id), "title": "Export to CSV fails on large reports"})],
             write=True),
        Call("issue_patch", "PATCH /issues/{id}", "PATCH", [f"/api/v1/issues/{pk}" for pk in patch_ids],
             [json.dumps({"priority": "high"}), json.dumps({"priority": "low"})], write=True),
    ]  # fmt: skip
    return facts, calls


def niced(command, niceness):
    return ["nice", "-n", str(niceness), *command] if niceness else command


def start_server(app, port, workers, database_url, log_path, niceness):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        # High enough never to trigger, but the limiter's cache increment is still paid.
        "API_RATE_LIMIT": "100000000/minute",
    }
    command = [
        sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"{HOST}:{port}",
        "--workers", str(workers), "--worker-class", "sync", "--log-level", "warning", app,
    ]  # fmt: skip
    with open(log_path, "w") as log_file:
        return subprocess.Popen(niced(command, niceness), cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)


def wait_until_up(port, path, key, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(port, "GET", path, key)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"The server on port {port} did not respond to {path} with 200 within {timeout} s.")


def fetch(port, method, path, key, body=None):
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}",
        method=method,
        data=body.encode() if body else None,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def compare_shapes(call, key, ports):
    """Warn when the two servers return different fields for one request, so the floor stays comparable."""
    shapes = []
    for port in ports:
        status, payload = fetch(port, call.method, call.paths[0], key, call.bodies[0])
        if status >= 300:
            raise RuntimeError(f"{call.label} on port {port} returned {status}: {payload}")
        data = payload["data"]
        item = data[0] if isinstance(data, list) and data else data
        shapes.append(sorted(item) if isinstance(item, dict) else [])
    if shapes[0] != shapes[1]:
        log(f"warning: {call.label}: fields differ, ours {shapes[0]} vs floor {shapes[1]}")


def lua_script(call, key, max_requests):
    def lua_list(values):
        return "{" + ", ".join("nil" if v is None else json.dumps(v) for v in values) + "}"

    return f"""
local paths = {lua_list(call.paths)}
local bodies = {lua_list(call.bodies)}
local method = "{call.method}"
local max_requests = {max_requests}
local sent, received = 0, 0
wrk.headers["Authorization"] = "Bearer {key}"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local path = paths[sent % #paths + 1]
  local body = bodies[math.floor(sent / #paths) % #bodies + 1]
  sent = sent + 1
  return wrk.format(method, path, nil, body)
end

response = function(status, headers, body)
  received = received + 1
  if received >= max_requests then wrk.thread:stop() end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{RESULT_MARKER}{{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"non_2xx": %d, "socket_errors": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def run_wrk(script_path, port, connections, seconds, niceness=0):
    command = [
        "wrk", "--threads", "1", "--connections", str(connections), "--duration", f"{seconds}s",
        "--timeout", "10s", "--script", str(script_path), f"http://{HOST}:{port}",
    ]  # fmt: skip
    completed = subprocess.run(
        niced(command, niceness), check=True, capture_output=True, text=True, timeout=seconds + 60
    )
    output = completed.stdout
    line = next(line for line in output.splitlines() if line.startswith(RESULT_MARKER))
    raw = json.loads(line[len(RESULT_MARKER) :])
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "non_2xx": raw["non_2xx"],
        "socket_errors": raw["socket_errors"],
    }


def worker_cpu_seconds(master_pid):
    """Return the user + system CPU seconds used so far by the gunicorn workers of MASTER_PID.

    The production config restarts a worker every 1,000 or so requests, so the
    CPU of exited workers, which the master has reaped, is counted as well.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    master_fields = Path(f"/proc/{master_pid}/stat").read_text().rsplit(")", 1)[1].split()
    # Split after the command name, index 13 and 14 are cutime and cstime
    # (fields 16 and 17 in proc(5)): the CPU of the master's reaped children.
    total = int(master_fields[13]) + int(master_fields[14])
    for stat_path in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_path.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # Index 1 is the ppid, and 11 and 12 are utime and stime (fields 14 and 15 in proc(5)).
        if int(fields[1]) == master_pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def measure(call, key, ports, masters, args, connections, workdir):
    """Run CALL against both servers in alternating rounds, so background load hits both alike."""
    script_path = workdir / f"{call.name}.lua"
    script_path.write_text(lua_script(call, key, args.max_requests))
    compare_shapes(call, key, ports)
    servers = list(zip(("ours", "floor"), ports, masters, strict=True))
    for _, port, _ in servers:
        run_wrk(script_path, port, connections, args.warmup, args.nice)

    rounds = {name: [] for name, _, _ in servers}
    round_seconds = max(1, args.duration // args.rounds)
    for _ in range(args.rounds):
        for name, port, master in servers:
            cpu_before = worker_cpu_seconds(master)
            figures = run_wrk(script_path, port, connections, round_seconds, args.nice)
            figures["cpu_s"] = worker_cpu_seconds(master) - cpu_before
            rounds[name].append(figures)

    result = {}
    for name, runs in rounds.items():
        requests = sum(r["requests"] for r in runs)
        result[name] = {
            "requests": requests,
            "rps": round(requests / (round_seconds * len(runs)), 1),
            # Percentiles cannot be merged across rounds; the median round is reported.
            **{p: sorted(r[p] for r in runs)[len(runs) // 2] for p in ("p50_ms", "p95_ms", "p99_ms")},
            "app_cpu_ms_per_request": round(1000 * sum(r["cpu_s"] for r in runs) / max(requests, 1), 2),
            "non_2xx": sum(r["non_2xx"] for r in runs),
            "socket_errors": sum(r["socket_errors"] for r in runs),
            "rounds_rps": [r["rps"] for r in runs],
        }
        if result[name]["non_2xx"] or result[name]["socket_errors"]:
            log(f"warning: {call.label} on {name}: {result[name]}")
    result["ratio_rps"] = round(result["ours"]["rps"] / result["floor"]["rps"], 2)
    result["ratio_cpu"] = round(
        result["floor"]["app_cpu_ms_per_request"] / max(result["ours"]["app_cpu_ms_per_request"], 0.001), 2
    )
    return result


def markdown_table(calls, results):
    lines = [
        "| call | ours req/s | floor req/s | ours/floor | ours p50/p95/p99 ms | floor p50/p95/p99 ms "
        "| CPU ms/req ours / floor | floor/ours CPU |",
        "|---|---:|---:|---:|---|---|---|---:|",
    ]
    for call in calls:
        if call.name not in results:
            continue
        r = results[call.name]
        ours, floor = r["ours"], r["floor"]
        lines.append(
            f"| {call.label} | {ours['rps']:.0f} | {floor['rps']:.0f} | {r['ratio_rps']:.2f} | "
            f"{ours['p50_ms']:.1f} / {ours['p95_ms']:.1f} / {ours['p99_ms']:.1f} | "
            f"{floor['p50_ms']:.1f} / {floor['p95_ms']:.1f} / {floor['p99_ms']:.1f} | "
            f"{ours['app_cpu_ms_per_request']:.2f} / {floor['app_cpu_ms_per_request']:.2f} | {r['ratio_cpu']:.2f} |"
        )
    return "\n".join(lines)


def main():
    args = parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed; install the Debian package with: apt-get install wrk")
    database_url = f"{args.server_url}/{args.database}"
    workers = args.workers or 2 * (os.cpu_count() or 1)
    connections = args.connections or workers

    generation_seconds = prepare_database(args, database_url)
    key = issue_key(database_url)
    facts, calls = describe_workspace(database_url)
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {call.name for call in calls}
        if unknown:
            sys.exit(f"Unknown call names in --only: {', '.join(sorted(unknown))}.")
        calls = [call for call in calls if call.name in wanted]

    ports = (args.port, args.port + 1)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    servers = [
        start_server("getresolved.wsgi:application", ports[0], workers, database_url, workdir / "ours.log", args.nice),
        start_server("bench.floor_app:application", ports[1], workers, database_url, workdir / "floor.log", args.nice),
    ]
    masters = [server.pid for server in servers]
    # Turn SIGTERM into SystemExit, so the servers are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"Stopped by signal {signum}."))
    results = {}
    load_before = os.getloadavg()
    try:
        for port in ports:
            wait_until_up(port, calls[0].paths[0] if calls[0].method == "GET" else "/api/v1/issues", key)
        # Writes go last: they add rows, which would change what later reads see.
        for call in sorted(calls, key=lambda c: c.write):
            log(f"Measuring {call.label}")
            results[call.name] = measure(call, key, ports, masters, args, connections, workdir)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)

    load_after = os.getloadavg()
    report = {
        "load_average_1m_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "database": args.database,
        "workspace_issues": facts["issues"],
        "product_issues": facts["issues_in_product"],
        "generation_seconds": generation_seconds,
        "settings": {
            "workers": workers,
            "worker_class": "sync",
            "connections": connections,
            "duration_s": args.duration,
            "rounds": args.rounds,
            "nice": args.nice,
            "warmup_s": args.warmup,
            "max_requests": args.max_requests,
        },
        "results": results,
    }
    print(f"\n{args.database}: {facts['issues']} issues, {workers} workers, {connections} connections\n")
    print(markdown_table(calls, results))
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2) + "\n")
        log(f"Figures written to {args.output}")


if __name__ == "__main__":
    main()
