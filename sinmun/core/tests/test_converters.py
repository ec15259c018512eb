"""Out-of-range numbers in addresses answer 404, never 500 (sinmun/core/converters.py).

The URL patterns are read from the resolver, so a pattern added later is covered (and a
sinmun pattern written with Django's unbounded ``<int:…>`` fails the first test).
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from sinmun.core.converters import MAX_ID, DatabaseIdConverter
from tests.support.factories import make_article, make_reporter, make_section

HUGE = "9" * 30
NUMBER_CONVERTERS = (IntConverter, DatabaseIdConverter)


def _walk(patterns, prefix="", converters=None):
    """Yield (route, converters, pattern) for every URL pattern under ``patterns``."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        found = dict(converters or {})
        if isinstance(entry.pattern, RoutePattern):
            found.update(entry.pattern.converters)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route, found)
        elif isinstance(entry, URLPattern):
            yield route, found, entry


def _routes():
    # Regex patterns (a few of Wagtail's) are left out: only path() routes can be filled in.
    # Wagtail's admin/failwhale/ raises on purpose (to try the error page).
    return [
        (route, converters, entry)
        for route, converters, entry in _walk(get_resolver().url_patterns)
        if "(?P<" not in route and "^" not in route and not entry.lookup_str.endswith(".error_test")
    ]


def _ours(route: str, entry) -> bool:
    """A pattern sinmun writes itself (the admin's, sinmun views included, are Wagtail's)."""
    return entry.lookup_str.startswith("sinmun.") and not route.startswith("admin/")


def _fill(route: str, values: dict[str, str], number: str) -> str:
    """The address of ``route`` with every number placeholder set to ``number``."""

    def value(match):
        kind, name = match.groups()
        return number if kind in ("int", "id") else values.get(name, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


NUMBERED = [
    (route, entry)
    for route, converters, entry in _routes()
    if any(isinstance(c, NUMBER_CONVERTERS) for c in converters.values())
]


def test_every_sinmun_url_with_a_number_uses_the_bounded_converter():
    ours = [(route, c) for route, c, entry in _routes() if _ours(route, entry)]
    assert any("<id:" in route for route, _ in ours)  # the walk sees our patterns at all
    unbounded = [
        route
        for route, converters in ours
        if any(type(c) is IntConverter for c in converters.values())
    ]
    assert unbounded == [], "use <id:…> (sinmun/core/converters.py), not <int:…>"


def test_the_converter_takes_every_database_id_and_nothing_larger():
    converter = DatabaseIdConverter()
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    with pytest.raises(ValueError):
        converter.to_python(str(MAX_ID + 1))
    assert re.fullmatch(converter.regex, HUGE) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "entry"), [p for p in NUMBERED if _ours(*p)], ids=lambda v: str(v).split(" ")[0]
)
@pytest.mark.parametrize("number", [HUGE, str(MAX_ID + 1)])
def test_a_sinmun_url_with_a_number_too_large_answers_404(client, route, entry, number):
    make_article(title="있는 기사")
    url = _fill(route, {}, number)
    assert client.get(url).status_code == 404, url
    # A POST may meet a neighbouring pattern that only reads (sitemap-<slug>.xml): 405.
    assert client.post(url).status_code in (404, 405), url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["article", "article_print", "mobile_article", "reporter", "reader_state"]
)
def test_the_largest_database_id_is_an_ordinary_missing_page(client, name):
    routes = {
        "article": "/article/{}/",
        "article_print": "/article/{}/print/",
        "mobile_article": "/m/article/{}/",
        "reporter": "/reporter/{}/",
        "reader_state": "/reader/article/{}/state/",
    }
    assert client.get(routes[name].format(MAX_ID)).status_code == 404


@pytest.mark.django_db
def test_no_numbered_url_fails_on_a_huge_number_for_staff(client):
    """Every numbered address, the admin's too, signed in as a superuser. Wagtail's own
    patterns keep ``<int:…>``: its views look rows up through the ORM, which answers "not
    found" for a number out of range; kept true here."""
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    failures = []
    for route, _ in NUMBERED:
        url = _fill(route, {}, HUGE)
        status = client.get(url).status_code
        if status >= 500:
            failures.append((url, status))
    assert len(NUMBERED) > 20
    assert failures == []


@pytest.mark.django_db
def test_every_list_answers_a_huge_page_number_without_an_error(client):
    """``?page=<30 digits>`` (and other bad pages) on every address, reader and admin:
    the list's 404 or its first page, never a 500."""
    section = make_section(name="사회", code="S1N2")
    reporter = make_reporter()
    article = make_article(title="목록 기사", section=section, reporter=reporter, tags=["선거"])
    values = {"code": section.code, "slug": "선거", "section": section.code}
    routes = sorted(_routes(), key=lambda r: r[0].startswith("admin/"))  # readers first
    root = User.objects.create_superuser("root", "root@example.com", "pw")
    failures = []
    for route, _, _ in routes:
        if route.startswith("admin/") and "_auth_user_id" not in client.session:
            client.force_login(root)
        number = str(reporter.pk if route.startswith("reporter/") else article.pk)
        url = _fill(route, {**values, "pk": number}, number)
        # The admin (about 300 addresses, Wagtail's paginators) with the huge page only.
        pages = (HUGE,) if route.startswith("admin/") else (HUGE, "-1", "0", "1e3", "٣")
        for page in pages:
            status = client.get(url, {"page": page, "q": "기사"}).status_code
            if status >= 500:
                failures.append((url, page, status))
    assert failures == []
