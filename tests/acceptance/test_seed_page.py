"""Acceptance: the seed page, imported through the JSON Lines import, renders with its
elements (DESIGN.md, issue 2)."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import User

from sinmun.transfer.jsonl import import_lines

from .seed import SEED_PATH, parse_seed, seed_records

pytestmark = pytest.mark.django_db

if not SEED_PATH.exists():
    pytest.skip(
        f"the seed page {SEED_PATH} is absent (a plain clone without ../shared); "
        "the acceptance test needs it",
        allow_module_level=True,
    )

SEED = parse_seed(SEED_PATH.read_text(encoding="utf-8"))


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def seed_site():
    report = import_lines(seed_records(SEED))
    assert report.errors == []
    assert report.created == 1 + len(SEED.ranked)


def test_seed_file_parses_into_the_elements_we_compare():
    assert SEED.reporter == "조기환"
    assert SEED.registered == "2020-12-31 12:50:22"
    assert len(SEED.paragraphs) == 9
    assert len(SEED.ranked) == 7
    assert SEED.banner


def test_seed_article_page_matches_the_reference(client, seed_site):
    response = client.get("/article/5001/")
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)

    assert SEED.title in text
    assert (
        "<h1" in html
        and unescape(re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)) == SEED.title
    )
    assert f"{SEED.reporter} 기자" in text
    assert f"등록 {SEED.registered}" in text
    for paragraph in SEED.paragraphs:
        assert squash(paragraph) in squash(text), paragraph[:30]

    for element in (
        "목록 바로가기",
        "인쇄",
        "다음 기사 보기",
        "이전 기사 보기",
        "가장 많이 본 뉴스",
        "더보기",
        "모바일 버전 바로가기",
        SEED.banner,
    ):
        assert element in text, element
    # 기사수정 is for staff who may edit; an anonymous reader never sees it.
    assert "기사수정" not in text


def test_seed_most_viewed_in_the_seed_order(client, seed_site):
    html = client.get("/article/5001/").content.decode()
    box = re.search(r'data-testid="most-viewed".*?</section>', html, re.S).group(0)
    items = [visible_text(li) for li in re.findall(r"<li>(.*?)</li>", box, re.S)]
    assert len(items) == 7
    for rendered, expected in zip(items, SEED.ranked, strict=True):
        # Excerpts are cut at a fixed length on both sides; compare the opening.
        assert squash(rendered)[:80] == squash(expected)[:80]


def test_seed_article_links_all_work(client, seed_site):
    html = client.get("/article/5001/").content.decode()
    hrefs = set(re.findall(r'href="(/[^"]*)"', html))
    assert hrefs, "the page links somewhere"
    for href in sorted(hrefs):
        response = client.get(unescape(href))
        assert response.status_code in (200, 301, 302), href


def test_seed_edit_link_for_staff_who_may_edit(client, seed_site):
    editor = User.objects.create_superuser("desk", "desk@example.com", "pw-for-tests-only")
    client.force_login(editor)
    response = client.get("/article/5001/")
    assert "기사수정" in visible_text(response.content.decode())
    assert "private" in response["Cache-Control"]
