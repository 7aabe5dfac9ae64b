"""Post hostile values into every form of the route table (see
225-hostile-forms.sh). Usage: hostile_forms.py FIXTURES.tsv; BASE, DB, BIN,
PW and the fixture ids come from the environment. Prints one line per
failure and "forms: N passed, N failed" last; with VERBOSE=1 also the
answers each route gave and the first refusal's message."""
import hashlib
import html.parser
import http.client
import os
import re
import sqlite3
import subprocess
import sys
import urllib.parse

BASE = urllib.parse.urlsplit(os.environ["BASE"])
PW = os.environ["PW"]
# each field of each form gets every one of these in turn
CORPUS = [
    ("script", "<script>alert(1)</script>".encode()),
    ("img", b'"><img src=x onerror=alert(1)>'),
    ("sql", b"' OR 1=1 --"),
    ("plus", b"foo+bar"),
    ("space", b"with space"),
    ("gb18030", b"\xd6\xd0\xce\xc4"),
    ("utf8-4", "😀𠮷".encode()),
    ("empty", b""),
    ("crlf", b"a\r\nSet-Cookie: x=1"),
    ("traversal", b"../../etc/passwd"),
    ("nul", b"a\x00b"),
]
# one field per form gets these
HUGE = [("100KB", b"a" * 100_000), ("2MB", "汉".encode() * 700_000)]
# in place of an :id
BAD_IDS = ["%3Cscript%3Ealert(1)%3C%2Fscript%3E", "1%20OR%201%3D1", "..%2F..%2Fetc%2Fpasswd", "1%00",
           "%D6%D0", "-1", "0", "99999999999999999999", "1%0d%0aSet-Cookie:%20x=1"]
# tables whose rows a refused request may still touch: sessions, and the
# counters that throttle sign-in and the public forms
VOLATILE = {"session", "login_attempt", "public_attempt"}

passed = failed = 0


def ok():
    global passed
    passed += 1


def bad(msg):
    global failed
    failed += 1
    print("FAIL: " + msg, flush=True)


class Client:
    def __init__(self, who):
        self.who = who
        self.cookies = {}

    def request(self, method, path, body=None, ctype=None):
        c = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=60)
        h = {}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            h["Content-Type"] = ctype
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
        except (OSError, http.client.HTTPException) as e:
            c.close()
            return 599, [], str(e).encode()
        heads = r.getheaders()
        for k, v in heads:
            if k.lower() == "set-cookie":
                n, _, val = v.split(";")[0].partition("=")
                if val:
                    self.cookies[n.strip()] = val
                else:
                    self.cookies.pop(n.strip(), None)
        c.close()
        return r.status, heads, data


class Forms(html.parser.HTMLParser):
    """The POST forms of a page: action, enctype and fields in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.cur = None
        self.text_of = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "").lower() == "post":
                self.cur = {"action": a.get("action", ""), "enctype": a.get("enctype", ""), "fields": []}
                self.forms.append(self.cur)
            return
        if self.cur is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            t = (a.get("type") or "text").lower()
            if t in ("checkbox", "radio"):
                self.cur["fields"].append([name, t, a.get("value", "on"), "checked" in a])
            else:
                self.cur["fields"].append([name, t, a.get("value", ""), True])
        elif tag == "button" and name:
            self.cur["fields"].append([name, "button", a.get("value", ""), True])
        elif tag == "textarea" and name:
            self.text_of = [name, "textarea", "", True]
            self.cur["fields"].append(self.text_of)
        elif tag == "select" and name:
            self.select = [name, "select", None, True]
            self.cur["fields"].append(self.select)
        elif tag == "option" and self.select is not None:
            if self.select[2] is None or "selected" in a:
                self.select[2] = a.get("value", "")

    def handle_data(self, data):
        if self.text_of is not None:
            self.text_of[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.cur = None
        elif tag == "textarea":
            self.text_of = None
        elif tag == "select":
            if self.select is not None and self.select[2] is None:
                self.select[2] = ""
            self.select = None


def base_values(form):
    """What a browser would send untouched: name -> list of values."""
    vals = {}
    buttons = {}
    seen_radio = set()
    for name, kind, value, on in form["fields"]:
        if kind == "button":
            buttons.setdefault(name, []).append(value)
            continue
        if kind == "file":
            vals.setdefault(name, [])
            continue
        if kind == "radio":
            if name in seen_radio:
                continue
            group = [f for f in form["fields"] if f[0] == name and f[1] == "radio"]
            chosen = next((f for f in group if f[3]), group[0])
            seen_radio.add(name)
            vals[name] = [chosen[2]]
            continue
        if kind == "checkbox" and not on:
            vals.setdefault(name, [])
            continue
        vals.setdefault(name, []).append(value)
    for name, values in buttons.items():
        # a draft save rather than a submission where the form offers both
        safe = [v for v in values if v in ("save", "draft")]
        vals[name] = [safe[0] if safe else values[0]]
    return vals


def file_fields(form):
    return {f[0] for f in form["fields"] if f[1] == "file"}


def encode(vals, files, multipart):
    def b(x):
        return x if isinstance(x, bytes) else str(x).encode()
    if not multipart:
        pairs = [(k, b(v)) for k, vs in vals.items() for v in vs]
        return "&".join(urllib.parse.quote_plus(k) + "=" + urllib.parse.quote_plus(v) for k, v in pairs).encode(), \
            "application/x-www-form-urlencoded"
    bnd = "----hostile" + hashlib.sha1(repr(vals).encode()).hexdigest()[:16]
    out = []
    for k, vs in vals.items():
        for v in vs:
            v = b(v)
            if k in files:
                fn = v[:200].replace(b'"', b"%22").replace(b"\r", b"").replace(b"\n", b"") or b"x.csv"
                out.append(b"--" + bnd.encode() + b"\r\nContent-Disposition: form-data; name=\"" + k.encode() +
                           b"\"; filename=\"" + fn + b"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + v + b"\r\n")
            else:
                out.append(b"--" + bnd.encode() + b"\r\nContent-Disposition: form-data; name=\"" + k.encode() +
                           b"\"\r\n\r\n" + v + b"\r\n")
    out.append(b"--" + bnd.encode() + b"--\r\n")
    return b"".join(out), "multipart/form-data; boundary=" + bnd


class Db:
    """Which tables a request wrote to: the pages each commit appends to the
    write-ahead log, mapped to their tables through dbstat. Reading the log
    costs nothing like comparing the tables, which a large database makes
    slow."""

    def __init__(self, path):
        self.wal = path + "-wal"
        self.c = sqlite3.connect("file:" + path + "?mode=ro", uri=True, timeout=10, isolation_level=None)
        self.salt = None
        self.off = 32
        self.owner = {}
        self.refresh()
        self.pages()

    def refresh(self):
        rows = self.c.execute("select d.pageno, coalesce(m.tbl_name, d.name) from dbstat d "
                              "left join sqlite_master m on m.name = d.name").fetchall()
        self.owner = dict(rows)

    def pages(self):
        """Numbers of the pages committed since the last call."""
        try:
            f = open(self.wal, "rb")
        except FileNotFoundError:
            return set()
        with f:
            head = f.read(32)
            if len(head) < 32:
                self.salt, self.off = None, 32
                return set()
            size = int.from_bytes(head[8:12], "big")
            salt = head[16:24]
            if salt != self.salt:  # the log started over after a checkpoint
                self.salt, self.off = salt, 32
            f.seek(self.off)
            out = set()
            while True:
                frame = f.read(24)
                if len(frame) < 24 or frame[8:16] != salt:
                    break
                if len(f.read(size)) < size:
                    break
                out.add(int.from_bytes(frame[0:4], "big"))
                self.off += 24 + size
            return out

    def changed(self):
        """Tables written since the last call, but the volatile ones."""
        pages = self.pages()
        if any(p not in self.owner for p in pages):
            self.refresh()
        tables = {self.owner.get(p, "") for p in pages}
        return sorted(t for t in tables if t and not t.startswith("sqlite_") and t not in VOLATILE)


CJK = re.compile("[\u4e00-\u9fff]")


def check_response(desc, status, heads, body, client):
    """What must hold for every answer, whatever was sent."""
    good = True
    if status >= 500:
        bad(f"{desc}: status {status}")
        good = False
    if b"<script>alert(1)" in body or b"<img src=x onerror" in body:
        bad(f"{desc}: hostile markup in the answer unescaped")
        good = False
    for k, v in heads:
        if k.lower() == "set-cookie" and v.strip().startswith("x="):
            bad(f"{desc}: injected header {k}: {v}")
            good = False
        if "\r" in v or "\n" in v or (k.lower() == "location" and "set-cookie" in v.lower()):
            bad(f"{desc}: header {k} carries a line break")
            good = False
    ctype = next((v for k, v in heads if k.lower() == "content-type"), "")
    if body and status != 599 and not (ctype.lower().startswith("text/html") and "charset=utf-8" in ctype.lower()):
        bad(f"{desc}: content type '{ctype}'")
        good = False
    if 400 <= status < 500:
        text = body.decode("utf-8", "replace")
        # the message: an error page, a notice above the form or under a field
        found = re.findall(r'class="error-page">.*?<p>(.*?)</p>|class="flash[^"]*"[^>]*>(.*?)</div>'
                           r'|class="field-error"[^>]*>(.*?)</', text, re.S)
        msg = " ".join(g for groups in found for g in groups)
        if not CJK.search(msg) and status != 413:
            bad(f"{desc}: {status} without a Chinese message")
            good = False
        elif re.search(r"“[A-Za-z_0-9]+”", msg):
            bad(f"{desc}: the message names a field by its code: {msg.strip()}")
            good = False
    if good:
        ok()


def refused(status, body):
    return status >= 400 or (status == 200 and (b"flash-error" in body or b"field-error" in body))


def main():
    routes = [l.split("\t") for l in subprocess.run([os.environ["BIN"], "routes"], capture_output=True,
                                                      text=True, check=True).stdout.splitlines()]
    fixtures = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        pat, who, page = cols[:3]
        # optional: values to send in place of the form's own, so that the
        # hostile value in one field is not refused for another that is empty
        over = urllib.parse.parse_qs(os.path.expandvars(cols[3]), keep_blank_values=True) if len(cols) > 3 else {}
        fixtures[pat] = (who, os.path.expandvars(page), over)
    db = Db(os.environ["DB"])
    clients = {}

    def client(who):
        if who in clients:
            return clients[who]
        c = Client(who)
        st, _, body = c.request("GET", "/login")
        if who != "anon":
            tok = re.search(rb'name="_csrf" value="([0-9a-f]+)"', body).group(1).decode()
            body, ct = encode({"_csrf": [tok], "username": [who], "password": [PW], "next": ["/"]}, set(), False)
            st, _, _ = c.request("POST", "/login", body, ct)
            if st != 303:
                bad(f"{who} cannot sign in ({st})")
        clients[who] = c
        db.changed()  # signing in is recorded
        return c

    tally = {}
    seen_writes = [0]  # accepted posts whose writes were seen: proves the watch works

    def post(c, path, vals, files, multipart, desc):
        body, ct = encode(vals, files, multipart)
        st, heads, data = c.request("POST", path, body, ct)
        key = desc.split(" ")[1]
        tally.setdefault(key, {})
        tally[key][st] = tally[key].get(st, 0) + 1
        if os.environ.get("VERBOSE") and st == 400 and tally[key][st] == 1:
            m = re.findall(r'(?:error-page">.*?<p>|class="(?:flash[^"]*|field-error)"[^>]*>)(.*?)<', data.decode("utf-8", "replace"), re.S)
            print("  first 400", desc, m[:2])
        check_response(desc, st, heads, data, c)
        diff = db.changed()
        if refused(st, data):
            if diff:
                bad(f"{desc}: refused ({st}) yet changed {', '.join(diff)}")
            else:
                ok()
        elif st == 303:
            seen_writes[0] += 1 if diff else 0
            loc = dict((k.lower(), v) for k, v in heads).get("location", "")
            if loc.startswith("/"):
                st2, heads2, data2 = c.request("GET", loc)
                check_response(f"{desc}, then GET {loc}", st2, heads2, data2, c)
                db.changed()  # reading may be recorded
        return st

    shown = set()  # pages to read again at the end
    for method, pat, roles, flags, name in routes:
        if method != "POST":
            continue
        if pat not in fixtures:
            bad(f"POST {pat} has no line in hostile-forms.tsv")
            continue
        who, page, over = fixtures[pat]
        c = client(who)
        st, heads, data = c.request("GET", page)
        check_response(f"GET {page}", st, heads, data, c)
        shown.add((who, page))
        db.changed()
        p = Forms()
        p.feed(data.decode("utf-8", "replace"))
        rx = re.compile("^" + re.escape(pat).replace(":id", "[1-9][0-9]*") + "$")
        form = next((f for f in p.forms if rx.match(urllib.parse.urlsplit(f["action"]).path)), None)
        if form is None:
            bad(f"POST {pat}: no form for it on {page} ({st})")
            continue
        action = form["action"]
        vals = base_values(form)
        vals.update(over)
        files = file_fields(form)
        multipart = "multipart" in form["enctype"]
        tok = vals.get("_csrf", [""])[0]
        # the id in the path
        if ":id" in pat:
            parts = urllib.parse.urlsplit(action)
            segs = pat.split("/")
            real = parts.path.split("/")
            for bid in BAD_IDS:
                path = "/".join(bid if s == ":id" else r for s, r in zip(segs, real))
                if parts.query:
                    path += "?" + parts.query
                stp = post(c, path, vals, files, multipart, f"POST {path}")
                if stp not in (400, 404):
                    bad(f"POST {path}: {stp}, want 404 or 400")
        names = [n for n in vals if n != "_csrf"]
        if not names:
            continue  # a button: nothing to fill but the path
        for n in names:
            for label, v in CORPUS:
                vv = dict(vals)
                vv[n] = [v]
                post(c, action, vv, files, multipart, f"POST {action} {n}=[{label}]")
        # one field, the first one typed in, gets the oversized values
        typed = [f[0] for f in form["fields"] if f[1] in ("text", "textarea", "file", "search", "tel")]
        big = typed[0] if typed else names[0]
        for label, v in HUGE:
            vv = dict(vals)
            vv[big] = [v]
            st = post(c, action, vv, files, multipart, f"POST {action} {big}=[{label}]")
            if st < 400:
                bad(f"POST {action} {big}=[{label}]: {st}, want a refusal")
        # the CSRF token itself
        vv = dict(vals)
        vv["_csrf"] = ["<script>alert(1)</script>"]
        st = post(c, action, vv, files, multipart, f"POST {action} _csrf=[script]")
        if st != 403:
            bad(f"POST {action} with a hostile token: {st}, want 403")
        if tok and not tok.isalnum():
            bad(f"{page}: odd token {tok!r}")

    # what was accepted is shown escaped wherever it is shown
    for who, page in sorted(shown):
        st, heads, data = client(who).request("GET", page)
        if st == 200:
            check_response(f"GET {page} afterwards", st, heads, data, client(who))
    if seen_writes[0] == 0:
        bad("no accepted post was seen writing to the database: the watch on it is blind")
    else:
        ok()
    if os.environ.get("VERBOSE"):
        for k, v in tally.items():
            print(k, v)
    print(f"forms: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
