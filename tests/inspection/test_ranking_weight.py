"""The bureau may let the site score count in the team ranking, with a weight it sets; at 0 (the default) the
ranking is the share qualified alone, and a team whose site was never inspected is ranked on what it has."""

from datetime import date

import pytest
from django.utils import timezone

from certificates.qualification import selectors
from inspection.models import InspectedSite, InspectionRun, InspectionSettings
from tests.certificates.qualification.factories import CertificateFactory, ProgrammeFactory
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _team(code, *, people, certified, score=None):
    team = TeamFactory(code=code, name=code)
    members = [UserFactory(role="trainee", team=team) for _ in range(people)]
    for person in members[:certified]:
        CertificateFactory(holder=person, programme=PROGRAMME[0], team=team)
    if score is not None:
        site = InspectedSite.objects.create(team=team, name=code, base_url=f"http://{code}.example.gov.cn/")
        InspectionRun.objects.create(
            site=site, state="done", today=date(2026, 11, 30), finished_at=timezone.now(), verdict="pass", score=score
        )
    return team


PROGRAMME = []


@pytest.fixture
def programme(course):
    return ProgrammeFactory(name="常德市商务网站管理员资格", slug="webmaster", courses=[course])


@pytest.fixture
def teams(programme):
    PROGRAMME[:] = [programme]
    # A: everyone qualified, a poor site. B: 80 % qualified, a perfect site. C: 90 %, never inspected.
    return (
        _team("aa", people=5, certified=5, score=20),
        _team("bb", people=5, certified=4, score=100),
        _team("cc", people=10, certified=9),
    )


def _ranks(programme):
    overview = selectors.qualification_overview(programme=programme, teams=selectors.CountyTeam.objects.all())
    return {row.team.code: row.rank for row in overview.rows}


def test_without_a_weight_the_share_qualified_decides(programme, teams):
    assert _ranks(programme) == {"aa": 1, "cc": 2, "bb": 3}


def test_the_bureaus_weight_blends_in_the_site_score(programme, teams):
    setting = InspectionSettings.load()
    setting.ranking_weight = 50
    setting.save()
    # aa: 50 % × 100 + 50 % × 20 = 60; bb: 50 % × 80 + 50 % × 100 = 90; cc (no site): its 90 % alone.
    # bb and cc tie on the blend; the share qualified then puts cc first.
    assert _ranks(programme) == {"cc": 1, "bb": 2, "aa": 3}
    setting.ranking_weight = 0
    setting.save()
    assert _ranks(programme) == {"aa": 1, "cc": 2, "bb": 3}


def test_the_weight_is_refused_above_100(bureau_admin, client):
    from django.core.exceptions import ValidationError

    setting = InspectionSettings.load()
    setting.ranking_weight = 150
    with pytest.raises(ValidationError):
        setting.full_clean()


def test_only_the_bureau_edits_the_setting_in_the_admin(client, bureau_admin, trainer, trainee):
    url = "/admin/settings/inspection/inspectionsettings/"
    for person in (trainer, trainee):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code in (302, 403) and "ranking" not in response.content.decode()
    client.force_login(bureau_admin)
    assert client.get(url, follow=True).status_code == 200
