"""The locust users `benchmarks/load.py` drives (run it, not this file): bureau staff, a street official
and a leader who sign in and then use the platform — dashboard, filtered lists, enterprise detail,
evaluation page, an export job through the worker, and the API with a token. Each user is pinned to
one of the web instances (round robin), as a load balancer with sticky sessions would do.

Settings come from the environment set by load.py: PEIYU_LOAD_HOSTS (comma-separated base URLs),
PEIYU_LOAD_ACCOUNTS (JSON: username → API token), PEIYU_LOAD_PASSWORD.
"""

import itertools
import json
import os
import random
import re
import time
from http.cookiejar import DefaultCookiePolicy

from locust import HttpUser, between, task

HOSTS = itertools.cycle(os.environ.get("PEIYU_LOAD_HOSTS", "http://127.0.0.1:8701").split(","))
ACCOUNTS = json.loads(os.environ.get("PEIYU_LOAD_ACCOUNTS", "{}"))
USERNAMES = itertools.cycle(sorted(ACCOUNTS))
PASSWORD = os.environ.get("PEIYU_LOAD_PASSWORD", "Peiyu@2026")
EXPORT_EVERY = int(os.environ.get("PEIYU_LOAD_EXPORT_WEIGHT", "1"))
LIST_FILTERS = [
    {}, {"band": "2"}, {"stage": "2"}, {"q": "科技"}, {"q": "dl"}, {"page": "2"},
    {"qualification": "hitech", "year": "2024"}, {"band": "3", "stage": "3", "year": "2024"},
]
ENTERPRISE_LINK = re.compile(r'href="/enterprises/(\d+)/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# The servers run with DEBUG off, so session and CSRF cookies are marked Secure; behind TLS they
# would be sent. The benchmark talks plain HTTP to gunicorn, so this process sends them anyway
# (requests copies cookies into a fresh jar per request, so the default policy is what applies).
DefaultCookiePolicy.return_ok_secure = lambda policy, cookie, request: True


class StaffUser(HttpUser):
    wait_time = between(2, 6)

    def on_start(self):
        self.host = next(HOSTS)
        self.client.base_url = self.host
        self.username = next(USERNAMES)
        self.token = ACCOUNTS[self.username]
        self.enterprise_ids = []
        page = self.client.get("/login/", name="sign in (form)")
        token = CSRF_FIELD.search(page.text).group(1)
        with self.client.post("/login/", data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                              headers={"Referer": self.host + "/login/"}, name="sign in", catch_response=True, allow_redirects=False) as response:
            if response.status_code != 302:
                response.failure(f"sign-in returned {response.status_code}")

    @task(3)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(4)
    def enterprise_list(self):
        response = self.client.get("/enterprises/", params=random.choice(LIST_FILTERS), name="enterprise list (filtered)")
        found = ENTERPRISE_LINK.findall(response.text)
        if found:
            self.enterprise_ids = found

    @task(3)
    def enterprise_detail(self):
        if not self.enterprise_ids:
            return self.enterprise_list()
        self.client.get(f"/enterprises/{random.choice(self.enterprise_ids)}/", name="enterprise detail")

    @task(2)
    def evaluation(self):
        if not self.enterprise_ids:
            return self.enterprise_list()
        self.client.get(f"/evaluation/enterprise/{random.choice(self.enterprise_ids)}/", name="enterprise evaluation")

    @task(2)
    def api(self):
        headers = {"Authorization": f"Bearer {self.token}"}
        self.client.get("/api/enterprises", params={"limit": 20, "year": 2024}, headers=headers, name="API enterprises")

    @task(1)
    def my_jobs(self):
        self.client.get("/jobs/", name="my jobs")

    @task(EXPORT_EVERY)
    def export_job(self):
        """Start a CSV export of a filtered list, poll its job card like the page does, download it."""
        started = self.client.get("/enterprises/export/", params={"format": "csv", "band": random.choice("12345")},
                                  name="export: start job", allow_redirects=False)
        if started.status_code != 302:
            return
        job_url = started.headers["Location"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with self.client.get(job_url, headers={"HX-Request": "true"}, name="export: poll job", catch_response=True) as card:
                if "alert-danger" in card.text:
                    card.failure("the export job failed")
                    return
                done = "/download/" in card.text
            if done:
                self.client.get(job_url + "download/", name="export: download")
                return
            time.sleep(1)
        self.environment.events.request.fire(request_type="JOB", name="export: finished within 60 s", response_time=60000,
                                             response_length=0, exception=TimeoutError("export job not done in 60 s"), context={})
