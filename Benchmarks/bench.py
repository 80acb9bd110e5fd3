"""Runs every benchmark scenario against our server and the python-socketio baseline in one
invocation, writes the results as JSON and regenerates BENCHMARKS.md (see scripts/bench).

    python Benchmarks/bench.py [--quick] [--render-only]
"""
import argparse
import datetime
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.path.join(ROOT, ".build", "release")
RESULTS = os.path.join(ROOT, "Benchmarks", "results", "latest.json")
CODEC = os.path.join(ROOT, "Benchmarks", "results", "codec.md")
REPORT = os.path.join(ROOT, "BENCHMARKS.md")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")


def log(line):
    print(f"bench: {line}", file=sys.stderr, flush=True)


class Pinning:
    """Server on CPU 0 and generator on CPU 1 when there are two CPUs to pin to."""

    def __init__(self):
        cpus = sorted(os.sched_getaffinity(0))
        self.enabled = len(cpus) >= 2 and subprocess.run(["which", "taskset"], capture_output=True).returncode == 0
        self.server_cpu, self.generator_cpu = (cpus[0], cpus[1]) if self.enabled else (None, None)

    def server(self, command):
        return ["taskset", "-c", str(self.server_cpu)] + command if self.enabled else command

    def generator(self, command):
        return ["taskset", "-c", str(self.generator_cpu)] + command if self.enabled else command

    def generator_options(self):
        return ["--server-cpu", str(self.server_cpu), "--generator-cpu", str(self.generator_cpu)] if self.enabled else []


class Server:
    """A server process started for one scenario group; waits for its `listening on` line."""

    def __init__(self, name, command, env):
        self.name = name
        log(f"starting {name}: {' '.join(command)}")
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("listening on "):
                self.port = int(line.strip().rsplit(":", 1)[1])
                return
            if not line and self.process.poll() is not None:
                break
        self.stop()
        raise SystemExit(f"{name} did not start: {self.process.stderr.read()[-2000:]}")

    @property
    def pid(self):
        return self.process.pid

    def cpu_seconds(self):
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def generator(pinning, arguments, env):
    command = pinning.generator([os.path.join(RELEASE, "meet-bench")] + arguments)
    log(" ".join(command))
    completed = subprocess.run(command, env=env, stderr=sys.stderr, stdout=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"meet-bench failed ({completed.returncode})")


def read_json(path):
    with open(path) as file:
        return json.load(file)


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        memory = int(meminfo.readline().split()[1]) // (1024 * 1024)
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    python = subprocess.run([PYTHON, "-c", "import sys; from importlib.metadata import version as v; "
                             "print(sys.version.split()[0], *(v(p) for p in ('python-socketio', 'python-engineio', 'aiohttp', 'uvloop')))"],
                            capture_output=True, text=True).stdout.split()
    return {
        "cpu": model, "cpus": os.cpu_count(), "memoryGiB": memory, "kernel": platform.release(),
        "swift": swift[0] if swift else "unknown",
        "python": dict(zip(["python", "python-socketio", "python-engineio", "aiohttp", "uvloop"], python)),
    }


def node_install():
    """Where Node's socket.io is (MEET_BENCH_NODE_MODULES, a node_modules directory), and which
    versions; or why it is not run."""
    modules = os.environ.get("MEET_BENCH_NODE_MODULES", "")
    if not modules:
        return {"reason": "MEET_BENCH_NODE_MODULES is not set (see Benchmarks/README.md)"}
    package = os.path.join(modules, "socket.io", "package.json")
    if not os.path.exists(package):
        return {"reason": f"MEET_BENCH_NODE_MODULES={modules} has no socket.io/package.json"}
    completed = subprocess.run(["node", "--version"], capture_output=True, text=True)
    if completed.returncode != 0:
        return {"reason": "node is not installed (apt install nodejs)"}
    versions = {"node": completed.stdout.strip()}
    for name in ("socket.io", "engine.io", "ws"):
        path = os.path.join(modules, name, "package.json")
        if os.path.exists(path):
            versions[name] = read_json(path).get("version")
    return {"modules": os.path.abspath(modules), "versions": versions}


def run(quick, codec):
    started = time.time()
    pinning = Pinning()
    secret = secrets.token_hex(32)
    env = dict(os.environ, JWT_SECRET=secret)
    clients = 2000 if quick else 10_000
    step = "1" if quick else "5"
    common = ["--clients", str(clients), "--step-seconds", step] + pinning.generator_options()
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "scripts/bench" + (" --quick" if quick else ""),
        "machine": machine(),
        "pinned": {"server": pinning.server_cpu, "generator": pinning.generator_cpu} if pinning.enabled else None,
        "clients": clients,
    }
    with tempfile.TemporaryDirectory(prefix="meet-bench-") as folder:
        # 1. The generator's ceiling, against a server with no Socket.IO logic.
        null = Server("null server", pinning.server([os.path.join(RELEASE, "meet-bench"), "null-server", "--port", "0"]), env)
        try:
            out = os.path.join(folder, "ceiling.json")
            generator(pinning, ["ceiling", "--port", str(null.port), "--server-pid", str(null.pid), "--offered", "400000", "--out", out] + common, env)
            results["ceiling"] = read_json(out)
        finally:
            null.stop()
        ceiling = results["ceiling"]["deliveredPerSecond"]
        log(f"generator ceiling: {ceiling:.0f} deliveries/s")

        # 2. Our server and the baseline, the same scenarios each.
        servers = [
            ("meet", [os.path.join(RELEASE, "meetings-server"), "serve", "--port", "0", "--database-url", ":memory:", "--bench-handlers", "--log-level", "error"], env),
            ("python-socketio", [PYTHON, os.path.join(ROOT, "Benchmarks", "baseline", "socketio_server.py"), "--port", "0"], env),
        ]
        node = node_install()
        results["node"] = node
        if node.get("modules"):
            servers.append(("node-socketio", ["node", os.path.join(ROOT, "Benchmarks", "node", "socketio_server.js"), "--port", "0"],
                            dict(env, NODE_PATH=node["modules"])))
        else:
            log(f"Node socket.io not run: {node['reason']}")
        results["servers"] = {}
        for label, command, server_env in servers:
            server = Server(label, pinning.server(command), server_env)
            try:
                out = os.path.join(folder, f"{label}.json")
                generator(pinning, ["run", "--label", label, "--port", str(server.port), "--server-pid", str(server.pid), "--ceiling", str(ceiling), "--out", out] + common, env)
                results["servers"][label] = read_json(out)
            finally:
                server.stop()

        # 3. The meeting path: REST hand raise/lower, each change fanned out to the room.
        database = os.path.join(folder, "meetings.sqlite")
        server = Server("meetings-server (normal mode)", pinning.server([os.path.join(RELEASE, "meetings-server"), "serve", "--port", "0", "--database-url", database, "--rate-limit-per-second", "0", "--log-level", "error"]), env)
        try:
            out = os.path.join(folder, "meeting.json")
            seconds = 3 if quick else 10
            before = server.cpu_seconds()
            command = pinning.generator([os.path.join(RELEASE, "meetings-hand-load"), "--url", f"http://127.0.0.1:{server.port}", "--users", "100", "--listeners", "100", "--seconds", str(seconds), "--json", out])
            log(" ".join(command))
            clock = time.time()
            subprocess.run(command, env=env, check=True, stdout=sys.stderr)
            wall = time.time() - clock
            meeting = read_json(out)
            meeting["serverCPUPercent"] = round(100 * (server.cpu_seconds() - before) / wall, 1)
            results["meeting"] = meeting
        finally:
            server.stop()
    results["seconds"] = round(time.time() - started)
    if codec:
        # The codec's microbenchmarks (ordo-one/benchmark), after the socket scenarios.
        log("codec microbenchmarks: swift package benchmark (in Benchmarks/)")
        completed = subprocess.run(["swift", "package", "--allow-writing-to-package-directory", "benchmark", "--format", "markdown", "--no-progress"],
                                   cwd=os.path.join(ROOT, "Benchmarks"), capture_output=True, text=True)
        if completed.returncode != 0:
            raise SystemExit(f"codec benchmarks failed: {completed.stderr[-2000:]}")
        with open(CODEC, "w") as file:
            file.write(completed.stdout)
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as file:
        json.dump(results, file, indent=2, sort_keys=True)
    log(f"scenarios took {results['seconds']} s; results in {os.path.relpath(RESULTS, ROOT)}")
    return results


# MARK: the report

def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer() and abs(value) >= 100:
        value = int(value)
    if isinstance(value, int) or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def ratio(ours, theirs, higher_is_better=True):
    if not ours or not theirs:
        return "–"
    value = ours / theirs if higher_is_better else theirs / ours
    return f"{value:.1f}×"


def targets(results):
    meet = results["servers"]["meet"]
    ceiling = results["ceiling"]["deliveredPerSecond"]
    rows = []
    step30 = next((s for s in meet["rooms"] if s["offeredPerSecond"] == 30000), None)
    rows.append(("p99 ≤ 5 ms at 30k deliveries/s (rooms of 10)", f"p99 {fmt(step30['endToEnd']['p99'], 2)} ms" if step30 else "not run",
                 bool(step30) and step30["endToEnd"]["p99"] <= 5 and step30["deliveredRatio"] >= 0.99))
    good = [s for s in meet["rooms"] if s["endToEnd"]["p99"] <= 50 and s["deliveredRatio"] >= 0.99]
    best = max(good, key=lambda s: s["deliveredPerSecond"]) if good else None
    goal = min(150_000, 0.8 * ceiling)
    rows.append((f"≥ 150k deliveries/s with p99 ≤ 50 ms (or the generator's ceiling, {fmt(ceiling)}/s, if lower)",
                 f"{fmt(best['deliveredPerSecond'])}/s at p99 {fmt(best['endToEnd']['p99'], 2)} ms" + (" (generator-bound)" if best["generatorBound"] else "") if best else "none",
                 bool(best) and best["deliveredPerSecond"] >= goal))
    loaded = [s for s in meet["rooms"] if s["serverCPUMsPer1000"] is not None]
    top = max(loaded, key=lambda s: s["deliveredPerSecond"]) if loaded else None
    rows.append(("≤ 4 ms server CPU per 1,000 deliveries (at the highest rate)",
                 f"{fmt(top['serverCPUMsPer1000'], 2)} ms at {fmt(top['deliveredPerSecond'])}/s" if top else "not measured",
                 bool(top) and top["serverCPUMsPer1000"] <= 4))
    memory = meet.get("memory")
    rows.append(("≤ 8 KB marginal memory per idle WebSocket connection, 1k → 10k",
                 f"{fmt(memory['marginalBytesPerConnection'] / 1024, 1)} KB" if memory else "not measured",
                 bool(memory) and memory["marginalBytesPerConnection"] <= 8192))
    storm = meet["connect"][-1]
    rows.append(("≥ 5,000 connect + JWT + join per second",
                 f"{fmt(storm['perSecond'])}/s ({fmt(storm['clients'])} clients after {fmt(storm['alreadyConnected'])})",
                 storm["perSecond"] >= 5000 and storm["failures"] == 0))
    return rows


def latency(summary):
    return f"{fmt(summary['p50'], 2)} / {fmt(summary['p99'], 2)} / {fmt(summary['max'], 1)}"


BASELINES = ("node-socketio", "python-socketio")


def step_table(steps_by_server):
    """Every server's steps, rate by rate, each rate followed by meet's ratio to each baseline."""
    lines = [
        "| offered/s | server | delivered/s | delivered | e2e p50 / p99 / max ms | last member p99 ms | server CPU | ms CPU per 1k | generator CPU |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    by_rate = {}
    for label, steps in steps_by_server.items():
        for step in steps:
            by_rate.setdefault(step["offeredPerSecond"], []).append((label, step))
    baselines = [label for label in BASELINES if label in steps_by_server]
    for rate in sorted(by_rate):
        entries = dict(by_rate[rate])
        for label, step in by_rate[rate]:
            flag = " ⚠ generator-bound" if step["generatorBound"] else ""
            clean = "" if step.get("clean") in (None, True) else " (not clean)"
            lines.append(
                f"| {fmt(rate)} | {label}{clean} | {fmt(step['deliveredPerSecond'])}{flag} | {100 * step['deliveredRatio']:.1f} % | {latency(step['endToEnd'])} | "
                f"{fmt(step['completion']['p99'], 2)} | {fmt(step['serverCPUPercent'])} % | {fmt(step['serverCPUMsPer1000'], 2)} | {fmt(step['generatorCPUPercent'])} % |"
            )
        m = entries.get("meet")
        for base in baselines:
            p = entries.get(base)
            if m and p:
                saturated = f" ({base} saturated: its latency is a backlog)" if p["deliveredRatio"] < 0.95 or p["endToEnd"]["p99"] > 1000 else ""
                lines.append(
                    f"| | *meet ÷ {base}{saturated}* | *{ratio(m['deliveredPerSecond'], p['deliveredPerSecond'])}* | | *p99 {ratio(m['endToEnd']['p99'], p['endToEnd']['p99'], False)} lower* | "
                    f"*{ratio(m['completion']['p99'], p['completion']['p99'], False)} lower* | | *{ratio(m['serverCPUMsPer1000'], p['serverCPUMsPer1000'], False)} less* | |"
                )
            elif m:
                lines.append(f"| | *meet ÷ {base}* | *{base} was saturated below this rate* | | | | | | |")
    return "\n".join(lines)


def render(results):
    servers = results["servers"]
    meet = servers["meet"]
    python = servers["python-socketio"]
    labels = [label for label in ("meet",) + BASELINES if label in servers]
    node = results.get("node") or {"reason": "not recorded in this run's results"}
    ceiling = results["ceiling"]
    m = results["machine"]
    pinned = results.get("pinned")
    out = []
    out.append("# Benchmarks\n")
    out.append(f"Generated by `{results['command']}` on {results['date']} (scenarios: {results['seconds']} s). Regenerate with `scripts/bench`; "
               "the raw figures are in `Benchmarks/results/latest.json`, and the method is in `Benchmarks/README.md`.\n")
    out.append(f"- **Machine:** {m['cpu']}, {m['cpus']} CPUs, {m['memoryGiB']} GiB, Linux {m['kernel']}; {m['swift']}.")
    out.append(f"- **Pinning:** " + (f"server on CPU {pinned['server']}, generator (`meet-bench`) on CPU {pinned['generator']}, loopback." if pinned else "none (fewer than two CPUs)."))
    py = m["python"]
    out.append(f"- **Baseline:** python-socketio {py.get('python-socketio')} / python-engineio {py.get('python-engineio')} on aiohttp {py.get('aiohttp')} with uvloop {py.get('uvloop')} (Python {py.get('python')}), "
               "`Benchmarks/baseline/socketio_server.py`: the same `join`/`bcast` handlers and the same HS256 check as `meetings-server serve --bench-handlers`.")
    if "node-socketio" in servers:
        versions = node.get("versions", {})
        out.append(f"- **Node:** socket.io {versions.get('socket.io')} / engine.io {versions.get('engine.io')} / ws {versions.get('ws')} on Node {versions.get('node')}, "
                   "`Benchmarks/node/socketio_server.js`: the same handlers and HS256 check, run from `MEET_BENCH_NODE_MODULES` (a local install; nothing of it is in this repository).")
    else:
        out.append(f"- **Node:** not measured in this run: {node.get('reason')}.")
    out.append(f"- **Generator ceiling:** {fmt(ceiling['deliveredPerSecond'])} deliveries/s, measured first against `meet-bench null-server` "
               f"(rooms of 10, {fmt(ceiling['offeredPerSecond'])}/s offered, generator CPU {fmt(ceiling['generatorCPUPercent'])} %, null server CPU {fmt(ceiling['serverCPUPercent'])} %). "
               "Figures within 20 % of it are marked *generator-bound*.")
    out.append(f"- **Clients:** {fmt(results['clients'])} WebSocket clients, each connected with its own JWT; rooms of 10; the first 1,000 also in one webinar room.\n")

    out.append("## Targets (our server, issue 6)\n")
    out.append("| target | measured | met |\n|---|---|---|")
    for name, measured, met in targets(results):
        out.append(f"| {name} | {measured} | {'yes' if met else '**no**'} |")
    out.append("")

    out.append("## Connect storm: TCP + WebSocket + CONNECT with a JWT + join with ack, 100 in flight\n")
    out.append("| clients | server | connects/s | p50 / p99 / max ms | failures | meet ÷ this |\n|---|---|---|---|---|---|")
    for index, ours in enumerate(meet["connect"]):
        span = f"{fmt(ours['alreadyConnected'])} → {fmt(ours['alreadyConnected'] + ours['clients'])}"
        for label in labels:
            steps = servers[label]["connect"]
            if index >= len(steps):
                continue
            step = steps[index]
            relative = "" if label == "meet" else ratio(ours["perSecond"], step["perSecond"])
            out.append(f"| {span} | {label} | {fmt(step['perSecond'])} | {latency(step['latency'])} | {step['failures']} | {relative} |")
    out.append("")

    out.append("## Idle hold: memory and heartbeats\n")
    out.append("| server | RSS before | RSS at 1k | RSS at all | marginal per connection (1k → all) | per connection | heartbeat CPU (25 s ping) |\n|---|---|---|---|---|---|---|")
    for label in labels:
        result = servers[label]
        mem, idle = result.get("memory"), result.get("idle")
        if mem:
            out.append(f"| {label} | {fmt(mem['rssBeforeKiB'] / 1024)} MiB | {fmt(mem['rssAt1kKiB'] / 1024)} MiB | {fmt(mem['rssAtAllKiB'] / 1024)} MiB ({fmt(mem['connections'])}) | "
                       f"{fmt(mem['marginalBytesPerConnection'] / 1024)} KB | {fmt(mem['bytesPerConnection'] / 1024)} KB | {fmt(idle['serverCPUPercent'], 2) if idle else '–'} % |")
    for label in labels[1:]:
        if meet.get("memory") and servers[label].get("memory"):
            ours, theirs = meet["memory"]["marginalBytesPerConnection"], servers[label]["memory"]["marginalBytesPerConnection"]
            out.append(f"\nMarginal memory per connection, meet against {label}: {ours / theirs:.2f}× ({'more' if ours > theirs else 'less'}).")
    out.append("")

    out.append("## Rooms of 10 (1,000 rooms): fan-out stepped by deliveries per second\n")
    out.append("Each step publishes for 5 s from the first member of every room (open loop); latency is from the sender's stamp to each member's receipt; "
               "\"last member\" is per broadcast, until its last member has it. A server is not stepped further once it delivers under 95 % or its p99 passes 1 s.\n")
    out.append(step_table({label: servers[label]["rooms"] for label in labels}))
    out.append("")
    out.append("## One room of 1,000 (webinar)\n")
    out.append(step_table({label: servers[label]["webinar"] for label in labels}))
    out.append("")
    notes = [f"{label}: {note}" for label in labels for note in servers[label].get("notes", [])]
    if notes:
        out.append("Notes: " + "; ".join(notes) + ".\n")

    meeting = results.get("meeting")
    if meeting:
        out.append("## The meeting path (no baseline)\n")
        out.append(f"`meetings-server` in normal mode (SQLite file, `synchronous=FULL`, rate limit off). {meeting['users']} users alternate REST `hand/raise` and `hand/lower` "
                   f"as fast as answered; each change reaches {meeting['listeners']} sockets in the meeting's room (`meetings-hand-load`).\n")
        out.append("| actions/s | REST p50 / p99 / max ms | deliveries/s | delivered | delivery p50 / p99 / max ms (from the event's `at`, ms clock) | server CPU |\n|---|---|---|---|---|---|")
        delivered = 100 * meeting["delivered"] / meeting["expected"] if meeting["expected"] else 0
        out.append(f"| {fmt(meeting['actionsPerSecond'])} | {latency(meeting['rest'])} | {fmt(meeting['deliveredPerSecond'])} | {delivered:.1f} % | {latency(meeting['delivery'])} | {fmt(meeting['serverCPUPercent'])} % |")
        out.append("")

    codec = codec_table()
    if codec:
        out.append("## Codec microbenchmarks (ordo-one/benchmark, `cd Benchmarks && swift package benchmark`)\n")
        out.append("Medians of 10,000 samples each, one packet per iteration; the full percentiles are in `Benchmarks/results/codec.md`. "
                   "The first row is the harness itself (an empty iteration): its time and allocations are included in every other row.\n")
        out.append("| benchmark | wall clock per packet | allocations per packet |\n|---|---|---|")
        for name, wall, mallocs in codec:
            out.append(f"| {name} | {wall} ns | {mallocs} |")
        out.append("")

    if "node-socketio" not in servers:
        out.append("## Recorded reference: Node socket.io 4.8.3 (not rerun here)\n")
        out.append("From `../shared/docs/performance.md`, same kind of 2-core VM, server on one core, measured with a Python generator that capped at ~100k/s: "
               "10k deliveries/s p99 6.5 ms; 30k/s p99 76 ms; 60k/s p99 183 ms; about 10 ms CPU per 1,000 deliveries at saturation; 26 KB RSS per connection (13 KB marginal 1k → 10k); "
                   "1,120 connects/s with auth and join (2,195/s at 10k). Set MEET_BENCH_NODE_MODULES to measure Node side by side in the same run.")
    return "\n".join(out) + "\n"


def codec_table():
    """(name, median wall clock ns, median mallocs) from the last codec run, if there is one."""
    if not os.path.exists(CODEC):
        return []
    rows, name, wall, mallocs = [], None, None, None
    with open(CODEC) as file:
        for line in file:
            if line.startswith("### "):
                name = line[4:].strip()
            elif name and line.startswith("| Malloc (total)"):
                mallocs = line.split("|")[4].strip()
            elif name and line.startswith("| Time (wall clock)"):
                wall = line.split("|")[4].strip()
                rows.append((name, wall, mallocs))
                name = None
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="2,000 clients and 1 s steps: a smoke run, not for BENCHMARKS.md")
    parser.add_argument("--render-only", action="store_true", help="regenerate BENCHMARKS.md from Benchmarks/results/latest.json")
    parser.add_argument("--no-codec", action="store_true", help="skip the codec microbenchmarks (their first build takes minutes)")
    arguments = parser.parse_args()
    results = read_json(RESULTS) if arguments.render_only else run(arguments.quick, not arguments.no_codec)
    with open(REPORT, "w") as file:
        file.write(render(results))
    log(f"wrote {os.path.relpath(REPORT, ROOT)}")
    for name, measured, met in targets(results):
        log(f"{'met ' if met else 'MISS'} {name}: {measured}")


if __name__ == "__main__":
    main()
