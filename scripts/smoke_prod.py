"""Walks a running Peiyu over plain HTTP as a browser would: signs in through the real login form with
a cookie jar, opens the pages a bureau user opens, exports, issues an API token on its page and reads
the API with it. Any answer other than the expected one stops the run with exit code 1.

    python scripts/smoke_prod.py http://127.0.0.1:8150 [--wait SECONDS] [--user bureau] [--password Peiyu@2026]

Standard library only, so it runs in any environment that can reach the server."""

import argparse
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


class Smoke:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def fetch(self, path, data=None, headers=None, expect=200):
        """Returns (status, headers, body) and fails unless the status is `expect`."""
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                status, head, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, head, body = error.code, error.headers, error.read()
        except urllib.error.URLError as error:
            fail(f"{path}: {error.reason}")
        if status != expect:
            fail(f"{path}: HTTP {status}, expected {expect}\n{body[:2000].decode('utf-8', 'replace')}")
        print(f"ok  {status}  {'POST' if data else 'GET '} {path}  ({len(body):,} bytes)")
        return status, head, body

    def page(self, path, must_contain=None, expect=200):
        _status, head, body = self.fetch(path, expect=expect)
        text = body.decode("utf-8")
        if must_contain and must_contain not in text:
            fail(f"{path}: the page does not contain {must_contain!r}")
        return head, text

    def export(self, extension, seconds=120):
        """Starts an export job from the list page's button, waits for the worker, downloads the file."""
        request = urllib.request.Request(f"{self.base}/enterprises/export/?format={extension}")
        with self.opener.open(request, timeout=60) as response:
            job = re.search(r"/jobs/(\d+)/", response.url)
        if not job:
            fail(f"the {extension} export did not open its job page")
        deadline = time.monotonic() + seconds
        while True:
            request = urllib.request.Request(f"{self.base}/jobs/{job.group(1)}/download/")
            try:
                with self.opener.open(request, timeout=60) as response:
                    body = response.read()
                print(f"ok  200  GET  export job {job.group(1)} ({extension}, {len(body):,} bytes)")
                return body
            except urllib.error.HTTPError as error:
                if error.code != 404 or time.monotonic() > deadline:
                    fail(f"the {extension} export job {job.group(1)} did not finish: HTTP {error.code}")
            time.sleep(0.5)

    def post_form(self, path, fields):
        """Posts `fields` with the CSRF token of the form page at `path`, as a browser would."""
        _head, text = self.page(path)
        fields = dict(fields, csrfmiddlewaretoken=csrf_token(text))
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base + path}
        _status, head, body = self.fetch(path, data=body, headers=headers)
        return head, body.decode("utf-8")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        fail("no CSRF token in the form")
    return match.group(1)


def wait_until_up(base: str, seconds: int):
    """Waits for the server to answer at all (any HTTP status), failing after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/login/", timeout=5).close()
            return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                fail(f"{base} did not answer within {seconds} s")
            time.sleep(0.5)


def fail(message: str):
    print(f"FAIL  {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--user", default="bureau")
    parser.add_argument("--password", default="Peiyu@2026")
    parser.add_argument("--wait", type=int, default=0, help="seconds to wait for the server to start")
    args = parser.parse_args()
    if args.wait:
        wait_until_up(args.base.rstrip("/"), args.wait)
    s = Smoke(args.base)

    head, login_page = s.page("/login/", must_contain="csrfmiddlewaretoken")
    css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', login_page)
    if not css:
        fail("the login page does not link the hashed (collected) Bootstrap stylesheet")
    s.fetch(css.group(1))

    _head, dashboard = s.post_form("/login/", {"username": args.user, "password": args.password})
    if "logout" not in dashboard:
        fail("signing in did not land on a signed-in page (wrong password or cookies refused?)")
    head, _dashboard = s.page("/", must_contain="chart-")
    if "'nonce-" not in head.get("Content-Security-Policy", ""):
        fail("the dashboard came without a Content-Security-Policy carrying a script nonce")
    _head, listing = s.page("/enterprises/", must_contain="enterprise")
    detail = re.search(r'href="(/enterprises/\d+/)"', listing)
    if not detail:
        fail("the enterprise list links no enterprise (demo not loaded?)")
    s.page(detail.group(1))
    xlsx = s.export("xlsx")
    if not xlsx.startswith(b"PK"):
        fail("the export is not an .xlsx file")
    if "统一社会信用代码" not in s.export("csv").decode("utf-8-sig"):
        fail("the CSV export has no header row")
    health = json.loads(s.fetch("/healthz")[2])
    if health.get("status") != "ok":
        fail(f"/healthz is not ok with a worker running: {health}")
    s.page("/evaluation/")
    s.page("/enterprises/no-such-page/", must_contain="页面不存在", expect=404)

    _head, tokens = s.post_form("/tokens/", {"description": "smoke"})
    key = re.search(r'<code class="fs-6 user-select-all">([^<]+)</code>', tokens)
    if not key:
        fail("the token page did not show the new key")
    auth = {"Authorization": f"Bearer {key.group(1).strip()}"}
    _status, _head, body = s.fetch("/api/enterprises", headers=auth)
    if not json.loads(body).get("items"):
        fail("the API listed no enterprises")
    print("smoke run passed")


if __name__ == "__main__":
    main()
