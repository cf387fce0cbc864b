"""Render times of the dashboard of a commune, a province and the national
root on a generated database (issue 12 point 6), cold and warm.

    chibo --database-url URL generate --members N     # prints "--org ROOT"
    chibo --database-url URL user create --username admin --password chibo-demo --role admin --org ROOT
    python3 scripts/dashboard_timing.py BIN URL ROOT

Cold: the rollup table and the signal cache (migration 0023; skipped on an
older schema) emptied (SQLite file or PostgreSQL, through psql) before each
node's first request, so that request computes the node's
subtree (a bulk pass for the province and the root). Warm: the median and
the slowest of 20 sequential requests after that. Times are measured by the
client on loopback, whole responses read: the HTML page, the JSON and the XLSX.
"""

import json
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

BIN, URL, ROOT = sys.argv[1], sys.argv[2], int(sys.argv[3])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        body = r.read()
    return body, (time.perf_counter() - t) * 1000


def clear_rollups():
    if URL.startswith("sqlite:"):
        path = re.sub(r"^sqlite:/*", "/", URL).split("?")[0]
        with sqlite3.connect(path) as c:
            c.execute("DELETE FROM stats_rollup")
            if c.execute("SELECT 1 FROM sqlite_master WHERE name = 'signal_count'").fetchone():
                c.execute("DELETE FROM signal_count")
    else:
        subprocess.run(["psql", URL, "-qc", "DELETE FROM stats_rollup"], check=True)
        subprocess.run(["psql", URL, "-qc", "DELETE FROM signal_count"], check=False)


def main():
    port = free_port()
    proc = subprocess.Popen([BIN, "--database-url", URL, "serve", "--addr", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                get(base + "/healthz")
                break
            except Exception:
                time.sleep(0.1)
        body = json.dumps({"username": "admin", "password": "chibo-demo"}).encode()
        req = urllib.request.Request(base + "/api/v1/auth/token", data=body,
                                     headers={"content-type": "application/json"})
        token = json.loads(urllib.request.urlopen(req).read())["token"]
        auth = {"authorization": f"Bearer {token}"}

        def child(org, kind):
            body, _ = get(f"{base}/api/v1/orgs/{org}/children", auth)
            return next(o["id"] for o in json.loads(body) if o["kind"] == kind)

        import http.cookiejar
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login").read().decode()
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"username": "admin", "password": "chibo-demo", "_csrf": csrf}).encode()
        opener.open(urllib.request.Request(base + "/login", data=form))
        cookie = {"cookie": "; ".join(f"{c.name}={c.value}" for c in jar)}

        province = child(ROOT, "province")
        commune = child(province, "base_committee")
        nodes = [("commune", commune), ("province", province), ("national", ROOT)]
        print(f"nodes: commune {commune}, province {province}, national {ROOT}")
        for name, org in nodes:
            clear_rollups()
            _, cold = get(f"{base}/orgs/{org}/dashboard", cookie)
            warm = {}
            for kind, path, h in [("page", f"/orgs/{org}/dashboard", cookie),
                                  ("json", f"/api/v1/orgs/{org}/dashboard", auth),
                                  ("xlsx", f"/api/v1/orgs/{org}/dashboard.xlsx", auth)]:
                times = [get(base + path, h)[1] for _ in range(20)]
                warm[kind] = (statistics.median(times), max(times))
            print(f"{name:<9} cold page {cold:8.1f} ms | warm page p50 {warm['page'][0]:6.1f} max {warm['page'][1]:6.1f}"
                  f" | json p50 {warm['json'][0]:6.1f} | xlsx p50 {warm['xlsx'][0]:6.1f} ms")
        # The whole cache cold at once, national first (what the first
        # visitor after a restart with an empty rollup table would see).
        clear_rollups()
        _, t = get(f"{base}/orgs/{ROOT}/dashboard", cookie)
        print(f"national first with every rollup empty: {t:.1f} ms")
    finally:
        proc.kill()
        proc.wait()


main()
