import pytest

from sinmun.sitesettings.models import SiteProfile

BASE = "https://news.example.kr"


@pytest.fixture(autouse=True)
def _base_url(settings):
    """A public address unlike the test client's host, so absolute URLs prove their source."""
    settings.SINMUN_BASE_URL = BASE
    settings.SINMUN_FEED_FULL_TEXT = False


@pytest.fixture
def profile(db):
    profile = SiteProfile.load()
    profile.name = "새여울일보"
    profile.tagline = "우리 동네 이야기를 가장 가까이에서"
    profile.company = "(주)새여울미디어"
    profile.save()
    return profile


def local_path(url: str) -> str:
    """Return the path of an absolute site URL, failing if it is not on the site."""
    assert url.startswith(BASE + "/"), url
    return url[len(BASE) :]
