"""Team qualification at scale: the bureau overview, a team page, the XLSX export and the overview API,
timed and with their query counts, on data made by `generate_scale_data`.

On PostgreSQL (when a server answers on 127.0.0.1:5432; its own database, QUAL_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/academy_qualification, dropped and made again) at the province's
size by default, the overview is measured right after the bulk load, with stale statistics, and again
after ANALYZE (target ≤ 300 ms both ways), and with JIT on and off. On SQLite (no PostgreSQL) the
default sizes are small.

    python benchmarks/bench_qualification.py [--teams 1000 --trainees 10000 --attempts 200000] [--sqlite]
"""

import argparse
import os
import re
import subprocess
import time

from harness import compare, count_queries, median_ms, postgres_answers, report, setup_django

PG_URL = os.environ.get("QUAL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/academy_qualification")



parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--teams", type=int)
parser.add_argument("--trainees", type=int)
parser.add_argument("--attempts", type=int)
parser.add_argument("--repeat", type=int, default=5)
parser.add_argument("--sqlite", action="store_true", help="a throw-away SQLite database even when PostgreSQL answers")
options = parser.parse_args()
ON_POSTGRES = not options.sqlite and postgres_answers()
big = (1000, 10000, 200000) if ON_POSTGRES else (100, 1000, 20000)
options.teams = options.teams or big[0]
options.trainees = options.trainees or big[1]
options.attempts = options.attempts if options.attempts is not None else big[2]
if ON_POSTGRES:
    name = PG_URL.rsplit("/", 1)[1]
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)
    os.environ["BENCH_DATABASE_URL"] = PG_URL

setup_django()

from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from certificates.qualification.scale import generate  # noqa: E402
from lms.models import CountyTeam, Membership, Role  # noqa: E402
from tests.factories import UserFactory  # noqa: E402


def _overview_ms(slug: str) -> tuple[float, int]:
    from certificates.models import Programme
    from certificates.qualification import selectors

    programme = Programme.objects.get(slug=slug)

    def once():
        return selectors.qualification_overview(programme=programme, teams=CountyTeam.objects.all())

    return median_ms(once, repeat=options.repeat), count_queries(once)


def _execution_ms(plan: str) -> float:
    return float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))


def stale_and_fresh_statistics(data: dict, size: str) -> None:
    """The overview right after the bulk load (autovacuum held off), then after ANALYZE; JIT on and off."""
    from django.db import connection

    from certificates.models import Programme
    from certificates.qualification import selectors

    slug = data["programme"].slug
    cold_ms, cold_queries = _overview_ms(slug)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    fresh_ms, fresh_queries = _overview_ms(slug)
    compare(
        "overview right after the bulk load (stale statistics)", cold_ms, "overview after ANALYZE", fresh_ms, "ms",
        size=size, target="each ≤ 300 ms; ratio ≈ 1 (was 55.5 s vs 686 ms)",
    )
    report("overview queries, stale statistics", cold_queries, "queries", size=size)
    report("overview queries, fresh statistics", fresh_queries, "queries", size=size, target="same as stale")
    programme = Programme.objects.get(slug=slug)
    on, off = [], []
    for _ in range(3):
        on.append(_execution_ms(selectors.explain_overview(programme=programme, teams=CountyTeam.objects.all(), analyze=True, jit=True)))
        off.append(_execution_ms(selectors.explain_overview(programme=programme, teams=CountyTeam.objects.all(), analyze=True, jit=False)))
    compare(
        "overview query with JIT (server execution)", sorted(on)[1], "overview query without JIT", sorted(off)[1], "ms",
        size=size, target="> 1 keeps JIT off for this query (production does)",
    )


def main() -> None:
    started = time.monotonic()
    data = generate(
        teams=options.teams, trainees=options.trainees, attempts=options.attempts, log=lambda line: None, analyze=not ON_POSTGRES
    )
    database = "PostgreSQL" if ON_POSTGRES else "SQLite"
    size = f"{options.teams:,} teams, {options.trainees:,} trainees, {data['certificates']:,} certificates, {data['quiz attempts']:,} attempts, {database}"
    report("generate_scale_data (bulk inserts)", time.monotonic() - started, "s", size=size)
    if ON_POSTGRES:
        stale_and_fresh_statistics(data, size)
    admin = UserFactory(username="bench-bureau", role=Role.BUREAU_ADMIN)
    client = Client()
    client.force_login(admin)
    slug = data["programme"].slug
    # The largest team, so the team page shows the most people.
    biggest = (
        Membership.objects.filter(role=Role.TRAINEE, team__code__startswith=f"s{data['run']}-")
        .values("team__code").order_by().annotate(n=Count("pk")).order_by("-n").first()
    )
    team = CountyTeam.objects.get(code=biggest["team__code"])

    pages = [
        ("bureau overview page", f"/qualification/?programme={slug}"),
        ("overview sorted by % qualified", f"/qualification/?programme={slug}&sort=percent&dir=desc"),
        (f"team page ({biggest['n']} members)", f"/qualification/teams/{team.code}/?programme={slug}"),
        ("overview XLSX export", f"/qualification/export.xlsx?programme={slug}"),
        ("overview CSV export", f"/qualification/export.csv?programme={slug}"),
        ("API overview", f"/api/v1/qualification/overview/?programme={slug}"),
    ]

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    for label, url in pages:
        report(f"{label}", median_ms(lambda url=url: get(url), repeat=options.repeat), "ms", size=size)
        report(f"{label}: queries", count_queries(lambda url=url: get(url)), "queries", size=size)
    report("overview XLSX size", len(get(pages[3][1]).content) / 1024, "KiB", size=size)


if __name__ == "__main__":
    with override_settings(ALLOWED_HOSTS=["*"]):
        main()
