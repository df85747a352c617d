"""Simulated trainees for the exam-start storm (`bench_exam_storm.py` runs locust headless with this file).

Every simulated trainee is signed in before the storm (an API token, or a browser session cookie for
those who use the web pages; both issued in set-up, so no password hashing happens in the storm window)
and waits at a gate. The gate opens once locust has spawned every user, so all of them start the same
quiz at the same instant: half through the API, half through the web page (POST start, then the attempt
page with its questions, as a browser follows the redirect). Each one answers its 16 questions with short
think times, autosaving every STORM_ANSWERS_PER_SAVE answers (through the API, as the page's script does),
and submits. What it sent is appended to STORM_SENT (one JSON line per trainee) so the benchmark can
check afterwards that the database holds exactly that.

Server CPU (benchmarks/server_cpu.py) is read when the gate opens and when the last start has answered,
into STORM_CPU_FILE: the start phase's CPU per start.

The clients are locust's FastHttpUser (geventhttpclient), not HttpUser (requests): the load generator
shares the server's two cores, and requests' per-call overhead took CPU the server then lacked.
"""

import itertools
import json
import os
import random
import re
import threading
from http.cookiejar import DefaultCookiePolicy

import gevent
from gevent.event import Event
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser
from requests.cookies import create_cookie
from server_cpu import snapshot, spent

CLIENTS = json.loads(open(os.environ["STORM_TOKENS"], encoding="utf-8").read())
QUIZ = int(os.environ["STORM_QUIZ"])
SENT = os.environ["STORM_SENT"]
CHUNK = int(os.environ.get("STORM_ANSWERS_PER_SAVE", "4"))
LABEL = os.environ.get("STORM_LABEL", "")
SERVER_PID = int(os.environ.get("STORM_SERVER_PID", "0"))
CPU_FILE = os.environ.get("STORM_CPU_FILE", "")

_numbers = itertools.count()
_gate = Event()
_finished = itertools.count(1)
_started = itertools.count(1)
_write = threading.Lock()
_cpu: dict = {}
QID = re.compile(r'data-qid="(\d+)"')
OPTION = re.compile(r'name="q(\d+)" value="(\d+)"')
ATTEMPT = re.compile(r'data-api-url="/api/v1/attempts/(\d+)/answers/"')


class _BehindTLS(DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True


@events.spawning_complete.add_listener
def _open_gate(user_count, **kwargs):
    _cpu["before"] = snapshot(SERVER_PID)
    _gate.set()


def _one_started():
    if next(_started) == len(CLIENTS) and CPU_FILE:
        after = snapshot(SERVER_PID)
        with open(CPU_FILE, "w", encoding="utf-8") as out:
            json.dump({"starts": len(CLIENTS), **spent(_cpu["before"], after)}, out)


class Examinee(FastHttpUser):
    wait_time = between(float(os.environ.get("THINK_MIN", "1")), float(os.environ.get("THINK_MAX", "3")))

    def on_start(self):
        self.me = CLIENTS[next(_numbers)]
        if self.me["kind"] == "api":
            self.headers = {"Authorization": f"Token {self.me['token']}"}
        else:
            # In the client's cookie jar, as a browser holds them (it follows the redirect with them too).
            # Production marks cookies Secure; the browser reaches it over TLS at the proxy, this client
            # over plain HTTP on loopback, so the jar sends Secure cookies anyway.
            self.client.cookiejar.set_policy(_BehindTLS())
            for name, value in (("sessionid", self.me["session"]), ("csrftoken", self.me["csrf"])):
                self.client.cookiejar.set_cookie(create_cookie(name, value, domain="127.0.0.1"))
            self.headers = {"X-CSRFToken": self.me["csrf"]}
        _gate.wait()

    def _start_api(self):
        with self.client.post(
            f"/api/v1/quizzes/{QUIZ}/attempts/", json={}, name=f"{LABEL}API start", catch_response=True, headers=self.headers
        ) as response:
            if response.status_code == 201:
                body = response.json()
                return body["id"], [(q["id"], [o["id"] for o in q["options"]]) for q in body["questions"]]
            response.failure(f"start: {response.status_code} {(response.text or '')[:200] or getattr(response, 'error', None)}")
        return None, []

    def _start_web(self):
        name = f"{LABEL}web start (until questions shown)"
        # The browser's POST, then the redirect to the attempt page, followed by the client: one timing.
        with self.client.post(
            f"/quizzes/{QUIZ}/start/",
            data=f"csrfmiddlewaretoken={self.me['csrf']}",
            name=name,
            catch_response=True,
            headers={**self.headers, "Content-Type": "application/x-www-form-urlencoded"},
        ) as response:
            text = response.text or ""
            found = ATTEMPT.search(text)
            if response.status_code == 200 and found and 'data-qid="' in text:
                options: dict[int, list[int]] = {}
                for qid, cid in OPTION.findall(text):
                    options.setdefault(int(qid), []).append(int(cid))
                return int(found.group(1)), [(int(qid), options.get(int(qid), [])) for qid in QID.findall(text)]
            title = re.search(r"<title>(.*?)</title>", text, re.S)
            response.failure(f"web start: {response.status_code} {title.group(1).strip() if title else text[:200]}")
        return None, []

    @task
    def take_exam(self):
        sent: dict[str, int] = {}
        attempt_id, questions = self._start_api() if self.me["kind"] == "api" else self._start_web()
        _one_started()
        if attempt_id is None:
            return self._done(None, sent)
        chunks = [questions[i : i + CHUNK] for i in range(0, len(questions), CHUNK)]
        for chunk in chunks:
            gevent.sleep(self.wait_time())
            answers = {str(qid): {"choices": [random.choice(options)]} for qid, options in chunk}
            url = f"/api/v1/attempts/{attempt_id}/answers/"
            with self.client.put(
                url, json={"answers": answers}, name=f"{LABEL}save answers", catch_response=True, headers=self.headers
            ) as response:
                if response.status_code != 200:
                    response.failure(
                        f"{url}: {response.status_code} {(response.text or '')[:200] or getattr(response, 'error', None)}"
                    )
                    return self._done(attempt_id, sent)
            # Only answers the server acknowledged are expected in the database.
            sent.update({qid: answer["choices"][0] for qid, answer in answers.items()})
        gevent.sleep(self.wait_time())
        url = f"/api/v1/attempts/{attempt_id}/submit/"
        with self.client.post(url, json={}, name=f"{LABEL}submit", catch_response=True, headers=self.headers) as response:
            if response.status_code != 200:
                response.failure(
                    f"{url}: {response.status_code} {(response.text or '')[:200] or getattr(response, 'error', None)}"
                )
        self._done(attempt_id, sent)

    def _done(self, attempt_id, sent):
        with _write, open(SENT, "a", encoding="utf-8") as out:
            out.write(json.dumps({"client": self.me["user"], "attempt": attempt_id, "answers": sent}) + "\n")
        if next(_finished) == len(CLIENTS):
            # The last trainee has submitted: end the run instead of waiting for the time bound.
            gevent.spawn_later(0.5, self.environment.runner.quit)
        raise StopUser()
