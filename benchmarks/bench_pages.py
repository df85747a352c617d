"""Page timings and query counts: the lesson page beside a plain Wagtail page with the same body
(targets ≤ 12 queries and ≤ 1.5×), the course page and "my courses", with sessions in the cache as in
production (cached_db). The cache is Redis as in production when one answers on 127.0.0.1:6379 (or at
BENCH_REDIS_URL; this run's own key prefix, its keys deleted at the end), local memory otherwise.

The plain page is served at its best too: through the same middleware and the same routing by URL path,
its body the lesson's rendered HTML. The two are requested in turn, 200 times each, and the medians compared:
measured one after the other, whole runs drifted by ±15 % between the two windows (ratios 1.40–1.74 for the
same code)."""

import uuid

from harness import compare, count_queries, interleaved_median_ms, median_ms, redis_url, report, setup_django

setup_django()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from courses import services  # noqa: E402
from courses.demo import seed as seed_courses  # noqa: E402
from courses.demo_content import COURSES  # noqa: E402
from courses.models import CoursePage  # noqa: E402
from courses.setup import ensure_academy_site  # noqa: E402
from lms.demo import seed as seed_people  # noqa: E402
from lms.models import HomePage, User  # noqa: E402


def main() -> None:
    seed_people()
    seed_courses()
    home, catalogue = ensure_academy_site()
    trainee = User.objects.get(username="wuling1")
    client = Client()
    client.force_login(trainee)
    course = CoursePage.objects.child_of(catalogue).live().first()
    lesson = course.get_children().live().first().specific
    services.enroll(user=trainee, course=course)

    # The baseline: a plain Wagtail page (no enrolment, progress or outline) whose rich text is the
    # lesson's rendered body, served by Wagtail through the same site chrome.
    body_html = "".join(str(block) for block in lesson.body)
    plain = home.add_child(instance=HomePage(title="对照页", slug="plain-baseline", intro=body_html))

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    size = f"{len(COURSES)} courses, {sum(len(c['lessons']) for c in COURSES)} lessons, {CACHE_NAME} cache"
    # In turn, many times: the ratio is what is judged, and runs measured one after the other drifted ±15 %.
    lesson_ms, baseline_ms = interleaved_median_ms(lambda: get(lesson.url), lambda: get(plain.url), repeat=200)
    compare("lesson page (GET, signed in)", lesson_ms, "plain Wagtail page, same body and site chrome", baseline_ms, "ms",
            size=size, target="≤ 1.5×")
    report("lesson page queries", count_queries(lambda: get(lesson.url)), "queries", size=size, target="≤ 12")
    report("plain page queries", count_queries(lambda: get(plain.url)), "queries", size=size)
    report("course page (GET)", median_ms(lambda: get(course.url), repeat=20), "ms", size=size)
    report("course page queries", count_queries(lambda: get(course.url)), "queries", size=size)
    for other in CoursePage.objects.child_of(catalogue).live():
        services.enroll(user=trainee, course=other)
    report("my courses (4 enrolled)", median_ms(lambda: get("/my/"), repeat=20), "ms", size=size)
    report("my courses queries", count_queries(lambda: get("/my/")), "queries", size=size)
    report("catalogue (GET)", median_ms(lambda: get("/courses/"), repeat=20), "ms", size=size)


REDIS_URL = redis_url()
PREFIX = f"bench-pages-{uuid.uuid4().hex[:8]}"
CACHE_NAME = "Redis" if REDIS_URL else "local-memory"


if __name__ == "__main__":
    overrides = {"ALLOWED_HOSTS": ["*"], "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db"}
    if REDIS_URL:
        redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": PREFIX}
        overrides["CACHES"] = {"default": redis_cache}
    try:
        with override_settings(**overrides):
            main()
    finally:
        if REDIS_URL:  # only this run's keys: others may share the server
            import redis

            server = redis.Redis.from_url(REDIS_URL)
            keys = list(server.scan_iter(f"{PREFIX}:*"))
            if keys:
                server.delete(*keys)
