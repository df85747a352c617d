"""Simulated trainees for the exam-start storm (`bench_exam_storm.py` runs locust headless with this file).

Every simulated trainee signs in with its API token (issued in set-up, see the benchmark's docstring), then
waits at a gate. The gate opens once locust has spawned every user, so all of them start the same quiz at
the same instant. Each one answers its 16 questions with short think times, autosaving every four answers,
and submits the last four with the submit. What it sent is appended to STORM_SENT (one JSON line per
trainee) so the benchmark can check afterwards that the database holds exactly that.
"""

import itertools
import json
import os
import random
import threading

import gevent
from gevent.event import Event
from locust import HttpUser, between, events, task
from locust.exception import StopUser

TOKENS = json.loads(open(os.environ["STORM_TOKENS"], encoding="utf-8").read())
QUIZ = int(os.environ["STORM_QUIZ"])
SENT = os.environ["STORM_SENT"]
CHUNK = 4

_numbers = itertools.count()
_gate = Event()
_finished = itertools.count(1)
_write = threading.Lock()


@events.spawning_complete.add_listener
def _open_gate(user_count, **kwargs):
    _gate.set()


class Examinee(HttpUser):
    wait_time = between(float(os.environ.get("THINK_MIN", "1")), float(os.environ.get("THINK_MAX", "3")))

    def on_start(self):
        self.token = TOKENS[next(_numbers)]
        self.client.headers["Authorization"] = f"Token {self.token}"
        _gate.wait()

    @task
    def take_exam(self):
        sent: dict[str, int] = {}
        attempt = None
        with self.client.post(
            f"/api/v1/quizzes/{QUIZ}/attempts/", json={}, name="start attempt", catch_response=True
        ) as response:
            if response.status_code == 201:
                attempt = response.json()
            else:
                response.failure(f"start: {response.status_code} {response.error or response.text[:200]}")
        if attempt is None:
            return self._done(None, sent)
        chunks = [attempt["questions"][i : i + CHUNK] for i in range(0, len(attempt["questions"]), CHUNK)]
        for number, chunk in enumerate(chunks):
            gevent.sleep(self.wait_time())
            answers = {str(question["id"]): {"choices": [random.choice(question["options"])["id"]]} for question in chunk}
            last = number == len(chunks) - 1
            url = f"/api/v1/attempts/{attempt['id']}/{'submit' if last else 'answers'}/"
            send = self.client.post if last else self.client.put
            with send(url, json={"answers": answers}, name="submit" if last else "save answers", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"{url}: {response.status_code} {response.error or response.text[:200]}")
                    break
            # Only answers the server acknowledged are expected in the database.
            sent.update({qid: answer["choices"][0] for qid, answer in answers.items()})
        self._done(attempt["id"], sent)

    def _done(self, attempt_id, sent):
        with _write, open(SENT, "a", encoding="utf-8") as out:
            out.write(json.dumps({"token": self.token, "attempt": attempt_id, "answers": sent}) + "\n")
        if next(_finished) == len(TOKENS):
            # The last trainee has submitted: end the run instead of waiting for the time bound.
            gevent.spawn_later(0.5, self.environment.runner.quit)
        raise StopUser()
