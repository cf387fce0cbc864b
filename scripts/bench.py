"""Driven by scripts/bench: seeds, serves, loads each route with wrk, reports."""
import json, os, re, socket, subprocess, sys, time, urllib.request

BIN = os.environ["BENCH_BIN"]
QUICK = os.environ.get("BENCH_QUICK") == "1"
MEMBERS = os.environ.get("BENCH_MEMBERS") or ""
DURATION = "2s" if QUICK else "15s"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def http(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json", **(headers or {})})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read(), r.headers


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def start(url, command):
    port = free_port()
    proc = subprocess.Popen([BIN, "--database-url", url, command, "--addr", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            http("GET", base + "/healthz")
            return proc, base
        except Exception:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def seed(url):
    """Seeds (generated data if asked, then the demo), then serves from a fresh
    process so the idle RSS is the server's, not the seeder's."""
    if MEMBERS:
        subprocess.run([BIN, "--database-url", url, "generate", "--members", MEMBERS], check=True, stdout=sys.stderr)
    proc, _ = start(url, "demo")
    proc.kill()
    proc.wait()
    return start(url, "serve")


def token(base, user):
    body, _ = http("POST", base + "/api/v1/auth/token", {"username": user, "password": "chibo-demo"})
    return json.loads(body)["token"]


def session_cookie(base, user):
    """Logs in through the HTML form and returns the session cookie."""
    import http.cookiejar
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": user, "password": "chibo-demo", "_csrf": csrf}).encode()
    opener.open(urllib.request.Request(base + "/login", data=data))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def find(base, tok, q, kinds, on=None):
    """The first node named like `q` of one of `kinds` (on a date, for closed ones)."""
    url = f"{base}/api/v1/orgs?q={urllib.parse.quote(q)}" + (f"&on={on}" if on else "")
    body, _ = http("GET", url, headers={"authorization": f"Bearer {tok}"})
    return next((o["id"] for o in json.loads(body) if o["kind"] in kinds), None)


def wrk(url, header):
    args = ["wrk", "-t2", "-c32", f"-d{DURATION}", "--latency", url]
    if header:
        args[1:1] = ["-H", header]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{out}")
    return rps, pct(50), pct(99)


def run(backend, url):
    log(f"== {backend}: seeding and starting")
    t0 = time.time()
    proc, base = seed(url)
    log(f"   ready in {time.time() - t0:.1f} s")
    try:
        admin = token(base, "admin")
        auth = f"Authorization: Bearer {admin}"
        # Demo names first; generated data has no districts, so a commune stands in.
        cell = find(base, admin, "chi bo 4", ["cell"]) or find(base, admin, "chi bo", ["cell"])
        district = find(base, admin, "huyen kim son", ["district"], on="2024-01-01") or find(base, admin, "", ["base_committee"])
        province = find(base, admin, "tinh ninh binh", ["province"]) or find(base, admin, "", ["province"])
        root = find(base, admin, "", ["central"])
        member_cookie = "Cookie: " + session_cookie(base, "dangvien.banhon")
        staff_cookie = "Cookie: " + session_cookie(base, "banhon")
        year = time.localtime().tm_year
        time.sleep(1)
        idle = rss_mib(proc.pid)
        routes = [
            ("healthz", "/healthz", None),
            ("member_home_page", "/", member_cookie),
            ("cell_page", f"/orgs/{cell}", staff_cookie),
            ("cell_member_search", f"/api/v1/orgs/{cell}/members?q=van", auth),
            ("cell_meetings", f"/api/v1/orgs/{cell}/meetings", auth),
            ("cell_calendar_ics", f"/api/v1/orgs/{cell}/calendar.ics", auth),
            ("stats_cell", f"/api/v1/orgs/{cell}/stats", auth),
            ("stats_district", f"/api/v1/orgs/{district}/stats", auth),
            ("stats_province", f"/api/v1/orgs/{province}/stats", auth),
            ("stats_root", f"/api/v1/orgs/{root}/stats", auth),
            ("meeting_stats_cell", f"/api/v1/orgs/{cell}/meeting-stats?year={year}", auth),
            ("meeting_stats_district", f"/api/v1/orgs/{district}/meeting-stats?year={year}", auth),
            ("meeting_stats_province", f"/api/v1/orgs/{province}/meeting-stats?year={year}", auth),
            ("meeting_stats_root", f"/api/v1/orgs/{root}/meeting-stats?year={year}", auth),
        ]
        results, peak = [], idle
        for name, path, header in routes:
            rps, p50, p99 = wrk(base + path, header)
            peak = max(peak, rss_mib(proc.pid))
            results.append({"name": f"{backend}:{name}", "rps": round(rps, 1), "p50_ms": round(p50, 2), "p99_ms": round(p99, 2)})
            log(f"   {name:<24} {rps:>9.1f} req/s   p50 {p50:>8.2f} ms   p99 {p99:>8.2f} ms")
        log(f"   RSS idle {idle:.1f} MiB, under load {peak:.1f} MiB")
        return results, idle, peak
    finally:
        proc.kill()
        proc.wait()


def main():
    summary = {"routes": [], "quick": QUICK, "members": MEMBERS or "demo", "backends": {}}
    for backend, url in [("sqlite", os.environ["BENCH_SQLITE"]), ("postgres", os.environ["BENCH_PG"])]:
        results, idle, peak = run(backend, url)
        summary["routes"] += results
        summary["backends"][backend] = {"rss_idle_mib": round(idle, 1), "rss_load_mib": round(peak, 1),
                                        "healthz_rps": next(r["rps"] for r in results if r["name"].endswith(":healthz"))}
    # The headline figures are the embedded default's (SQLite).
    summary["healthz_rps"] = summary["backends"]["sqlite"]["healthz_rps"]
    summary["rss_idle_mib"] = summary["backends"]["sqlite"]["rss_idle_mib"]
    summary["rss_load_mib"] = summary["backends"]["sqlite"]["rss_load_mib"]
    os.makedirs("target/bench", exist_ok=True)
    with open("target/bench/summary.json", "w") as f:
        json.dump(summary, f, indent=2, ensure_ascii=False)
    log("written target/bench/summary.json")


main()
