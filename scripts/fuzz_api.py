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
    tasks, documents, signed = set(), set(), set()
    for m in meetings[:60]:
        d = get(f"/api/v1/meetings/{m}")
        if d:
            tasks.update(t["id"] for t in d["tasks"] + d["open_tasks"])
            documents.update(x["id"] for x in d["documents"])
            if d["meeting"]["signed"]:
                signed.add(m)
    return members, meetings, sorted(tasks), sorted(documents), sorted(signed)


def scratch_tree(api, parent):
    """Nodes the admin run may create under, rename, move, merge and dissolve
    without spoiling the demo cells the other operations use: two committees
    and eight empty cells, shared out between the operations."""
    def create(body):
        status, created = api.call("POST", "/api/v1/orgs", {"decision": "fuzz", **body})
        if status != 201:
            raise SystemExit(f"setup: could not create the scratch node {body['name']} ({status})")
        return created["id"]
    committees = [create({"parent_id": parent, "name": f"Đảng bộ thử nghiệm {i}", "kind": "base_committee"})
                  for i in (1, 2)]
    cells = [create({"parent_id": committees[0], "name": f"Chi bộ thử nghiệm {i + 1}", "kind": "cell",
                     "cell_type": "rural"}) for i in range(8)]
    return {"committees": committees, "dissolve": cells[0:2], "move": cells[2:4],
            "merge": cells[4:7], "merge_into": cells[7:8], "all": committees + cells}


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
        members, meetings, tasks, documents, signed = cell_ids(api, home_cell)
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
        # Nodes the role can see (an outsider gets 404), and one beyond them.
        visible = [home_cell] + [o["id"] for o in (seen if status == 200 else [])][:20]
        visible += ancestors(home_cell)[:1]
        ids = {
            "token": tok,
            "cells": [home_cell],
            "orgs": list(dict.fromkeys(visible)),
            # Reorganizations (rename, move, merge, dissolve) and new nodes go to the scratch tree.
            **({k: v for k, v in scratch.items()} if role == "admin" else
               {k: [home_cell] for k in scratch}),
            "signed": signed or meetings,
            "unsigned": [m for m in meetings if m not in signed] or meetings,
            "dest_cells": dest or [home_cell],
            "ready": ready or meetings,
            "members": members,
            "meetings": meetings,
            "tasks": tasks,
            "documents": documents,
        }
        # Accounts to manage: the demo's others, never the ones this run signs in with.
        status, accounts = api.call("GET", f"/api/v1/orgs/{root}/users")
        ids["users"] = [u["id"] for u in (accounts if status == 200 else [])
                        if u["username"] not in ACCOUNTS.values()]
        # (account, grant) pairs, so a grant's removal names its own account.
        ids["user_grants"] = [[u, g["id"]] for u in ids["users"][:20]
                              for g in api.get(f"/api/v1/users/{u}")["grants"]]
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
    """Which ids a path parameter takes."""
    ids = _ids()
    if path.startswith("/api/v1/orgs/"):
        tail = path[len("/api/v1/orgs/{id}"):]
        if tail in ("/move", "/merge", "/dissolve"):
            return ids.get(tail[1:])
        if tail == "/rename":
            return ids.get("all")
        if tail.startswith(("/meetings", "/schedule", "/members/import")) or (tail == "/members" and method == "POST"):
            return ids.get("cells")
        return ids.get("orgs")
    if path.startswith("/api/v1/meetings/"):
        tail = path[len("/api/v1/meetings/{id}"):]
        if tail == "/sign":
            return ids.get("ready")
        if tail in ("/amendments", "/report"):
            return ids.get("signed")  # only signed minutes take amendments and go up
        if method != "GET" or tail in ("/agenda", "/attendance", "/tasks", "/notice"):
            return ids.get("unsigned")
        return ids.get("meetings")
    for prefix, key in (("/api/v1/members/", "members"), ("/api/v1/tasks/", "tasks"),
                        ("/api/v1/documents/", "documents"), ("/api/v1/users/", "users")):
        if path.startswith(prefix):
            return ids.get(key)
    return None


# Body fields holding ids, and the pool each draws from (per operation where it differs).
_BODY_IDS = {
    "parent_id": "committees", "org_id": "cells", "to_org_id": "dest_cells",
    "member_id": "members", "presenter_id": "members", "chair_id": "members",
    "recorder_id": "members", "reviewed_in": "meetings",
}
_TARGETS = {"/api/v1/orgs/{id}/move": "committees", "/api/v1/orgs/{id}/merge": "merge_into"}


def _later(n, extra=0):
    """A date after the last change of a scratch node or placement: rising with n."""
    return (datetime.date.today() + datetime.timedelta(days=2 + n + extra)).isoformat()


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


def _fill_body(body, n, path):
    ids = _ids()
    if isinstance(body, list):
        for i, item in enumerate(body):
            _fill_body(item, n + i, path)
        return
    if not isinstance(body, dict):
        return
    for key, value in list(body.items()):
        pool_name = _TARGETS.get(path) if key == "target_id" else _BODY_IDS.get(key)
        if pool_name and isinstance(value, int) and not isinstance(value, bool):
            pool = ids.get(pool_name) or []
            if pool:
                # n + 1: a target differs from the node the path names.
                body[key] = _pick(pool, n + 1)
        elif key in ("effective_on", "on") and isinstance(value, str) and n % 2:
            # Tree changes and transfers take effect after the last one (today
            # for the scratch nodes): half the cases get a later date.
            body[key] = _later(n)
        elif key == "until" and isinstance(value, str) and n % 2:
            body[key] = _later(n, 30)
        elif key == "presenters" and isinstance(value, list):
            body[key] = [_pick(ids.get("members"), n + i) for i, v in enumerate(value) if isinstance(v, int)]
        elif isinstance(value, (dict, list)):
            _fill_body(value, n, path)


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
        if op.path == "/api/v1/auth/token" and isinstance(case.body, dict) and n % 2:
            # A real account half the time; the other half stays generated (401, or 429 once throttled).
            case.body.update({"username": ACCOUNTS["member"], "password": PASSWORD})
            return
        pool = _pool(op.path, op.method.upper())
        if pool and case.path_parameters and "id" in case.path_parameters:
            case.path_parameters["id"] = _pick(pool, n)
        pairs = _ids().get("user_grants")
        if pairs and case.path_parameters and "grant_id" in case.path_parameters:
            case.path_parameters["id"], case.path_parameters["grant_id"] = _pick(pairs, n)
        if case.body is not None and not isinstance(case.body, (bytes, str)):
            body = case.body
            if isinstance(body, dict) and isinstance(body.get("file"), (bytes, str)) and n % 2:
                # A real file half the time, the generated bytes otherwise.
                body["file"] = PDF if op.path.endswith("/documents") else _csv(n)
                return
            _fill_body(body, n, op.path)

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
    reasons = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
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
                if "why" in c:
                    reasons[c["op"]][role][f'{c["status"]} {c["why"][:160]}'] += 1
    order = [r for r in ("member", "secretary", "admin", "anonymous") if r in roles] + \
        [r for r in roles if r not in ("member", "secretary", "admin", "anonymous")]
    rows, never, errors = [], [], 0
    for op in sorted(table, key=lambda o: (o.split(" ", 1)[1], o)):
        entry = {"operation": op, "roles": {}}
        for role in order:
            c = table[op].get(role)
            if not c:
                continue
            entry["roles"][role] = {"cases": sum(c.values()), "2xx": c[2], "4xx": c[4], "5xx": c[5],
                                    # The commonest refusals: status and the start of the error body.
                                    "top_errors": [f"{n}x {w}" for w, n in reasons[op][role].most_common(3)]}
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
