import pytest

from tests.inspection.sites import Site, build_clean_site, build_defect_site


@pytest.fixture
def external_site():
    site = Site()
    base = site.start()
    yield site, base
    site.stop()


@pytest.fixture
def clean_site():
    site = build_clean_site()
    base = site.start()
    yield site, base
    site.stop()


@pytest.fixture
def defect_site(external_site):
    site = build_defect_site(external_site[1])
    base = site.start()
    yield site, base
    site.stop()
