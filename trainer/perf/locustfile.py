"""Locust scenario: simulated trainees mixing look-up, chart, submit and progress.

Run through ``trainer loadtest`` (it starts the servers and reads the results); every
request goes to the loopback address it is given.
"""

from __future__ import annotations

import itertools
import os
import random
import re

from locust import HttpUser, between, task

TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
SPECIALTIES = os.environ.get("LOADTEST_SPECIALTIES", "orthopaedics").split(",")
USERS = int(os.environ.get("LOADTEST_ACCOUNTS", "50"))
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "load-test-password")
_NEXT_ACCOUNT = itertools.count()
QUERIES = ("M17.1", "knee osteoarthritis", "9921", "J33", "colonoscopy", "E11.2", "fracture")


class Trainee(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        page = self.client.get("/auth/login").text
        token = TOKEN.search(page)
        name = f"load{next(_NEXT_ACCOUNT) % USERS}"  # one account per simulated trainee
        self.client.post(
            "/auth/login",
            data={
                "username": name,
                "password": PASSWORD,
                "csrf_token": token.group(1) if token else "",
            },
        )

    def _token(self, html: str) -> str:
        found = TOKEN.search(html)
        return found.group(1) if found else ""

    @task(3)
    def look_up(self) -> None:
        self.client.get(
            "/api/v1/codes/search",
            params={"q": random.choice(QUERIES)},
            name="/api/v1/codes/search",
        )

    @task(2)
    def progress(self) -> None:
        self.client.get("/progress/")

    @task(4)
    def chart_and_submit(self) -> None:
        home = self.client.get("/")
        chart = self.client.post(
            "/practice/start",
            data={"specialty": random.choice(SPECIALTIES), "csrf_token": self._token(home.text)},
            name="/practice/start",
        )
        if "/practice/attempt/" not in chart.url:
            return
        url = chart.url.split("?")[0]
        self.client.post(
            url + "/submit",
            name="/practice/attempt/[id]/submit",
            data={
                "csrf_token": self._token(chart.text),
                "seconds": "240",
                "diagnoses-0": "M17.11",
                "lines-0-code": "20610",
                "lines-0-mod1": "RT",
                "lines-0-units": "1",
                "lines-0-pointers": "A",
                "lines-0-revenue": "0450",
            },
        )
