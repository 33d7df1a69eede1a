#!/usr/bin/python3
"""HTTP-level conformance of a Keyturn web integration (conformance/web/README.md).

Walks a running example through a license's life over plain HTTP and checks what its /license/*
routes and its mode gate answer, as the Java filter (keyturn-client-web) does. The example must
implement the test-control contract (POST <controls>/clock and <controls>/license) and start fresh:
a license in force, ACTIVE, with D-30 still ahead.

Python 3 standard library only. Exit status: 0 every check passed, 1 a check failed, 2 the example
could not be driven (unreachable, no test controls, bad arguments).
"""

import argparse
import hashlib
import html
import http.client
import json
import os
import re
import sys
import urllib.parse
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
BANNER_ASSETS = os.path.join(HERE, "..", "vectors", "banner-assets.json")
STANDING_KEYS = [
    "product_name", "vendor_name", "mode", "phase", "stage", "summary", "days_until_expiry",
    "days_until_lock", "expires_at", "locks_at", "evaluated_at", "flags", "notices", "banner",
    "license", "renewal",
]
BANNER_KEYS = [
    "level", "dismissal", "display", "text", "pill_text", "hidden_until", "stage", "dismissible",
]
LICENSE_KEYS = ["id", "customer", "subscription_id", "tier", "expires_at"]
EVIL_ORIGIN = "http://evil.example"


class Abort(Exception):
    """The example cannot be driven any further."""


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower(), "")

    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None

    def __repr__(self):
        return "HTTP %d %s %r" % (self.status, self.header("Content-Type"), self.text()[:300])


class Client:
    def __init__(self, base_url, timeout):
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise Abort("not an http(s) URL: %r" % base_url)
        self.scheme = parsed.scheme
        self.host = parsed.hostname
        self.port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self.prefix = parsed.path.rstrip("/")
        self.origin = "%s://%s" % (parsed.scheme, parsed.netloc)
        self.timeout = timeout

    def request(self, method, path, body=None, headers=None):
        cls = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        conn = cls(self.host, self.port, timeout=self.timeout)
        try:
            try:
                conn.request(method, self.prefix + path, body=body, headers=headers or {})
            except (BrokenPipeError, ConnectionResetError):
                # A server may answer a body it refuses (413) and close before taking all of it;
                # its answer is still there to read.
                pass
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
        except OSError as e:
            raise Abort("%s %s: %s" % (method, path, e))
        finally:
            conn.close()

    def get(self, path, accept="application/json", headers=None):
        h = {"Accept": accept}
        h.update(headers or {})
        return self.request("GET", path, headers=h)

    def post(self, path, body=b"", content_type="application/x-www-form-urlencoded",
             accept="application/json", origin=True, headers=None):
        h = {"Accept": accept, "Content-Type": content_type}
        if origin is True:
            h["Origin"] = self.origin
        elif origin:
            h["Origin"] = origin
        h.update(headers or {})
        if isinstance(body, str):
            body = body.encode("utf-8")
        return self.request("POST", path, body=body, headers=h)


def instant_key(text):
    """An ISO-8601 UTC instant (Java's Instant.toString: fraction only when not zero) as a sortable key."""
    base, _, fraction = text.rstrip("Z").partition(".")
    return base, int(fraction.ljust(9, "0")[:9])


def form(**fields):
    return urllib.parse.urlencode(fields)


class Checks:
    def __init__(self, verbose):
        self.passed = 0
        self.failed = []
        self.verbose = verbose
        self.section = ""

    def start(self, section):
        self.section = section
        print("== %s" % section)

    def check(self, name, ok, detail=""):
        label = "%s: %s" % (self.section, name)
        if ok:
            self.passed += 1
            if self.verbose:
                print("  ok    %s" % name)
        else:
            self.failed.append(label)
            print("  FAIL  %s%s" % (name, (": " + detail) if detail else ""))
        return ok

    def equal(self, name, actual, expected):
        return self.check(name, actual == expected, "expected %r, got %r" % (expected, actual))

    def status(self, name, response, expected):
        wanted = expected if isinstance(expected, (list, tuple, range)) else [expected]
        return self.check(name, response.status in wanted,
                          "expected status %s, got %r" % (expected, response))

    def problem(self, name, response, status, code):
        """An RFC 9457 problem with Keyturn's stable code."""
        body = response.json()
        ok = (response.status == status
              and response.header("Content-Type").startswith("application/problem+json")
              and isinstance(body, dict)
              and body.get("code") == code
              and body.get("status") == status
              and isinstance(body.get("title"), str)
              and isinstance(body.get("detail"), str))
        self.check(name, ok, "expected %d problem+json with code %s, got %r" % (status, code, response))
        return body if isinstance(body, dict) else {}


class Conformance:
    def __init__(self, args):
        self.args = args
        self.http = Client(args.base_url, args.timeout)
        self.c = Checks(args.verbose)
        self.lic = args.license_base.rstrip("/")
        self.controls = args.controls.rstrip("/")
        self.grace = None

    # ---- the test-control contract ----

    def clock(self, **field):
        r = self.http.post(self.controls + "/clock", form(**field))
        if not 200 <= r.status < 400:
            raise Abort("the test control %s/clock %s answered %r" % (self.controls, field, r))

    def license_text(self, kind):
        r = self.http.post(self.controls + "/license", form(kind=kind))
        if r.status != 200:
            raise Abort("the test control %s/license kind=%s answered %r" % (self.controls, kind, r))
        body = r.json() if r.header("Content-Type").startswith("application/json") else None
        if isinstance(body, dict) and isinstance(body.get("license"), str):
            return body["license"]
        m = re.search(r'<textarea[^>]*\bid="demo-license"[^>]*>(.*?)</textarea>', r.text(), re.S)
        if not m:
            raise Abort("the test control %s/license gave no license (JSON {\"license\"} or a"
                        " <textarea id=\"demo-license\">): %r" % (self.controls, r))
        return html.unescape(m.group(1))

    # ---- reading the standing ----

    def standing(self, query=""):
        r = self.http.get(self.lic + "/standing" + query)
        if r.status != 200 or not isinstance(r.json(), dict):
            self.c.check("GET %s/standing%s answers 200 JSON" % (self.lic, query), False, repr(r))
            raise Abort("no standing")
        return r.json()

    def expect_standing(self, s, **expected):
        for key, want in expected.items():
            if key.startswith("banner_"):
                self.c.equal("banner.%s" % key[7:], s["banner"].get(key[7:]), want)
            else:
                self.c.equal(key, s.get(key), want)

    # ---- the walk ----

    def run(self):
        self.start()
        self.assets()
        self.routes()
        self.origin_checks()
        self.refused_installs()
        self.product_works("full mode")
        self.reminders()
        self.expiry()
        self.lock()
        self.unlock()
        self.install_forms()
        self.rollback()
        self.renewal_request()
        return self.c

    def start(self):
        self.c.start("start: a license in force")
        r = self.http.get(self.lic + "/standing")
        self.c.status("GET standing is 200", r, 200)
        self.c.check("standing is application/json",
                     r.header("Content-Type").startswith("application/json"), repr(r))
        s = r.json() or {}
        missing = [k for k in STANDING_KEYS if k not in s]
        self.c.check("standing has every key", not missing, "missing %s" % missing)
        if missing:
            raise Abort("the standing document is incomplete")
        bmissing = [k for k in BANNER_KEYS if k not in s["banner"]]
        self.c.check("standing.banner has every key", not bmissing, "missing %s" % bmissing)
        lmissing = [k for k in LICENSE_KEYS if k not in (s["license"] or {})]
        self.c.check("standing.license has every key", not lmissing, "missing %s" % lmissing)
        self.expect_standing(s, mode="FULL", phase="ACTIVE", stage="", banner_level="NONE",
                             banner_display="NONE")
        self.c.check("days_until_expiry > 30 (D-30 still ahead)", s["days_until_expiry"] > 30,
                     repr(s["days_until_expiry"]))
        self.grace = s["days_until_lock"] - s["days_until_expiry"]
        print("  (grace period: %d days)" % self.grace)
        head = self.http.request("HEAD", self.lic + "/standing", headers={"Accept": "application/json"})
        self.c.check("HEAD standing is 200 without a body", head.status == 200 and not head.body,
                     repr(head))
        bad_tz = self.http.get(self.lic + "/standing?tz=Not/AZone")
        self.c.status("an unknown ?tz= falls back to the product's zone", bad_tz, 200)

    def assets(self):
        self.c.start("banner component")
        with open(BANNER_ASSETS, encoding="utf-8") as f:
            files = json.load(f)["files"]
        for a in files:
            path = self.lic + "/" + a["name"]
            r = self.http.get(path, accept="*/*")
            self.c.status("GET %s is 200" % path, r, 200)
            self.c.equal("%s content type" % a["name"], r.header("Content-Type").replace(" ", "").lower(),
                         a["content_type"].replace(" ", "").lower())
            self.c.equal("%s is the one source (SHA-256 of banner-assets.json)" % a["name"],
                         hashlib.sha256(r.body).hexdigest(), a["sha256"])
            etag = r.header("ETag")
            self.c.check("%s has an ETag" % a["name"], bool(etag))
            self.c.check("%s is revalidated (Cache-Control no-cache)" % a["name"],
                         "no-cache" in r.header("Cache-Control"), repr(r.header("Cache-Control")))
            if etag:
                again = self.http.get(path, accept="*/*", headers={"If-None-Match": etag})
                self.c.status("%s with If-None-Match is 304" % a["name"], again, 304)

    def routes(self):
        self.c.start("routes and methods")
        r = self.http.get(self.lic + "/install")
        self.c.problem("GET install is 405", r, 405, "METHOD_NOT_ALLOWED")
        self.c.check("405 says Allow: POST", "POST" in r.header("Allow"), repr(r.header("Allow")))
        r = self.http.post(self.lic + "/standing", "")
        self.c.problem("POST standing is 405", r, 405, "METHOD_NOT_ALLOWED")
        self.c.check("405 says Allow: GET", "GET" in r.header("Allow"), repr(r.header("Allow")))
        r = self.http.get(self.lic + "/no-such-route")
        self.c.problem("an unknown license route is 404", r, 404, "NOT_FOUND")
        r = self.http.get(self.lic + "/", accept="text/html")
        self.c.status("GET the license page is 200", r, 200)
        self.c.check("the license page has the paste box (name=\"license\")",
                     'name="license"' in r.text(), r.text()[:200])

    def origin_checks(self):
        self.c.start("cross-site POSTs are refused")
        for route in ("/install", "/banner/dismiss", "/renewal-request"):
            r = self.http.post(self.lic + route, form(license="x"), origin=None)
            self.c.problem("POST %s without Origin or Referer" % route, r, 403, "CROSS_SITE_REQUEST")
            r = self.http.post(self.lic + route, form(license="x"), origin=EVIL_ORIGIN)
            self.c.problem("POST %s from another site" % route, r, 403, "CROSS_SITE_REQUEST")
        r = self.http.post(self.lic + "/install", form(license="x"), origin=None,
                           headers={"Referer": EVIL_ORIGIN + "/page"})
        self.c.problem("POST install with another site's Referer", r, 403, "CROSS_SITE_REQUEST")
        r = self.http.post(self.lic + "/install", form(license="not a license"), origin=None,
                           headers={"Referer": self.http.origin + self.lic + "/"})
        self.c.problem("a same-site Referer is enough (then the license is judged)", r, 422,
                       "MALFORMED")

    def refused_installs(self):
        self.c.start("refused installs change nothing")
        before = self.standing()
        r = self.http.post(self.lic + "/install", json.dumps({"license": "not a license"}),
                           content_type="application/json")
        body = self.c.problem("JSON with text that is no license", r, 422, "MALFORMED")
        self.c.equal("the problem says installed: false", body.get("installed"), False)
        r = self.http.post(self.lic + "/install", form(license=""))
        self.c.problem("an empty paste", r, 422, "MALFORMED")
        r = self.http.post(self.lic + "/install", form(license=self.license_text("tampered")))
        self.c.problem("a tampered renewal", r, 422, "SIGNATURE_MISMATCH")
        after = self.standing()
        self.c.equal("the license in force is unchanged", (after["license"] or {}).get("id"),
                     (before["license"] or {}).get("id"))

    def product_works(self, when):
        a = self.args
        r = self.http.get(a.page, accept="text/html")
        self.c.status("%s: GET %s is 200" % (when, a.page), r, 200)
        r = self.http.get(a.asset, accept="*/*")
        self.c.status("%s: GET %s is 200" % (when, a.asset), r, 200)
        r = self.http.get(a.read)
        self.c.status("%s: GET %s is 200" % (when, a.read), r, 200)
        r = self.write("application/json")
        self.c.check("%s: %s %s goes through" % (when, a.write_method, a.write),
                     r.status < 400, repr(r))

    def write(self, accept):
        a = self.args
        return self.http.request(a.write_method, a.write, body=a.write_body.encode("utf-8"), headers={
            "Content-Type": a.write_type, "Accept": accept, "Origin": self.http.origin})

    def dismiss(self):
        r = self.http.post(self.lic + "/banner/dismiss", "")
        self.c.status("POST banner/dismiss is 200", r, 200)
        body = r.json() or {}
        self.c.check("the dismissal answers {outcome, banner}",
                     isinstance(body.get("outcome"), str) and isinstance(body.get("banner"), dict),
                     repr(r))
        return body

    def reminders(self):
        self.c.start("D-30: an info banner, hidden until the next stage")
        self.clock(to="D-30")
        s = self.standing()
        self.expect_standing(s, mode="FULL", phase="EXPIRING", stage="D-30", days_until_expiry=30,
                             banner_level="INFO", banner_dismissal="UNTIL_NEXT_STAGE",
                             banner_display="SHOWN", banner_dismissible=True, banner_stage="D-30")
        self.c.check("the text counts 30 days",
                     s["banner"]["text"].startswith("Your license expires in 30 days, on "),
                     repr(s["banner"]["text"]))
        utc = self.standing("?tz=UTC")["banner"]["text"]
        tokyo = self.standing("?tz=Asia/Tokyo")["banner"]["text"]
        self.c.check("?tz=UTC writes the date in UTC", " UTC. " in utc, repr(utc))
        self.c.check("?tz=Asia/Tokyo writes the date in JST", " JST. " in tokyo, repr(tokyo))
        body = self.dismiss()
        self.c.equal("outcome", body.get("outcome"), "HIDDEN")
        self.c.equal("the answer's banner is hidden", (body.get("banner") or {}).get("display"),
                     "HIDDEN")
        s = self.standing()
        self.c.equal("the standing's banner is hidden", s["banner"]["display"], "HIDDEN")
        self.c.check("hidden_until is set", isinstance(s["banner"]["hidden_until"], str),
                     repr(s["banner"]["hidden_until"]))
        self.product_works("D-30")

        self.c.start("D-7: a warning that collapses to a pill")
        self.clock(to="D-7")
        s = self.standing()
        self.expect_standing(s, phase="EXPIRING", stage="D-7", days_until_expiry=7,
                             banner_level="WARNING", banner_dismissal="TO_PILL",
                             banner_display="SHOWN", banner_dismissible=True)
        body = self.dismiss()
        self.c.equal("outcome", body.get("outcome"), "COLLAPSED_TO_PILL")
        s = self.standing()
        self.c.equal("the banner shows as a pill", s["banner"]["display"], "PILL")
        self.c.check("the pill has a text", bool(s["banner"]["pill_text"]),
                     repr(s["banner"]["pill_text"]))

        self.c.start("D-1: a danger banner that cannot be closed")
        self.clock(to="D-1")
        s = self.standing()
        self.expect_standing(s, phase="EXPIRING", stage="D-1", days_until_expiry=1,
                             banner_level="DANGER", banner_dismissal="NOT_DISMISSIBLE",
                             banner_display="SHOWN", banner_dismissible=False)
        body = self.dismiss()
        self.c.equal("outcome", body.get("outcome"), "NOT_DISMISSIBLE")
        self.c.equal("the banner stays", self.standing()["banner"]["display"], "SHOWN")

    def expiry(self):
        self.c.start("EXPIRY: grace")
        self.clock(to="EXPIRY")
        s = self.standing()
        self.expect_standing(s, phase="GRACE", stage="EXPIRY", days_until_expiry=0,
                             banner_level="DANGER", banner_dismissal="NOT_DISMISSIBLE")
        mode = s.get("mode")
        self.c.check("grace is FULL or READ_ONLY", mode in ("FULL", "READ_ONLY"), repr(mode))
        if self.args.expect_grace:
            self.c.equal("the expected grace mode", mode,
                         "READ_ONLY" if self.args.expect_grace == "read-only" else "FULL")
        if mode == "READ_ONLY":
            print("  (read-only grace: checking the read-only behaviour)")
            a = self.args
            self.c.status("read-only: GET %s is 200" % a.page, self.http.get(a.page, accept="text/html"), 200)
            self.c.status("read-only: GET %s is 200" % a.read, self.http.get(a.read), 200)
            self.c.status("read-only: GET %s is 200" % a.asset, self.http.get(a.asset, accept="*/*"), 200)
            self.c.problem("read-only: a change from a script", self.write("application/json"), 403,
                           "READ_ONLY")
            r = self.write("text/html,application/xhtml+xml")
            self.c.status("read-only: a change from a browser is 403", r, 403)
            self.c.check("read-only: the browser gets a page",
                         r.header("Content-Type").startswith("text/html"), repr(r))
        else:
            print("  (full grace: the product keeps working)")
            self.product_works("full grace")

    def lock(self):
        self.c.start("LOCK: the lock screen")
        self.clock(to="LOCK")
        s = self.standing()
        self.expect_standing(s, mode="LOCKED", phase="LOCKED", stage="LOCK", days_until_lock=0,
                             banner_level="LOCK", banner_dismissal="NOT_DISMISSIBLE")
        a = self.args
        r = self.http.get(a.page, accept="text/html,application/xhtml+xml")
        self.c.status("locked: GET %s from a browser is 423" % a.page, r, 423)
        self.c.check("locked: the lock screen is HTML", r.header("Content-Type").startswith("text/html"),
                     repr(r))
        self.c.check("locked: the lock screen has a paste box (name=\"license\")",
                     'name="license"' in r.text(), r.text()[:300])
        self.c.check("locked: the lock screen posts to %s/install" % self.lic,
                     ('action="%s%s/install"' % (self.http.prefix, self.lic)) in r.text(), r.text()[:300])
        self.c.check("locked: the lock screen is not cached (Cache-Control no-store)",
                     "no-store" in r.header("Cache-Control"), repr(r.header("Cache-Control")))
        body = self.c.problem("locked: GET %s from a script" % a.read, self.http.get(a.read), 423, "LOCKED")
        self.c.check("locked: the problem names the install route", "/install" in body.get("detail", ""),
                     repr(body.get("detail")))
        self.c.problem("locked: a change from a script", self.write("application/json"), 423, "LOCKED")
        r = self.http.get(a.asset, accept="text/css,*/*;q=0.1")
        self.c.status("locked: the static asset %s a page needs is not gated" % a.asset, r, 200)
        self.c.status("locked: GET standing is 200", self.http.get(self.lic + "/standing"), 200)
        self.c.status("locked: GET banner.js is 200", self.http.get(self.lic + "/banner.js", accept="*/*"), 200)
        self.c.status("locked: GET the license page is 200",
                      self.http.get(self.lic + "/", accept="text/html"), 200)
        self.c.equal("locked: dismissing is refused", self.dismiss().get("outcome"), "NOT_DISMISSIBLE")

    def unlock(self):
        self.c.start("a renewal pasted on the lock screen unlocks")
        text = self.license_text("renewal")
        r = self.http.post(self.lic + "/install", form(license=text))
        self.c.status("pasting the renewal (form) is 200", r, 200)
        body = r.json() or {}
        self.c.equal("code", body.get("code"), "VALID")
        self.c.equal("installed", body.get("installed"), True)
        self.c.equal("in_force", body.get("in_force"), True)
        self.c.equal("mode", body.get("mode"), "FULL")
        self.c.check("license_id is named", isinstance(body.get("license_id"), str), repr(body))
        s = self.standing()
        self.expect_standing(s, mode="FULL", phase="ACTIVE")
        self.c.equal("the renewal is in force", (s["license"] or {}).get("id"), body.get("license_id"))
        self.product_works("unlocked")
        r = self.http.post(self.lic + "/install", form(license=text, return_to="/"),
                           accept="text/html,application/xhtml+xml")
        self.c.check("a browser form with return_to is sent back (303)",
                     r.status == 303 and r.header("Location").endswith("/"), repr(r))

    def install_forms(self):
        self.c.start("every way to hand over a license")
        text = self.license_text("renewal")
        r = self.http.post(self.lic + "/install", json.dumps({"license": text}),
                           content_type="application/json")
        self.c.status("JSON {\"license\": …} is 200", r, 200)
        self.c.equal("JSON: code", (r.json() or {}).get("code"), "VALID")
        text = self.license_text("renewal")
        r = self.http.post(self.lic + "/install", text, content_type="application/toml")
        self.c.status("the raw file is 200", r, 200)
        self.c.equal("raw: code", (r.json() or {}).get("code"), "VALID")
        text = self.license_text("renewal")
        boundary = "kt" + uuid.uuid4().hex
        multipart = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"renewal.license.toml\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n%s\r\n--%s--\r\n" % (boundary, text, boundary))
        r = self.http.post(self.lic + "/install", multipart,
                           content_type="multipart/form-data; boundary=" + boundary)
        self.c.status("a multipart upload (field file) is 200", r, 200)
        self.c.equal("multipart: code", (r.json() or {}).get("code"), "VALID")
        too_big = "x" * (1024 * 1024)
        try:
            r = self.http.post(self.lic + "/install", too_big, content_type="application/toml")
            self.c.problem("a megabyte is refused", r, 413, "PAYLOAD_TOO_LARGE")
        except Abort as e:
            # The server closed the connection before its 413 could be read: refused all the same.
            self.c.check("a megabyte is refused (connection closed before the answer)",
                         "reset" in str(e) or "pipe" in str(e).lower(), str(e))

    def rollback(self):
        self.c.start("turning the clock back is noticed")
        before = self.standing()
        self.clock(back="2")
        s = self.standing()
        self.c.check("flags include CLOCK_ROLLBACK", "CLOCK_ROLLBACK" in s["flags"], repr(s["flags"]))
        self.c.check("licensing time did not go back",
                     instant_key(s["evaluated_at"]) >= instant_key(before["evaluated_at"]),
                     "%s then %s" % (before["evaluated_at"], s["evaluated_at"]))
        self.c.equal("the product keeps working", s["mode"], "FULL")

    def renewal_request(self):
        self.c.start("renewal request")
        r = self.http.post(self.lic + "/renewal-request", "{}", content_type="application/json")
        body = r.json()
        if r.status >= 400:
            self.c.check("a refusal is a problem with a renewal code",
                         r.header("Content-Type").startswith("application/problem+json")
                         and isinstance(body, dict)
                         and body.get("code") in ("RENEWAL_NOT_CONFIGURED", "RENEWAL_FAILED"),
                         repr(r))
        else:
            self.c.check("an accepted request answers JSON", isinstance(body, dict), repr(r))


def main(argv=None):
    p = argparse.ArgumentParser(
        description="HTTP conformance of a running Keyturn web integration (conformance/web/README.md).")
    p.add_argument("base_url", help="the running example, e.g. http://127.0.0.1:8080")
    p.add_argument("--license-base", default="/license", help="the license routes' base path (default /license)")
    p.add_argument("--controls", default="/demo", help="the test controls' base path (default /demo)")
    p.add_argument("--page", default="/", help="a product page, HTML (default /)")
    p.add_argument("--asset", default="/app.css", help="a static file the page needs (default /app.css)")
    p.add_argument("--read", default="/api/notes", help="a product read, JSON (default /api/notes)")
    p.add_argument("--write", default="/notes", help="a product change (default /notes)")
    p.add_argument("--write-method", default="POST", help="its method (default POST)")
    p.add_argument("--write-body", default="text=Written+by+the+conformance+script",
                   help="its body (default a form field text)")
    p.add_argument("--write-type", default="application/x-www-form-urlencoded", help="its content type")
    p.add_argument("--expect-grace", choices=["full", "read-only"],
                   help="fail unless the example's grace is of this kind")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per request (default 20)")
    p.add_argument("-v", "--verbose", action="store_true", help="print passing checks too")
    args = p.parse_args(argv)
    try:
        checks = Conformance(args).run()
    except Abort as e:
        print("cannot drive the example: %s" % e)
        return 2
    print("%d checks passed, %d failed" % (checks.passed, len(checks.failed)))
    for f in checks.failed:
        print("  failed: %s" % f)
    return 0 if not checks.failed else 1


if __name__ == "__main__":
    sys.exit(main())
