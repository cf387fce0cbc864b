"""Driven by scripts/fuzz-api. Three parts in one file:

  python3 fuzz_api.py setup BASE DIR    tokens and real ids for each role (DIR/<role>.json)
  python3 fuzz_api.py report DIR OUT    per-operation table from DIR/*.calls, JSON to OUT;
                                        exits 1 when any call answered 5xx
  SCHEMATHESIS_HOOKS=fuzz_api           hooks: real ids into paths and bodies, count answers

Random ids only ever reach "404 not found"; the hooks put ids the role can
really see (its cell, its members, meetings, tasks, documents) into most
cases so the handlers' logic runs. One case in FUZZ_KEEP_EVERY keeps the
generated id, so unknown and malformed ids stay covered.
"""
import collections, datetime, json, os, sys, threading, urllib.error, urllib.request

PASSWORD = "chibo-demo"
# role -> demo account; the anonymous run fuzzes only the token exchange.
ACCOUNTS = {"member": "dangvien.banhon", "secretary": "bithu.banhon", "admin": "admin"}
CELL_KINDS = ("cell", "base_cell")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- setup


class Api:
    def __init__(self, base, token=None):
        self.base, self.token = base.rstrip("/"), token

    def call(self, method, path, body=None, raw=None, ctype="application/json"):
        headers = {}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            headers["content-type"] = ctype
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                text = r.read()
                return r.status, (json.loads(text) if text and r.headers.get_content_type() == "application/json" else None)
        except urllib.error.HTTPError as e:
            return e.code, None

    def get(self, path):
        status, body = self.call("GET", path)
        if status != 200:
            raise SystemExit(f"setup: GET {path} answered {status}")
        return body


def token(base, username):
    status, body = Api(base).call("POST", "/api/v1/auth/token", {"username": username, "password": PASSWORD})
    if status != 200:
        raise SystemExit(f"setup: no token for {username} ({status})")
    return body["token"]


def upload(api, meeting):
    boundary = "fuzzapiboundary"
    raw = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tai-lieu-fuzz.pdf\"\r\n"
           f"Content-Type: application/pdf\r\n\r\n").encode() + PDF + f"\r\n--{boundary}--\r\n".encode()
    status, body = api.call("POST", f"/api/v1/meetings/{meeting}/documents", raw=raw,
                            ctype=f"multipart/form-data; boundary={boundary}")
    return body["id"] if status == 201 else None


def cell_ids(api, cell):
    """Members, meetings, tasks and documents of one cell, as the role sees
    them (a plain member may not list the cell's members: 403, so none)."""
    def get(path):
        status, body = api.call("GET", path)
        return body if status == 200 else []
    members = [m["id"] for m in get(f"/api/v1/orgs/{cell}/members?status=all")]
    meetings = [m["id"] for m in get(f"/api/v1/orgs/{cell}/meetings?from=2000-01-01&to=2100-12-31")]
    tasks, documents = set(), set()
    for m in meetings[:40]:
        d = get(f"/api/v1/meetings/{m}")
        if d:
            tasks.update(t["id"] for t in d["tasks"] + d["open_tasks"])
            documents.update(x["id"] for x in d["documents"])
    return members, meetings, sorted(tasks), sorted(documents)


def scratch_tree(api, parent):
    """Nodes the admin run may rename, move, merge and dissolve without
    spoiling the demo cells the other operations use."""
    ids = []
    status, body = api.call("POST", "/api/v1/orgs", {
        "parent_id": parent, "name": "Đảng bộ thử nghiệm fuzz", "kind": "base_committee", "decision": "fuzz"})
    if status != 201:
        raise SystemExit(f"setup: could not create the scratch committee ({status})")
    committee = body["id"]
    ids.append(committee)
    for i in range(6):
        status, body = api.call("POST", "/api/v1/orgs", {
            "parent_id": committee, "name": f"Chi bộ thử nghiệm {i + 1}", "kind": "cell",
            "cell_type": "rural", "decision": "fuzz"})
        if status == 201:
            ids.append(body["id"])
    return ids


def ready_to_sign(api, cell, members, count):
    """Meetings with a roll call, a chair, a recorder and proceedings, so
    that POST /meetings/{id}/sign can succeed (once each)."""
    ready = []
    status, active = api.call("GET", f"/api/v1/orgs/{cell}/members")
    members = [x["id"] for x in active if x["status"] != "exempt"] if status == 200 else members
    day = datetime.date.today() - datetime.timedelta(days=3)
    for i in range(count):
        status, body = api.call("POST", f"/api/v1/orgs/{cell}/meetings", {
            "kind": "ad_hoc", "date": (day - datetime.timedelta(days=i)).isoformat()})
        if status != 201:
            raise SystemExit(f"setup: could not create a meeting in {cell} ({status})")
        m = body["id"]
        roll = {"entries": [{"member_id": x, "presence": "present"} for x in members]}
        patch = {"chair_id": members[0], "recorder_id": members[-1], "proceedings": "Diễn biến cuộc họp",
                 "conclusion": "Kết luận"}
        if api.call("PUT", f"/api/v1/meetings/{m}/attendance", roll)[0] == 200 and \
                api.call("PATCH", f"/api/v1/meetings/{m}", patch)[0] == 200:
            ready.append(m)
    return ready


def other_cells(api, orgs, but):
    """Open cells the role can see besides its own: destinations of transfers."""
    return [o["id"] for o in orgs if o["kind"] in CELL_KINDS and o["id"] != but and not o["dissolved_on"]][:5]


def setup(base, out):
    tokens = {role: token(base, user) for role, user in ACCOUNTS.items()}
    admin = Api(base, tokens["admin"])
    secretary = Api(base, tokens["secretary"])
    # The secretary's cell is the one the member and secretary runs work in.
    me = secretary.get("/api/v1/me")
    cell = next(g["org_id"] for g in me["grants"] if g["role"] in ("secretary", "deputy"))
    cell_meetings = [m["id"] for m in secretary.get(f"/api/v1/orgs/{cell}/meetings?from=2000-01-01&to=2100-12-31")]
    uploaded = [d for d in (upload(secretary, m) for m in cell_meetings[:2]) if d]
    if not uploaded:
        raise SystemExit("setup: could not upload a document to the secretary's cell")
    # The admin works in another cell of the demo, so the runs do not share state.
    orgs = admin.get("/api/v1/orgs")
    by_id = {o["id"]: o for o in orgs}
    root = next(o["id"] for o in orgs if o["parent_id"] is None)
    admin_cell = None
    for o in orgs:
        if o["kind"] in CELL_KINDS and o["id"] != cell and not o["dissolved_on"]:
            if admin.get(f"/api/v1/orgs/{o['id']}/meetings?from=2000-01-01&to=2100-12-31") and \
                    admin.get(f"/api/v1/orgs/{o['id']}/members"):
                admin_cell = o["id"]
                break
    admin_cell = admin_cell or cell
    admin_meetings = [m["id"] for m in admin.get(f"/api/v1/orgs/{admin_cell}/meetings?from=2000-01-01&to=2100-12-31")]
    uploaded += [d for d in (upload(admin, m) for m in admin_meetings[:1]) if d]
    scratch = scratch_tree(admin, root)

    def ancestors(org):
        chain = []
        while org in by_id and by_id[org]["parent_id"] is not None:
            org = by_id[org]["parent_id"]
            chain.append(org)
        return chain

    for role, tok in tokens.items():
        api = Api(base, tok)
        home_cell = admin_cell if role == "admin" else cell
        members, meetings, tasks, documents = cell_ids(api, home_cell)
        ready = ready_to_sign(api, home_cell, members, 3) if role != "member" else []
        status, seen = api.call("GET", "/api/v1/orgs")
        dest = other_cells(api, seen if status == 200 else [], home_cell)
        home = api.get("/api/v1/me/home")
        own = api.get("/api/v1/me")["member_id"]
        if own and own not in members:
            members.append(own)
        meetings = sorted(set(meetings) | {m["id"] for m in home["upcoming"]})
        tasks = sorted(set(tasks) | {t["id"] for t in home["tasks"]})
        documents = sorted(set(documents) | {d["id"] for d in home["documents"]})
        visible = [home_cell] + [o for o in ancestors(home_cell)]
        if role == "admin":
            visible += [o["id"] for o in orgs[:20]]
        ids = {
            "token": tok,
            "cells": [home_cell],
            "orgs": list(dict.fromkeys(visible)),
            # Reorganizations (rename, move, merge, dissolve) and new nodes go to the scratch tree.
            "scratch": scratch if role == "admin" else [home_cell],
            "dest_cells": dest or [home_cell],
            "ready": ready or meetings,
            "members": members,
            "meetings": meetings,
            "tasks": tasks,
            "documents": documents,
        }
        for k in ("members", "meetings", "documents"):
            if not ids[k]:
                raise SystemExit(f"setup: the {role} sees no {k}")
        with open(os.path.join(out, f"{role}.json"), "w") as f:
            json.dump(ids, f)
        log(f"{role}: cell {home_cell}, {len(members)} members, {len(meetings)} meetings, "
            f"{len(tasks)} tasks, {len(documents)} documents")


# ---------------------------------------------------------------- hooks

_IDS = None
_LOCK = threading.Lock()
_COUNTS = collections.Counter()


def _ids():
    global _IDS
    if _IDS is None:
        path = os.environ.get("FUZZ_IDS")
        _IDS = json.load(open(path)) if path and os.path.exists(path) else {}
    return _IDS


def _pool(path, method):
    """Which kind of id a path parameter names."""
    ids = _ids()
    if path.startswith("/api/v1/orgs/"):
        tail = path[len("/api/v1/orgs/{id}"):]
        if tail in ("/rename", "/move", "/merge", "/dissolve"):
            return ids.get("scratch")
        if tail.startswith(("/meetings", "/schedule", "/members/import")) or (tail == "/members" and method == "POST"):
            return ids.get("cells")
        return ids.get("orgs")
    for prefix, key in (("/api/v1/members/", "members"), ("/api/v1/meetings/", "meetings"),
                        ("/api/v1/tasks/", "tasks"), ("/api/v1/documents/", "documents")):
        if path.startswith(prefix):
            if path.endswith("/sign"):
                return ids.get("ready")
            return ids.get(key)
    return None


# Body fields holding ids, and the pool each draws from.
_BODY_IDS = {
    "parent_id": "scratch", "target_id": "scratch", "org_id": "cells", "to_org_id": "dest_cells",
    "member_id": "members", "presenter_id": "members", "chair_id": "members",
    "recorder_id": "members", "reviewed_in": "meetings",
}


def _csv(n):
    """One new member as an import file: a name of letters only, unique per case."""
    letters = ""
    while True:
        letters += "abcdefghiklmnopqrstuvxy"[n % 23]
        n //= 23
        if not n:
            break
    return f"Họ và tên,Giới tính,Ngày sinh\nNguyễn Thử {letters.title()},Nữ,02/03/1985\n".encode()


def _pick(pool, n):
    return pool[n % len(pool)] if pool else None


def _fill_body(body, n, scratch_parent):
    ids = _ids()
    if isinstance(body, list):
        for i, item in enumerate(body):
            _fill_body(item, n + i, scratch_parent)
        return
    if not isinstance(body, dict):
        return
    for key, value in list(body.items()):
        pool_name = _BODY_IDS.get(key)
        if pool_name and isinstance(value, int) and not isinstance(value, bool):
            pool = ids.get(pool_name) or []
            if key == "parent_id" and scratch_parent:
                pool = pool[:1]
            if pool:
                body[key] = _pick(pool, n)
        elif key == "effective_on" and isinstance(value, str) and n % 2:
            # Tree changes take effect after the node's last change (today for
            # the scratch nodes): half the cases get a later date, rising with n.
            body[key] = (datetime.date.today() + datetime.timedelta(days=2 + n)).isoformat()
        elif key == "presenters" and isinstance(value, list):
            body[key] = [_pick(ids.get("members"), n + i) for i, v in enumerate(value) if isinstance(v, int)]
        elif isinstance(value, (dict, list)):
            _fill_body(value, n, scratch_parent)


try:
    import schemathesis

    @schemathesis.hook
    def before_call(context, case, kwargs):
        op = case.operation
        key = f"{op.method.upper()} {op.path}"
        with _LOCK:
            _COUNTS[key] += 1
            n = _COUNTS[key]
        if n % int(os.environ.get("FUZZ_KEEP_EVERY", "6")) == 0:
            return  # this case keeps its generated ids
        pool = _pool(op.path, op.method.upper())
        if pool and case.path_parameters and "id" in case.path_parameters:
            case.path_parameters["id"] = _pick(pool, n)
        if case.body is not None and not isinstance(case.body, (bytes, str)):
            body = case.body
            if isinstance(body, dict) and isinstance(body.get("file"), (bytes, str)) and n % 2:
                # A real file half the time, the generated bytes otherwise.
                body["file"] = PDF if op.path.endswith("/documents") else _csv(n)
                return
            _fill_body(body, n, op.path == "/api/v1/orgs")

    @schemathesis.hook
    def after_call(context, case, response):
        path = os.environ.get("FUZZ_CALLS")
        if not path:
            return
        op = case.operation
        call = {"op": f"{op.method.upper()} {op.path}", "status": response.status_code}
        if 400 <= response.status_code < 600:
            # The error body names the field and the problem (in Vietnamese).
            call["why"] = response.text[:300] if hasattr(response, "text") else ""
        line = json.dumps(call, ensure_ascii=False)
        with _LOCK, open(path, "a") as f:
            f.write(line + "\n")
except ImportError:  # setup and report run without schemathesis
    pass


# ---------------------------------------------------------------- report


def report(dirname, out):
    table = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    roles = []
    for name in sorted(os.listdir(dirname)):
        if not name.endswith(".calls"):
            continue
        role = name[: -len(".calls")]
        roles.append(role)
        with open(os.path.join(dirname, name)) as f:
            for line in f:
                c = json.loads(line)
                table[c["op"]][role][c["status"] // 100] += 1
    order = [r for r in ("member", "secretary", "admin", "anonymous") if r in roles] + \
        [r for r in roles if r not in ("member", "secretary", "admin", "anonymous")]
    rows, never, errors = [], [], 0
    for op in sorted(table, key=lambda o: (o.split(" ", 1)[1], o)):
        entry = {"operation": op, "roles": {}}
        for role in order:
            c = table[op].get(role)
            if not c:
                continue
            entry["roles"][role] = {"cases": sum(c.values()), "2xx": c[2], "4xx": c[4], "5xx": c[5]}
            errors += c[5]
        if not any(v["2xx"] for v in entry["roles"].values()):
            never.append(op)
        rows.append(entry)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        json.dump({"roles": order, "operations": rows, "never_2xx": never, "server_errors": errors}, f, indent=1)
    width = max(len(r["operation"]) for r in rows) if rows else 10
    head = f"{'operation':<{width}}" + "".join(f" | {r:>22}" for r in order)
    print(head)
    print(f"{'':<{width}}" + "".join(f" | {'cases  2xx  4xx  5xx':>22}" for _ in order))
    print("-" * len(head))
    totals = collections.Counter()
    for r in rows:
        cells = []
        for role in order:
            v = r["roles"].get(role)
            if v:
                cells.append(f" | {v['cases']:>5} {v['2xx']:>4} {v['4xx']:>4} {v['5xx']:>4}")
                totals[role, "cases"] += v["cases"]
                totals[role, "2xx"] += v["2xx"]
            else:
                cells.append(f" | {'-':>22}")
        print(f"{r['operation']:<{width}}" + "".join(cells))
    print("-" * len(head))
    print(f"{'cases (2xx)':<{width}}" + "".join(f" | {totals[r, 'cases']:>13} ({totals[r, '2xx']:>5})" for r in order))
    reached = len(rows) - len(never)
    print(f"\n{reached} of {len(rows)} operations reached 2xx for at least one role; {errors} server errors.")
    for op in never:
        print(f"  never 2xx: {op}")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "report":
        sys.exit(report(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
