"""Driven by scripts/peak: the peak of a month (issue 14 point 6).

Writers act as secretaries of distinct cells: sign in, create the evening's
meeting, read the cell's members, record the roll call, write the minutes,
sign them; as fast as the server answers, with a fixed number of writers.
Readers, at a fixed total rate (open loop: a late request's latency counts
from when it was due), read members' home pages and committees' statistics.
A sampler polls the national root's meeting statistics for the rollup lag.
Python standard library only."""
import http.client, json, os, random, re, socket, subprocess, sys, threading, time, urllib.parse

BIN = os.environ["PEAK_BIN"]
WINDOW = float(os.environ.get("PEAK_WINDOW", "120"))
WRITERS = int(os.environ.get("PEAK_WRITERS", "16"))
READ_RATE = float(os.environ.get("PEAK_READ_RATE", "40"))
MEMBERS = int(os.environ.get("PEAK_MEMBERS", "1000000"))
PASSWORD = "chibo-demo"  # `chibo generate --accounts`' default, generated data only
EVENING_SECONDS = 3 * 3600
READERS = 512  # threads of the reader pool: slow answers must not delay fast ones


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Client:
    """One keep-alive connection; requests return (status, body bytes)."""

    def __init__(self, port, token=None, cookie=None):
        self.port, self.token, self.cookie = port, token, cookie
        self.conn = None

    def request(self, method, path, body=None, timeout=120):
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        if self.cookie:
            headers["cookie"] = self.cookie
        data = json.dumps(body).encode() if body is not None else None
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, ConnectionError) as e:
                # A closed keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise e

    def json(self, method, path, body=None, expect=(200,)):
        status, raw = self.request(method, path, body)
        if status not in expect:
            raise RuntimeError(f"{method} {path}: {status} {raw[:300]!r}")
        return json.loads(raw) if raw else None


def token(port, username):
    c = Client(port)
    return c.json("POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})["token"]


def session_cookie(port, username):
    """Signs in through the HTML form (with its CSRF token): the member's browser."""
    c = Client(port)
    c.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.conn.request("GET", "/login")
    r = c.conn.getresponse()
    page = r.read().decode()
    jar = {}
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            jar[name] = rest.split(";")[0]
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "_csrf": csrf})
    c.conn.request("POST", "/login", body=form, headers={
        "content-type": "application/x-www-form-urlencoded",
        "cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    r = c.conn.getresponse()
    r.read()
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            jar[name] = rest.split(";")[0]
    if r.status not in (302, 303):
        raise RuntimeError(f"login {username}: {r.status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, int(p / 100 * len(s)))], 2)


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def postgres_cpu(pgdata):
    """CPU seconds of the cluster's postmaster and its children (alive ones)."""
    if not pgdata:
        return 0.0
    try:
        with open(os.path.join(pgdata, "postmaster.pid")) as f:
            master = int(f.readline())
    except OSError:
        return 0.0
    total = cpu_seconds(master)
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == master:
                        total += cpu_seconds(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return total


def walk(port, root_token, root):
    """Provinces, communes and cells, read down from the root."""
    c = Client(port, root_token)
    provinces = [o["id"] for o in c.json("GET", f"/api/v1/orgs/{root}/children") if o["kind"] == "province"]
    communes, cells = [], []
    for p in provinces:
        communes += [o["id"] for o in c.json("GET", f"/api/v1/orgs/{p}/children") if o["kind"] == "base_committee"]
    for m in communes:
        cells += [(o["id"], m) for o in c.json("GET", f"/api/v1/orgs/{m}/children") if o["kind"] == "cell"]
    return provinces, communes, cells


class Peak:
    def __init__(self, port, cells, today):
        self.port, self.today = port, today
        self.cells = cells
        self.next_cell = 0
        self.lock = threading.Lock()
        self.stop_at = None
        self.step_ms = {}  # step -> [ms]
        self.completed = []  # (t, meeting) signed
        self.writes = 0  # non-GET requests answered
        self.requests = 0  # all writer requests answered
        self.errors = []
        self.reads = {}  # kind -> [ms]
        self.read_errors = 0
        self.writers_end = 0.0
        self.read_failures = {}  # "kind:status" -> count

    def take_cell(self):
        with self.lock:
            if self.next_cell >= len(self.cells):
                return None
            self.next_cell += 1
            return self.cells[self.next_cell - 1]

    def timed(self, step, fn):
        t = time.monotonic()
        out = fn()
        ms = (time.monotonic() - t) * 1000
        with self.lock:
            self.step_ms.setdefault(step, []).append(ms)
            self.requests += 1
            if step not in ("members",):
                self.writes += 1
        return out

    def evening(self, cell):
        """One cell's evening, through the API, as its secretary."""
        anon = Client(self.port)
        tok = self.timed("sign_in", lambda: anon.json("POST", "/api/v1/auth/token",
                                                      {"username": f"bithu.{cell}", "password": PASSWORD})["token"])
        c = Client(self.port, tok)
        month = self.today[:7]
        m = self.timed("create", lambda: c.json("POST", f"/api/v1/orgs/{cell}/meetings", {
            "kind": "regular", "date": self.today, "topic": f"Sinh hoạt thường kỳ tháng {month}"}, expect=(201,)))
        mid = m["id"]
        members = self.timed("members", lambda: c.json("GET", f"/api/v1/orgs/{cell}/members?page_size=200"))
        members.sort(key=lambda x: x["id"])
        ids = [x["id"] for x in members]
        rng = random.Random(mid)
        entries = []
        for i, x in enumerate(members):
            r = rng.random()
            if x["status"] == "exempt":
                entries.append({"member_id": x["id"], "presence": "exempt"})
            elif r < 0.93 or i < 2:
                entries.append({"member_id": x["id"], "presence": "present", "spoke": rng.random() < 0.3})
            elif r < 0.985:
                entries.append({"member_id": x["id"], "presence": "absent_excused", "reason": "Đi công tác"})
            else:
                entries.append({"member_id": x["id"], "presence": "absent_unexcused"})
        tally = self.timed("attendance", lambda: c.json("PUT", f"/api/v1/meetings/{mid}/attendance", {"entries": entries}))
        patch = {"chair_id": ids[0], "recorder_id": ids[1] if len(ids) > 1 else ids[0],
                 "started_time": "19:30", "ended_time": "21:15",
                 "proceedings": "Đồng chí Bí thư chủ trì; chi bộ đánh giá kết quả tháng trước, thảo luận nhiệm vụ tháng tới.",
                 "conclusion": "Chi bộ thống nhất nghị quyết.", "resolution_title": "Nghị quyết tháng"}
        if tally["official_present"] > 0:
            patch.update({"vote_for": tally["official_present"], "vote_against": 0, "vote_abstain": 0})
        self.timed("minutes", lambda: c.json("PATCH", f"/api/v1/meetings/{mid}", patch))
        self.timed("sign", lambda: c.json("POST", f"/api/v1/meetings/{mid}/sign", {}))
        with self.lock:
            self.completed.append((time.monotonic(), mid))

    def writer(self):
        while time.monotonic() < self.stop_at:
            cell = self.take_cell()
            if cell is None:
                break
            try:
                self.evening(cell)
            except Exception as e:  # counted and reported; the run must show 0
                with self.lock:
                    self.errors.append(f"cell {cell}: {e}")
        with self.lock:
            self.writers_end = max(self.writers_end, time.monotonic())

    def readers(self, plan, rate, seed):
        """Open loop at `rate`: request k is due at start + k/rate and is
        handed to a pool, so a slow answer never delays the next request;
        its latency counts from when it was due (no coordinated omission)."""
        from concurrent.futures import ThreadPoolExecutor
        rng = random.Random(seed)
        local = threading.local()

        def one(kind, path, auth, due):
            clients = getattr(local, "clients", None)
            if clients is None:
                clients = local.clients = {}
            c = clients.get(auth)
            if c is None:
                c = clients[auth] = Client(self.port, token=auth[1] if auth[0] == "t" else None,
                                           cookie=auth[1] if auth[0] == "c" else None)
            try:
                status, _ = c.request("GET", path)
            except Exception as e:
                status = type(e).__name__
            ms = (time.monotonic() - due) * 1000
            with self.lock:
                if status == 200:
                    self.reads.setdefault(kind, []).append(ms)
                else:
                    self.read_errors += 1
                    key = f"{kind}:{status}"
                    self.read_failures[key] = self.read_failures.get(key, 0) + 1

        start = time.monotonic()
        k = 0
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            while True:
                due = start + k / rate
                if due >= self.stop_at:
                    return
                now = time.monotonic()
                if due > now:
                    time.sleep(due - now)
                kind, path, auth = rng.choice(plan)
                pool.submit(one, kind, path, auth, due)
                k += 1


def held(client, root, year):
    """The root's held meetings of the year, or None when the read failed
    (408: not answered within the server's timeout)."""
    try:
        return client.json("GET", f"/api/v1/orgs/{root}/meeting-stats?year={year}")["held"]
    except (RuntimeError, OSError):
        return None


def run(backend, url, pgdata, binary):
    port = free_port()
    proc = subprocess.Popen([binary, "--database-url", url, "serve", "--addr", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                if Client(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        root = 1
        root_tok = token(port, f"canbo.{root}")
        t = time.time()
        provinces, communes, cells = walk(port, root_tok, root)
        log(f"   {len(provinces)} provinces, {len(communes)} communes, {len(cells)} cells ({time.time() - t:.1f} s)")
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 3600))  # Hà Nội
        year = int(today[:4])
        rng = random.Random(14)
        # Readers: members of random cells (home page as HTML with a session,
        # and over the API), committees of random communes and provinces.
        reader_cells = rng.sample(cells, min(40, len(cells)))
        cookies, member_tokens = [], []
        for cell, _ in reader_cells[:20]:
            ms = Client(port, root_tok).json("GET", f"/api/v1/orgs/{cell}/members?page_size=200")
            ids = sorted(x["id"] for x in ms)
            user = f"dv.{ids[1] if len(ids) > 1 else ids[0]}"
            cookies.append(session_cookie(port, user))
            member_tokens.append(token(port, user))
        plan = []
        for ck in cookies:
            plan.append(("member_home_page", "/", ("c", ck)))
        for tk in member_tokens:
            plan.append(("member_home_api", "/api/v1/me/home", ("t", tk)))
        for m in rng.sample(communes, min(20, len(communes))):
            tk = token(port, f"canbo.{m}")
            plan.append(("commune_stats", f"/api/v1/orgs/{m}/stats", ("t", tk)))
            plan.append(("commune_meeting_stats", f"/api/v1/orgs/{m}/meeting-stats?year={year}", ("t", tk)))
        for p in rng.sample(provinces, min(5, len(provinces))):
            tk = token(port, f"canbo.{p}")
            plan.append(("province_dashboard", f"/api/v1/orgs/{p}/dashboard", ("t", tk)))
        # The machine's floor: what a trivial answer takes under the same load.
        plan.append(("healthz", "/healthz", ("n", "")))
        plan.append(("national_meeting_stats", f"/api/v1/orgs/{root}/meeting-stats?year={year}", ("t", root_tok)))
        plan.append(("national_dashboard", f"/api/v1/orgs/{root}/dashboard", ("t", root_tok)))
        # Warm every read once (the cold figures are scripts/bench's), then the
        # root's count before the evening.
        t = time.time()
        for kind, path, auth in plan:
            c = Client(port, token=auth[1] if auth[0] == "t" else None, cookie=auth[1] if auth[0] == "c" else None)
            c.request("GET", path)
        rc = Client(port, root_tok)
        held0 = held(rc, root, year)
        log(f"   readers warmed in {time.time() - t:.1f} s; national held before the evening: {held0}")

        writer_cells = [c for c, _ in cells]
        rng.shuffle(writer_cells)
        peak = Peak(port, writer_cells, today)
        lag_samples = []
        server_cpu0, pg_cpu0 = cpu_seconds(proc.pid), postgres_cpu(pgdata)
        t0 = time.monotonic()
        peak.stop_at = t0 + WINDOW

        def sampler():
            """Every 10 s: how long until the root counts what was signed by then."""
            c = Client(port, root_tok)
            while time.monotonic() + 10 < peak.stop_at:
                time.sleep(10)
                ts = time.monotonic()
                with peak.lock:
                    signed = len(peak.completed)
                failed = 0
                while True:
                    h = held(c, root, year)
                    failed += h is None
                    if h is not None and h >= held0 + signed:
                        lag_samples.append({"at_s": round(ts - t0, 1), "signed": signed, "failed_reads": failed,
                                            "lag_ms": round((time.monotonic() - ts) * 1000, 1)})
                        break
                    if time.monotonic() - ts > 300:
                        lag_samples.append({"at_s": round(ts - t0, 1), "signed": signed, "failed_reads": failed,
                                            "lag_ms": None})
                        break
                    time.sleep(0.05)

        waits = {}

        def wait_sampler():
            """Every second, what the server's PostgreSQL sessions are doing:
            on CPU, waiting for a lock (the rollup epochs' rows), for the WAL
            flush (fsync), or idle in the pool."""
            if backend != "postgres":
                return
            sql = ("SELECT state || ':' || COALESCE(wait_event_type || '/' || wait_event, 'cpu') FROM pg_stat_activity "
                   "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
            while time.monotonic() < peak.stop_at:
                out = subprocess.run(["psql", url, "-Atc", sql], capture_output=True, text=True).stdout
                with peak.lock:
                    for line in out.splitlines():
                        waits[line] = waits.get(line, 0) + 1
                    waits["_samples"] = waits.get("_samples", 0) + 1
                time.sleep(1)

        threads = [threading.Thread(target=peak.writer) for _ in range(WRITERS)]
        threads.append(threading.Thread(target=wait_sampler))
        threads.append(threading.Thread(target=peak.readers, args=(plan, READ_RATE, 1)))
        threads.append(threading.Thread(target=sampler))
        for th in threads:
            th.start()
        last = 0
        while any(th.is_alive() for th in threads):
            time.sleep(1)
            now = time.monotonic()
            if now - t0 - last >= 15:
                last = now - t0
                log(f"   {last:5.0f} s: {len(peak.completed)} meetings signed, {len(peak.errors)} errors")
        t_end = time.monotonic()
        # Rates over the writers' time (the window plus their last evening),
        # not over the readers' and sampler's drain.
        elapsed = peak.writers_end - t0
        server_cpu, pg_cpu = cpu_seconds(proc.pid) - server_cpu0, postgres_cpu(pgdata) - pg_cpu0
        # Rollup lag after the window: every writer has finished; the root
        # must count exactly the evening's meetings.
        signed = len(peak.completed)
        failed_polls = 0
        while True:
            h = held(rc, root, year)
            failed_polls += h is None
            if h is not None and h >= held0 + signed:
                break
            if time.monotonic() - t_end > 600:
                break
        end_lag = (time.monotonic() - t_end) * 1000
        rate = signed / elapsed if elapsed else 0
        result = {
            "backend": backend,
            "members": MEMBERS,
            "cells": len(cells),
            "window_s": WINDOW,
            "elapsed_s": round(elapsed, 1),
            "writers": WRITERS,
            "read_rate_target": READ_RATE,
            "meetings_signed": signed,
            "meetings_per_s": round(rate, 2),
            "write_requests_per_s": round(peak.writes / elapsed, 1),
            "writer_requests_per_s": round(peak.requests / elapsed, 1),
            "write_errors": len(peak.errors),
            "write_error_examples": peak.errors[:5],
            "read_errors": peak.read_errors,
            "read_failures": peak.read_failures,
            "steps_ms": {k: {"n": len(v), "p50": pct(v, 50), "p99": pct(v, 99)} for k, v in peak.step_ms.items()},
            "reads_ms": {k: {"n": len(v), "rps": round(len(v) / elapsed, 1), "p50": pct(v, 50), "p99": pct(v, 99)}
                         for k, v in sorted(peak.reads.items())},
            "reads_per_s": round(sum(len(v) for v in peak.reads.values()) / elapsed, 1),
            "national_held_before": held0,
            "national_held_after": h,
            "rollup_lag_after_window_ms": round(end_lag, 1),
            "rollup_lag_after_window_exact": h == held0 + signed,
            "rollup_failed_polls_after_window": failed_polls,
            "drain_s": round(t_end - peak.writers_end, 1),
            "rollup_lag_samples": lag_samples,
            "pg_sessions_sampled": dict(sorted(waits.items(), key=lambda kv: -kv[1])),
            "cpu_s": {"server": round(server_cpu, 1), "postgres": round(pg_cpu, 1), "window": round(elapsed, 1)},
            "all_cells_at_this_rate_s": round(len(cells) / rate) if rate else None,
            "evening_s": EVENING_SECONDS,
            "meetings_per_s_for_all_cells_in_an_evening": round(len(cells) / EVENING_SECONDS, 2),
        }
        log(f"   {signed} meetings in {elapsed:.0f} s = {rate:.1f}/s, {result['write_requests_per_s']} write req/s, "
            f"errors {len(peak.errors)} writes / {peak.read_errors} reads")
        for k, v in result["steps_ms"].items():
            log(f"   write {k:<26} p50 {v['p50']:>8} ms  p99 {v['p99']:>8} ms")
        for k, v in result["reads_ms"].items():
            log(f"   read  {k:<26} p50 {v['p50']:>8} ms  p99 {v['p99']:>8} ms  ({v['rps']} req/s)")
        log(f"   rollup lag after the window {end_lag:.0f} ms (held {held0} → {h}); samples {lag_samples}")
        log(f"   PostgreSQL sessions (count over {waits.get('_samples', 0)} samples): "
            + ", ".join(f"{k} {v}" for k, v in sorted(waits.items(), key=lambda kv: -kv[1]) if k != "_samples"))
        log(f"   CPU during the window: server {server_cpu:.0f} s, PostgreSQL {pg_cpu:.0f} s over {elapsed:.0f} s")
        if rate:
            log(f"   all {len(cells)} cells at this rate: {len(cells) / rate / 3600:.2f} h (an evening is 3 h)")
        if peak.read_failures:
            log(f"   failed reads: {peak.read_failures}")
        for e in peak.errors[:5]:
            log(f"   error: {e}")
        return result
    finally:
        proc.kill()
        proc.wait()


def main():
    runs = []
    # --before-bin: the same evening first served by another build, on the
    # same database, for a before/after comparison without regenerating.
    binaries = [("before", os.environ["PEAK_BIN_BEFORE"])] if os.environ.get("PEAK_BIN_BEFORE") else []
    binaries.append(("this build", BIN))
    for label, binary in binaries:
        log(f"== postgres, {label} (fsync {'on' if os.environ.get('PEAK_FSYNC') == '1' else 'off'})")
        r = run("postgres", os.environ["PEAK_PG"], os.environ.get("PEAK_PGDATA"), binary)
        r["fsync"] = os.environ.get("PEAK_FSYNC") == "1"
        r["build"] = label
        runs.append(r)
    if os.environ.get("PEAK_SQLITE"):
        log("== sqlite")
        runs.append(run("sqlite", os.environ["PEAK_SQLITE"], None, BIN))
    os.makedirs("target/bench", exist_ok=True)
    with open("target/bench/peak.json", "w") as f:
        json.dump({"runs": runs, "shared_machine_note": "figures from a loaded 2-core machine are indicative"},
                  f, indent=2, ensure_ascii=False)
    log("written target/bench/peak.json")
    if any(r["write_errors"] for r in runs):
        sys.exit(1)


main()
