"""Simulated trainees for the load benchmarks (`bench_load.py` runs locust headless with this file).

Each simulated trainee signs in with its own account (loadNNNN / changde2026), opens "my courses",
reads lessons of the back-office course and marks them done, and takes that course's quiz through the
API (start, answer, submit; a quiz with no attempts left answers 409, which is a right answer, not an error).
"""

import itertools
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = "changde2026"
_numbers = itertools.count(1)


class Trainee(HttpUser):
    wait_time = between(float(os.environ.get("THINK_MIN", "0.5")), float(os.environ.get("THINK_MAX", "2")))

    def on_start(self):
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
