"""Team qualification at scale: the bureau overview, a team page, the XLSX export and the overview API,
timed and with their query counts, on data made by `generate_scale_data`.

Default sizes are small so `make bench` stays quick; the issue's sizes:
    python benchmarks/bench_qualification.py --teams 1000 --trainees 10000 --attempts 200000
"""

import argparse

from harness import count_queries, median_ms, report, setup_django

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--teams", type=int, default=100)
parser.add_argument("--trainees", type=int, default=1000)
parser.add_argument("--attempts", type=int, default=20000)
parser.add_argument("--repeat", type=int, default=5)
options = parser.parse_args()

setup_django()

from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from certificates.qualification.scale import generate  # noqa: E402
from lms.models import CountyTeam, Membership, Role  # noqa: E402
from tests.factories import UserFactory  # noqa: E402


def main() -> None:
    import time

    started = time.monotonic()
    data = generate(teams=options.teams, trainees=options.trainees, attempts=options.attempts, log=lambda line: None)
    size = f"{options.teams:,} teams, {options.trainees:,} trainees, {data['certificates']:,} certificates, {data['quiz attempts']:,} attempts"
    report("generate_scale_data (bulk inserts)", time.monotonic() - started, "s", size=size)
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
