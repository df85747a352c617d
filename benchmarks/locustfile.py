"""Simulated trainees for the load benchmarks (`bench_load.py` runs locust headless with this file).

Each simulated trainee signs in with its own account (loadNNNN / changde2026), opens "my courses",
reads lessons of the back-office course and marks them done, and takes that course's quiz through the
API (start, answer, submit; a quiz with no attempts left answers 409, which is a right answer, not an error).

Sign-in is not part of the measured window: every trainee signs in in `on_start`; once all are spawned and
signed in, the sign-in figures are written to LOGIN_STATS_FILE (JSON) and the statistics are reset, and the
run stops MEASURE_SECONDS later. What locust then reports is the steady browsing alone.
"""

import itertools
import json
import os
import random
import re

import gevent
from locust import HttpUser, between, events, task

PASSWORD = "changde2026"
MEASURE_SECONDS = float(os.environ.get("MEASURE_SECONDS", "45"))
_numbers = itertools.count(1)
# What on_start asks; trainees signed in early already browse while others sign in: those are not sign-in.
SIGN_IN_REQUESTS = ("login page", "login", "quizzes", "courses", "course lessons")
_signed_in = 0  # trainees whose on_start has finished (signed in or failed trying)
_environment = None


def _login_figures(stats) -> dict:
    return {
        name: {"requests": entry.num_requests, "failures": entry.num_failures,
               "p50": entry.get_response_time_percentile(0.5), "p95": entry.get_response_time_percentile(0.95)}
        for (name, _method), entry in stats.entries.items()
        if name in SIGN_IN_REQUESTS
    }


@events.spawning_complete.add_listener
def _measure_after_sign_in(user_count, **kwargs):
    """Spawned is not signed in: wait for every on_start, keep the sign-in figures, then start measuring."""
    environment = _environment

    def measure():
        while _signed_in < user_count:
            gevent.sleep(0.1)
        target = os.environ.get("LOGIN_STATS_FILE")
        if target:
            with open(target, "w") as handle:
                json.dump(_login_figures(environment.runner.stats), handle)
        environment.runner.stats.reset_all()
        gevent.sleep(MEASURE_SECONDS)
        environment.runner.quit()

    gevent.spawn(measure)


@events.init.add_listener
def _remember_environment(environment, **kwargs):
    global _environment
    _environment = environment


class Trainee(HttpUser):
    wait_time = between(float(os.environ.get("THINK_MIN", "0.5")), float(os.environ.get("THINK_MAX", "2")))

    def on_start(self):
        global _signed_in
        try:
            self._sign_in()
        finally:
            _signed_in += 1

    def _sign_in(self):
        self.number = next(_numbers)
        self.username = f"load{self.number:04d}"
        page = self.client.get("/accounts/login/", name="login page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            name="login",
        )
        self.quizzes = [quiz["id"] for quiz in self._json("/api/v1/quizzes/", "quizzes")["results"][:1]]
        self.lessons = [lesson["id"] for lesson in self._json("/api/v1/courses/", "courses")["results"][:1] for lesson in
                        self._json(f"/api/v1/courses/{lesson['id']}/lessons/", "course lessons")]

    def _json(self, url, name):
        return self.client.get(url, name=name).json()

    def _csrf(self):
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host + "/"}

    @task(3)
    def my_courses(self):
        self.client.get("/my/", name="my courses")

    @task(6)
    def read_lesson(self):
        if self.lessons:
            lesson = random.choice(self.lessons)
            self.client.get(f"/api/v1/lessons/{lesson}/", name="lesson (API)")

    @task(2)
    def complete_lesson(self):
        if self.lessons:
            lesson = random.choice(self.lessons)
            self.client.post(f"/api/v1/lessons/{lesson}/complete/", headers=self._csrf(), name="mark lesson done")

    @task(2)
    def catalogue(self):
        self.client.get("/courses/", name="catalogue")

    @task(1)
    def take_quiz(self):
        if not self.quizzes:
            return
        with self.client.post(f"/api/v1/quizzes/{self.quizzes[0]}/attempts/", headers=self._csrf(), name="quiz: start",
                              catch_response=True) as response:
            if response.status_code == 409:
                response.success()
                return
            attempt = response.json()
        answers = {}
        for question in attempt["questions"]:
            ids = [option["id"] for option in question["options"]]
            if question["type"] == "ordering":
                answers[str(question["id"])] = {"order": ids}
            elif ids:
                answers[str(question["id"])] = {"choices": [random.choice(ids)]}
            else:
                answers[str(question["id"])] = {"text": "RGB"}
        self.client.put(f"/api/v1/attempts/{attempt['id']}/answers/", json={"answers": answers}, headers=self._csrf(), name="quiz: save answers")
        self.client.post(f"/api/v1/attempts/{attempt['id']}/submit/", json={}, headers=self._csrf(), name="quiz: submit")
