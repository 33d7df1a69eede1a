#!/usr/bin/python3
"""Issue 22's daily benchmark: Keyturn's sweep and delivery of one day, side by side with the anchor
(a Django daily task that loads every license and mails inline), on one PostgreSQL fleet of 100,000.

Usage (from the repository root; README.md has the details):
  /usr/bin/python3 bench/server-daily/run.py [--jar PATH] [--rounds N] [--anchor-greenmail-rounds N]
      [--keep] [--reuse] [--jfr FILE] [--profile FILE] [--sweep-days N]
Prints one JSON line per measurement and a summary table (medians) at the end.
"""
import argparse
import base64
import glob
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta, timezone

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.join(ROOT, "bench", "server-daily")
DB = "dailybench"
PORT = 18090
FAST_PORT, GREENMAIL_PORT = 3026, 3025
WORK = "/tmp/dailybench"
TICK = os.sysconf("SC_CLK_TCK")
BASIC = "Basic " + base64.b64encode(b"admin:bench-password").decode()
# The timed calls authenticate with an API token (a hash lookup), not the admin password: a BCrypt
# check costs tens of milliseconds of the server's CPU, which would be counted against the mails.
AUTH = {"header": BASIC}


def log(**fields):
    fields["load"] = open("/proc/loadavg").read().split()[0]
    print(json.dumps(fields), flush=True)


def psql(sql, db=DB, quiet=True):
    args = ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres", "-d", db]
    args += ["-f", sql] if sql.endswith(".sql") else ["-Atc", sql]
    return subprocess.run(args, check=True, capture_output=quiet, text=True).stdout


def cpu_seconds(pid, task=None):
    """utime + stime of a process (or one of its threads) from /proc (fields 14 and 15, ticks)."""
    path = "/proc/%d/stat" % pid if task is None else "/proc/%d/task/%s/stat" % (pid, task)
    fields = open(path).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def threads_cpu(pid):
    """CPU seconds by thread name, digits folded (GC, compiler, HTTP, sweep, mail, pool threads)."""
    out = {}
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            name = open("/proc/%d/task/%s/comm" % (pid, task)).read().strip()
            cpu = cpu_seconds(pid, task)
        except OSError:
            continue
        key = (task, "".join("#" if c.isdigit() else c for c in name))
        out[key] = cpu
    return out


def postgres_cpu():
    """CPU seconds by PostgreSQL process: the benchmark database's backends and the server-wide
    writers (the pool's backends live across a run; other databases' backends are left out)."""
    out = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if open("/proc/%s/comm" % pid).read().strip() != "postgres":
                    continue
                title = open("/proc/%s/cmdline" % pid).read()
                if (" %s " % DB) in title or any(w in title for w in ("writer", "checkpointer")):
                    out[pid] = cpu_seconds(int(pid))
            except OSError:
                pass
    return out


def postgres_cpu_since(before):
    """CPU of the processes in both readings, and all of those started in between."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in postgres_cpu().items())


def jit_seconds(by_thread):
    """CPU seconds of the JIT compiler's threads in a cpu_by_thread() breakdown."""
    return sum(v for k, v in by_thread.items() if k.startswith("C# Compiler"))


def cpu_by_thread(before, after):
    groups = {}
    for key, cpu in after.items():
        d = cpu - before.get(key, 0.0)
        if d > 0:
            groups[key[1]] = round(groups.get(key[1], 0.0) + d, 3)
    return dict(sorted(groups.items(), key=lambda kv: -kv[1]))


def call(method, path, body=None, timeout=900):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (PORT, path), method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Authorization", AUTH["header"])
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read() or b"null")


def m2(pattern):
    found = sorted(glob.glob(os.path.expanduser("~/.m2/repository/" + pattern)))
    if not found:
        sys.exit("not in the local Maven repository: " + pattern)
    return found[-1]


class Sinks:
    def __init__(self):
        self.count_file = os.path.join(WORK, "fast-sink.count")
        self.fast = subprocess.Popen(["java", "-Xmx64m", os.path.join(HERE, "FastSmtpSink.java"),
                                      str(FAST_PORT), self.count_file], stdout=subprocess.DEVNULL)
        cp = ":".join(m2(p) for p in [
            "com/icegreen/greenmail/2.*/greenmail-2.*.jar", "org/eclipse/angus/angus-mail/2.*/angus-mail-2.*.jar",
            "jakarta/mail/jakarta.mail-api/2.1.*/jakarta.mail-api-2.1.*.jar",
            "org/eclipse/angus/angus-activation/2.*/angus-activation-2.*.jar",
            "jakarta/activation/jakarta.activation-api/2.1.*/jakarta.activation-api-2.1.*.jar",
            "org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar", "org/slf4j/slf4j-nop/2.0.17/slf4j-nop-2.0.17.jar"])
        self.greenmail = subprocess.Popen(["java", "-Xmx256m", "-cp", cp,
                                           os.path.join(ROOT, "bench", "server-sweep", "SmtpSink.java")],
                                          stdout=subprocess.DEVNULL)

    def fast_count(self):
        try:
            return int(open(self.count_file).read())
        except (FileNotFoundError, ValueError):
            return 0

    def stop(self):
        for p in (self.fast, self.greenmail):
            p.terminate()
            p.wait()


class Server:
    def __init__(self, jar, jfr, profile=None):
        self.jar, self.jfr, self.proc, self.smtp_port = jar, jfr, None, None
        self.profile, self.profiling = profile, False

    def agent(self, options):
        """Loads async-profiler into the running server, or gives it a command (start, stop)."""
        subprocess.run(["jcmd", str(self.proc.pid), "JVMTI.agent_load", os.environ["ASYNC_PROFILER_LIB"],
                        '"%s"' % options], check=True, capture_output=True)

    def profile_measured_days(self):
        """CPU samples of the server from now until it stops (kernel frames too: thread wake-ups,
        socket calls, which JFR's Java samples do not show)."""
        if self.profile and not self.profiling:
            self.agent("start,event=cpu,interval=1ms,threads")
            self.profiling = True

    def start(self, smtp_port):
        env = dict(os.environ, KEYTURN_DB_URL="jdbc:postgresql://127.0.0.1:5432/" + DB,
                   KEYTURN_DB_USER="postgres", KEYTURN_ADMIN_PASSWORD="bench-password",
                   KEYTURN_TEST_CLOCK_ENABLED="true", KEYTURN_SCHEDULER_ENABLED="false",
                   KEYTURN_DATA_DIR=os.path.join(WORK, "data"),
                   SPRING_MAIL_HOST="127.0.0.1", SPRING_MAIL_PORT=str(smtp_port))
        args = ["java", "-Xmx512m"]
        if self.jfr:
            args.append("-XX:StartFlightRecording=filename=%s-%d.jfr,settings=%s"
                        % (self.jfr, smtp_port, os.environ.get("JFC", "profile")))
        args += ["-jar", self.jar, "--server.port=%d" % PORT, "--logging.level.root=WARN"]
        self.proc = subprocess.Popen(args, env=env, stdout=open(os.path.join(WORK, "server.log"), "a"),
                                     stderr=subprocess.STDOUT)
        self.smtp_port = smtp_port
        for _ in range(180):
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/actuator/health" % PORT, timeout=2)
                break
            except OSError:
                if self.proc.poll() is not None:
                    sys.exit("the server exited; see %s/server.log" % WORK)
                time.sleep(1)
        else:
            sys.exit("the server did not start")
        AUTH["header"] = BASIC
        token = call("POST", "/api/v1/api-tokens", {"name": "daily bench %d" % time.time(), "role": "ADMIN"})
        AUTH["header"] = "Bearer " + token["token"]

    def stop(self):
        if self.proc and self.profiling:
            self.agent("stop,collapsed,threads,file=%s-%d.collapsed" % (self.profile, self.proc.pid))
            self.profiling = False
        if self.proc:
            self.proc.terminate()
            self.proc.wait()
            self.proc = None

    def use(self, smtp_port, instant):
        if self.smtp_port != smtp_port or self.proc is None:
            self.stop()
            self.start(smtp_port)
        call("POST", "/api/v1/test-clock", {"set": instant.strftime("%Y-%m-%dT%H:%M:%SZ")})


def day_run(server, sinks):
    """One POST /api/v1/automation/run (sweep, then drain the outbox), with the server's CPU time."""
    # What autovacuum does between two daily runs on a real server (this machine's PostgreSQL has
    # it off): without it every day's updated outbox and lifecycle rows stay behind as dead rows,
    # and each later day reads past all of them.
    psql("vacuum analyze")
    threads_before = threads_cpu(server.proc.pid)
    before_pg, before_sink_cpu = postgres_cpu(), cpu_seconds(sinks.fast.pid)
    before_cpu, before_sink, t0 = cpu_seconds(server.proc.pid), sinks.fast_count(), time.perf_counter()
    r = call("POST", "/api/v1/automation/run")
    wall = time.perf_counter() - t0
    cpu = cpu_seconds(server.proc.pid) - before_cpu
    r["postgres_cpu_s"] = round(postgres_cpu_since(before_pg), 3)
    r["fast_sink_cpu_s"] = round(cpu_seconds(sinks.fast.pid) - before_sink_cpu, 3)
    by_thread = cpu_by_thread(threads_before, threads_cpu(server.proc.pid))
    # Sweep and mail pool threads end with the run: their CPU is what the live threads do not show.
    by_thread["(threads ended during the run)"] = round(cpu - sum(by_thread.values()), 3)
    r["threads_cpu_s"] = by_thread
    jit = jit_seconds(by_thread)
    if r["delivered"]:
        r["cpu_ms_per_mail_without_jit"] = round(1000 * (cpu - jit) / r["delivered"], 3)
    r.update(wall_s=round(wall, 3), server_cpu_s=round(cpu, 3),
             cpu_ms_per_mail=round(1000 * cpu / r["delivered"], 3) if r["delivered"] else None)
    if server.smtp_port == FAST_PORT:
        time.sleep(0.2)
        r["sink_received"] = sinks.fast_count() - before_sink
    return r


def sweep_run(server):
    """One POST /api/v1/automation/run?deliver=false (the sweep alone), with the server's and
    PostgreSQL's CPU time and the WAL it wrote; the outbox is then drained, untimed."""
    psql("vacuum analyze")
    threads_before = threads_cpu(server.proc.pid)
    wal = "select wal_records, wal_fpi, wal_bytes from pg_stat_wal"
    wal_before = [int(x) for x in psql(wal).strip().split("|")]
    before_pg, before_cpu, t0 = postgres_cpu(), cpu_seconds(server.proc.pid), time.perf_counter()
    r = call("POST", "/api/v1/automation/run?deliver=false")
    wall = time.perf_counter() - t0
    cpu = cpu_seconds(server.proc.pid) - before_cpu
    pg = postgres_cpu_since(before_pg)
    wal_after = [int(x) for x in psql(wal).strip().split("|")]
    jit = jit_seconds(cpu_by_thread(threads_before, threads_cpu(server.proc.pid)))
    r.update(wall_s=round(wall, 3), server_cpu_s=round(cpu, 3), jit_cpu_s=round(jit, 3),
             postgres_cpu_s=round(pg, 3), wal_records=wal_after[0] - wal_before[0],
             wal_fpi=wal_after[1] - wal_before[1], wal_bytes=wal_after[2] - wal_before[2])
    r["delivered"] = call("POST", "/api/v1/automation/run")["delivered"]
    return r


def warm_up(server, sinks, port, fresh, a, t0, day, rnd, name):
    """Warm-up days on a (re)started server (the JIT compiles for seconds of CPU): at least
    --warmup-days on a fresh one, then until two days in a row leave the compiler quiet. Returns
    the last day used."""
    quiet_days = 0
    for n in range(1, a.max_warmup_days + 1):
        day += 1
        server.use(port, t0 + timedelta(days=day))
        r = day_run(server, sinks)
        log(round=rnd, sink=name, kind="warm-up", **r)
        quiet_days = quiet_days + 1 if jit_share(r) < a.steady_jit else 0
        if n >= (a.warmup_days if fresh else 1) and (a.steady_jit <= 0 or quiet_days >= 2):
            break
    return day


def jit_share(r):
    """The share of a run's server CPU spent by the JIT compiler's threads."""
    return jit_seconds(r["threads_cpu_s"]) / r["server_cpu_s"] if r["server_cpu_s"] else 0.0


def anchor(today, smtp_port):
    env = dict(os.environ, ANCHOR_DB=DB, ANCHOR_SMTP_PORT=str(smtp_port), PYTHONDONTWRITEBYTECODE="1")
    out = subprocess.run(["/usr/bin/python3", "manage.py", "send_renewal_notices", "--today", today.isoformat()],
                         cwd=os.path.join(HERE, "anchor"), env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jar", default=os.path.join(ROOT, "keyturn-server", "target", "keyturn-server.jar"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--anchor-greenmail-rounds", type=int, default=1)
    p.add_argument("--keep", action="store_true", help="keep the database (and its day counter)")
    p.add_argument("--reuse", action="store_true", help="reuse a kept database instead of seeding")
    p.add_argument("--no-anchor", action="store_true")
    p.add_argument("--jfr", help="record JFR profiles to FILE-<smtp port>.jfr (JFC=settings file)")
    p.add_argument("--profile", metavar="FILE",
                   help="async-profiler CPU samples of the measured days, collapsed stacks by thread, to"
                        " FILE-<server pid>.collapsed (ASYNC_PROFILER_LIB=path of libasyncProfiler.so)")
    p.add_argument("--warmup-days", type=int, default=4, help="days swept after each server start")
    p.add_argument("--steady-jit", type=float, default=0.1,
                   help="then more warm-up days until two in a row spend less than this share of the"
                        " server's CPU in the JIT compiler (0: no more)")
    p.add_argument("--max-warmup-days", type=int, default=40)
    p.add_argument("--sinks", default="sink,greenmail", help="which SMTP servers: sink,greenmail")
    p.add_argument("--sweep-days", type=int, default=0,
                   help="after the rounds, N more days on the stall-free sink, each swept alone and timed"
                        " (?deliver=false, with PostgreSQL's CPU and WAL), then delivered untimed")
    p.add_argument("--summarize", metavar="LOG", help="print the medians of an earlier run's output")
    a = p.parse_args()
    if a.summarize:
        results = []
        for line in open(a.summarize):
            if line.startswith('{"round"') or line.startswith('{"rnd"'):
                r = json.loads(line)
                if r["kind"] != "warm-up":
                    jit = jit_seconds(r.get("threads_cpu_s", {}))
                    if r.get("delivered") and "server_cpu_s" in r:
                        r.setdefault("cpu_ms_per_mail_without_jit",
                                     round(1000 * (r["server_cpu_s"] - jit) / r["delivered"], 3))
                    results.append(r)
        summarize(results)
        return
    os.makedirs(WORK, exist_ok=True)
    state_file = os.path.join(WORK, "state.json")
    sinks = Sinks()
    server = Server(os.path.abspath(a.jar), a.jfr, a.profile and os.path.abspath(a.profile))
    results = []
    try:
        if a.reuse:
            state = json.load(open(state_file))
            t0, day = datetime.fromisoformat(state["t0"]), state["day"]
        else:
            psql("drop database if exists %s" % DB, db="postgres")
            psql("create database %s" % DB, db="postgres")
            subprocess.run(["rm", "-rf", os.path.join(WORK, "data")])
            server.start(FAST_PORT)
            t0 = datetime.fromisoformat(psql("select to_char(date_trunc('second', now()) at time zone 'UTC',"
                                             " 'YYYY-MM-DD\"T\"HH24:MI:SS')").strip()).replace(tzinfo=timezone.utc)
            s = time.perf_counter()
            psql(os.path.join(HERE, "seed.sql"))
            log(step="seed", seconds=round(time.perf_counter() - s, 1))
            # The steady state a daily sweep leaves: sweep at t0 (every stage already crossed is
            # notified, most urgent one each), and count those mails as delivered.
            r = call("POST", "/api/v1/automation/run?deliver=false")
            psql("update outbox set state = 'DELIVERED', delivered_at = now() where state = 'PENDING'")
            psql("vacuum analyze")
            log(step="steady state", **r)
            day = 0
        sinks_by_name = {name: port for name, port in (("sink", FAST_PORT), ("greenmail", GREENMAIL_PORT))
                         if name in a.sinks.split(",")}
        for rnd in range(1, a.rounds + 1):
            for name, port in sinks_by_name.items():
                # Warm-up days on each (re)started server (the JIT compiles for seconds of CPU),
                # then a steady day and a day with backlog.
                day = warm_up(server, sinks, port, server.smtp_port != port or rnd == 1, a, t0, day, rnd, name)
                day += 1
                server.use(port, t0 + timedelta(days=day))
                server.profile_measured_days()
                steady = day_run(server, sinks)
                log(round=rnd, sink=name, kind="steady", **steady)
                results.append(dict(rnd=rnd, sink=name, kind="steady", **steady))
                if not a.no_anchor and (name == "sink" or rnd <= a.anchor_greenmail_rounds):
                    before = sinks.fast_count()
                    an = anchor((t0 + timedelta(days=day)).date(), port)
                    if name == "sink":
                        time.sleep(0.2)
                        an["sink_received"] = sinks.fast_count() - before
                    log(round=rnd, sink=name, kind="anchor", **an)
                    results.append(dict(rnd=rnd, sink=name, kind="anchor", **an))
                # A day with backlog: a missed day, two days' notices at once.
                day += 2
                server.use(port, t0 + timedelta(days=day))
                backlog = day_run(server, sinks)
                log(round=rnd, sink=name, kind="backlog", **backlog)
                results.append(dict(rnd=rnd, sink=name, kind="backlog", **backlog))
        # The sweep alone, day after day: its figures spread less when nothing else runs with it.
        if a.sweep_days and (server.smtp_port != FAST_PORT or a.rounds == 0):
            day = warm_up(server, sinks, FAST_PORT, True, a, t0, day, 0, "sink")
        for _ in range(a.sweep_days):
            day += 1
            server.use(FAST_PORT, t0 + timedelta(days=day))
            server.profile_measured_days()
            r = sweep_run(server)
            log(round=0, sink="sink", kind="sweep-only", **r)
            results.append(dict(rnd=0, sink="sink", kind="sweep-only", **r))
        json.dump({"t0": t0.isoformat(), "day": day}, open(state_file, "w"))
    finally:
        server.stop()
        sinks.stop()
        if not a.keep:
            psql("drop database if exists %s" % DB, db="postgres")
    summarize(results)


def summarize(results):
    def med(sink, kind, key):
        xs = [r[key] for r in results if r["sink"] == sink and r["kind"] == kind and r.get(key) is not None]
        return statistics.median(xs) if xs else None

    print("\nmedians over rounds (%s)" % datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    for sink in ("sink", "greenmail"):
        an_s, an_m = med(sink, "anchor", "seconds"), med(sink, "anchor", "mails")
        if an_s:
            print("%-9s anchor: %s mails in %.2f s (%.0f/s), CPU %.2f s" % (
                sink, an_m, an_s, an_m / an_s, med(sink, "anchor", "cpu_seconds")))
        for kind in ("steady", "backlog"):
            d, sw, dl = med(sink, kind, "delivered"), med(sink, kind, "sweep_ms"), med(sink, kind, "delivery_ms")
            if d is None:
                continue
            total = (sw + dl) / 1000
            print("%-9s %-7s: %s mails, sweep %d ms, delivery %d ms (%.0f/s), total %.2f s%s, CPU %.3f ms/mail"
                  " (%s without the JIT compiler's threads)" % (
                      sink, kind, d, sw, dl, d / max(dl, 1) * 1000, total,
                      " (%.1fx anchor)" % (an_s / total) if an_s else "", med(sink, kind, "cpu_ms_per_mail"),
                      med(sink, kind, "cpu_ms_per_mail_without_jit")))
    if any(r["kind"] == "sweep-only" for r in results):
        def sweep_med(key):
            return statistics.median(r[key] for r in results if r["kind"] == "sweep-only")
        print("sweep alone (%d days): %d notices' mails, sweep %d ms, server CPU %d ms (JIT compiler %d ms),"
              " PostgreSQL CPU %d ms, WAL %d records, %.1f MB" % (
                  sum(r["kind"] == "sweep-only" for r in results), sweep_med("delivered"), sweep_med("sweep_ms"),
                  1000 * sweep_med("server_cpu_s"), 1000 * sweep_med("jit_cpu_s"),
                  1000 * sweep_med("postgres_cpu_s"), sweep_med("wal_records"), sweep_med("wal_bytes") / 1e6))


if __name__ == "__main__":
    main()
