"""10,000 notifications of one event (certificate expiring, by SMS) delivered by `manage.py db_worker`s on
PostgreSQL to a local server speaking Aliyun's SMS API (it checks every request's signature): first 1 worker,
then 2 workers with one of them killed (SIGKILL) a third of the way through. Then checks that none was sent
twice and none was lost: the killed worker's leased deliveries are taken over once their lease runs out.

Its own database: NOTIFY_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/academy_notifybench
(dropped and made again). Skips when PostgreSQL does not answer.

    .venv/bin/python benchmarks/bench_notifications.py [--notifications 10000]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG_URL = os.environ.get("NOTIFY_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/academy_notifybench")
LEASE = 10
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
from harness import compare, postgres_answers, report  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notifications", type=int, default=10_000)
    count = parser.parse_args().notifications
    if not postgres_answers():
        print("PostgreSQL does not answer on 127.0.0.1:5432: notification benchmark skipped.")
        return 0
    name = PG_URL.rsplit("/", 1)[1]
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)

    from tests.notifications.platforms import Platforms

    server = Platforms().start()
    server.sms_keys["LTAIbench"] = "bench-secret"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": PG_URL,
        "TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "SMS_PROVIDER": "aliyun",
        "SMS_ACCESS_KEY_ID": "LTAIbench",
        "SMS_ACCESS_KEY_SECRET": "bench-secret",
        "SMS_SIGN_NAME": "常德市商务局",
        "SMS_ENDPOINT": server.base + "/",
        "NOTIFY_QUIET_HOURS": "0,0",
        "NOTIFY_TEAM_DAILY_CAP": "0",
        "NOTIFY_LEASE_SECONDS": str(LEASE),
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from lms.models import CountyTeam, Membership, Role, User
    from notifications.delivery import deliver_due
    from notifications.models import Delivery, EventPolicy
    from notifications.services import notify

    EventPolicy.objects.create(event="certificate.expiring", sms_template_code="SMS_276450123")
    team = CountyTeam.objects.create(name="汉寿县", code="hanshou")
    users = User.objects.bulk_create(
        [User(username=f"sms{n:05d}", full_name=f"学员{n:05d}", password="!", phone=f"139{n:08d}") for n in range(count)]
    )
    Membership.objects.bulk_create([Membership(user=u, team=team, role=Role.TRAINEE) for u in users])

    def run(workers: int, *, kill: bool) -> float:
        started = [
            subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--worker-id",
                    f"notify{workers}-{n}",
                    "--interval",
                    "0.2",
                    "--no-startup-delay",
                    "--no-reload",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for n in range(workers)
        ]
        key = f"bench:{workers}"
        try:
            time.sleep(8)  # the workers start (Django set-up) before the clock does
            with server.lock:
                server.received.clear()
            begin = time.perf_counter()
            notify("certificate.expiring", users, {"programme": "常德市商务网站管理员资格", "date": "2027-01-30"}, key=key)
            rows = Delivery.objects.filter(event_key=key)
            killed = False
            while rows.exclude(status__in=["sent", "failed", "skipped"]).exists():
                if kill and not killed and rows.filter(status="sent").count() >= count // 3:
                    started[0].send_signal(signal.SIGKILL)
                    killed = True
                if kill and killed and all(p.poll() is not None for p in started):
                    break
                if kill and killed and not rows.filter(status="queued").exists():
                    # Only the dead worker's leased deliveries are left and the survivor has finished: what
                    # `send_scheduled_notifications` does from cron once the lease has run out.
                    time.sleep(LEASE + 1)
                    deliver_due()
                time.sleep(0.2)
            elapsed = time.perf_counter() - begin
        finally:
            for process in started:
                if process.poll() is None:
                    process.terminate()
                    process.wait(timeout=60)
        size = f"{count} SMS notifications, {workers} worker(s){', one killed mid-run' if kill else ''}, PostgreSQL"
        sent = Counter(m["out_id"] for m in server.of("sms"))
        statuses = Counter(rows.values_list("status", flat=True))
        report(f"notify, {workers} worker(s): sent twice", sum(n - 1 for n in sent.values()), "count", size=size, target="0")
        report(f"notify, {workers} worker(s): lost (not delivered)", count - len(sent), "count", size=size, target="0")
        report(
            f"notify, {workers} worker(s): deliveries not 'sent'", count - statuses.get("sent", 0), "count", size=size, target="0"
        )
        retried = rows.filter(attempts__gt=1).count()
        report(f"notify, {workers} worker(s): taken over after a lease ran out", retried, "count", size=size)
        return count / elapsed

    one = run(1, kill=False)
    two = run(2, kill=True)
    server.stop()
    compare(
        "notifications by SMS, 2 workers (one killed mid-run)",
        two,
        "notifications by SMS, 1 worker",
        one,
        "msgs/s",
        size=f"{count} notifications of one event, PostgreSQL, local SMS API",
        target="≥ 1.0× despite the kill",
        higher_is_better=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
