"""Plain text from a body keeps a space between blocks, on every surface readers see.

The editor writes one ``<p>`` per paragraph and the rendered body joins blocks with
nothing between them, so text taken from it must not read "밝혔다.시는" (issue: bugs a
new user meets in the first hour, item 5). Each surface is read through HTTP.
"""

import json
import re
from html import unescape
from urllib.parse import quote

import pytest
from defusedxml import ElementTree

from sinmun.articles.models import Article
from sinmun.core.sanitize import plain_text
from sinmun.search.backends import get_backend
from tests.support.factories import make_article, make_section

pytestmark = pytest.mark.django_db

# One paragraph block with two paragraphs (what Draftail stores when the reporter presses
# Enter), then a quote and a heading: the blocks meet with no whitespace between them.
LEAD = "<p>시장은 예산을 늘리겠다고 밝혔다.</p><p>시는 다음 달 공청회를 연다.</p>"
GLUED = "밝혔다.시는"
SPACED = "밝혔다. 시는"


@pytest.fixture
def article():
    section = make_section("사회", "society")
    article = make_article(title="예산 공청회", section=section)
    article.body = json.dumps(
        [
            {"type": "paragraph", "value": LEAD},
            {"type": "quote", "value": {"text": "모두의 예산입니다.", "attribution": "시장"}},
            {"type": "paragraph", "value": "<h2>올해 달라지는 것들</h2><p>구는 조례를 바꾼다.</p>"},
        ],
        ensure_ascii=False,
    )
    article.save()
    article.save_revision(log_action=False, clean=False).publish(log_action=False)
    return Article.objects.get(pk=article.pk)


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_the_stored_excerpt_keeps_paragraphs_apart(article):
    assert article.excerpt == "시장은 예산을 늘리겠다고 밝혔다. 시는 다음 달 공청회를 연다."


def test_feed_item_description(client, article):
    response = client.get("/rss/")
    assert response.status_code == 200
    items = ElementTree.fromstring(response.content).iter("item")
    (description,) = [
        i.findtext("description") for i in items if i.findtext("title") == "예산 공청회"
    ]
    assert SPACED in description and GLUED not in description


@pytest.mark.parametrize("path", ["/", "/section/society/", "/m/", "/m/section/society/"])
def test_home_and_list_excerpts(client, article, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert SPACED in html and GLUED not in html


def test_og_description_and_json_ld_description(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    (og,) = re.findall(r'<meta property="og:description" content="([^"]*)"', html)
    assert SPACED in unescape(og)
    (ld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert SPACED in json.loads(ld)["description"]
    assert GLUED not in html


def test_search_snippet_and_index_text(client, article):
    response = client.get("/search?q=" + quote("공청회"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-article-id="{article.pk}"' in html
    snippet = text_of(html)
    assert SPACED in snippet and GLUED not in snippet


def test_the_search_index_does_not_join_blocks(article):
    # Kiwi reads a heading glued to the next paragraph ("것들구는") as a compound "것들구".
    (document,) = get_backend().stored_documents([article.pk]).values()
    assert "것들구" not in document.body
    assert {"조례", "구", "공청회", "시"} <= set(document.body)


def test_a_word_split_by_inline_markup_stays_one_word():
    assert (
        plain_text("<p><b>밝</b>혔다</p><p>시는 <a href='/x'>오늘</a>&lt;</p>")
        == "밝혔다 시는 오늘<"
    )
