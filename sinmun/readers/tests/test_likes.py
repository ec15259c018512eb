"""추천: one per visitor, counted exactly, the article page still cookie-free."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from sinmun.readers.models import ArticleCounter, ArticleLike
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


def visitor(ip="203.0.113.20", ua=UA):
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)


def like(client, article):
    state = client.get(reverse("readers:article_state", args=[article.pk])).json()
    return client.post(
        reverse("readers:article_like", args=[article.pk]),
        HTTP_X_CSRFTOKEN=state["csrfToken"],
        HTTP_ACCEPT="application/json",
    )


def test_like_once_per_visitor():
    article = make_article(likes=4)
    reader = visitor()
    first = like(reader, article)
    assert first.status_code == 200
    assert first.json() == {"likes": 5, "message": "추천했습니다.", "added": True}
    second = like(reader, article)
    assert second.json()["likes"] == 5 and second.json()["added"] is False
    assert second.json()["message"] == "이미 추천한 기사입니다."
    assert ArticleCounter.objects.get(article=article).likes == 5
    state = reader.get(reverse("readers:article_state", args=[article.pk])).json()
    assert state["liked"] is True and state["likes"] == 5
    # The page shows the count.
    page = Client().get(article.get_absolute_url()).content.decode()
    assert 'data-testid="like-count">5<' in page


def test_another_visitor_counts():
    article = make_article()
    like(visitor(ua=UA + " a"), article)
    like(visitor(ua=UA + " b"), article)
    like(visitor(ip="198.51.100.1"), article)
    assert ArticleCounter.objects.get(article=article).likes == 3
    assert ArticleLike.objects.filter(article=article).count() == 3


def test_one_address_cycling_user_agents_is_capped(settings):
    settings.SINMUN_LIKES_PER_ADDRESS = 3
    article = make_article()
    results = [like(visitor(ua=f"{UA} {n}"), article).json()["added"] for n in range(5)]
    assert results == [True, True, True, False, False]
    assert ArticleCounter.objects.get(article=article).likes == 3


def test_like_without_token_is_refused_in_korean():
    article = make_article()
    response = visitor().post(
        reverse("readers:article_like", args=[article.pk]), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    assert "보안 확인이 만료되었습니다" in response.json()["error"]
    assert ArticleCounter.objects.get(article=article).likes == 0


def test_like_works_without_javascript():
    article = make_article()
    reader = visitor()
    page = reader.get(reverse("readers:article_like", args=[article.pk]))
    html = page.content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    done = reader.post(
        reverse("readers:article_like", args=[article.pk]), {"csrfmiddlewaretoken": token}
    )
    assert done.status_code == 200
    assert "추천했습니다." in done.content.decode()
    assert ArticleCounter.objects.get(article=article).likes == 1


def test_counter_row_missing_is_created():
    article = make_article()
    ArticleCounter.objects.filter(article=article).delete()
    assert like(visitor(), article).json()["likes"] == 1


def test_unpublished_article_cannot_be_liked():
    draft = make_article(live=False)
    response = visitor().get(reverse("readers:article_state", args=[draft.pk]))
    assert response.status_code == 404


def test_article_page_sets_no_cookie_and_is_public():
    article = make_article()
    for url in (article.get_absolute_url(), article.get_mobile_url()):
        response = Client().get(url)
        assert response.status_code == 200
        assert not response.cookies
        assert "public" in response["Cache-Control"]
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html
        assert 'data-testid="like-button"' in html
        assert 'data-testid="email-link"' in html
        assert "sinmun/reader.js" in html and " defer" in html


def test_state_endpoint_scopes_csrf_cookie_to_reader_paths():
    article = make_article()
    response = Client().get(reverse("readers:article_state", args=[article.pk]))
    assert response["Cache-Control"].count("no-store") == 1
    assert "private" in response["Cache-Control"]
    cookie = response.cookies["csrftoken"]
    assert cookie["path"] == "/reader/"
    assert len(response.cookies) == 1
    assert json.loads(response.content)["likes"] == 0


@pytest.mark.parametrize("forgery", ["cross-site origin", "another visitor's token"])
def test_a_forged_like_is_refused_and_counts_nothing(forgery):
    # A real forgery, not a missing token: the request carries a well-formed token but
    # comes from another site, or pairs the victim's cookie with the attacker's token.
    article = make_article(likes=2)
    victim = visitor()
    token = victim.get(reverse("readers:article_state", args=[article.pk])).json()["csrfToken"]
    if forgery == "cross-site origin":
        victim.defaults["HTTP_ORIGIN"] = "https://evil.example"
    else:
        attacker = visitor(ip="198.51.100.66")
        token = attacker.get(reverse("readers:article_state", args=[article.pk])).json()[
            "csrfToken"
        ]
    response = victim.post(
        reverse("readers:article_like", args=[article.pk]),
        HTTP_X_CSRFTOKEN=token,
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403
    assert "보안 확인이 만료되었습니다" in response.json()["message"]
    assert ArticleCounter.objects.get(article=article).likes == 2
    assert not ArticleLike.objects.filter(article=article).exists()
