"""The reader's search page: results, pages, filters, and every kind of bad input."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from tests.support.factories import make_article, make_reporter, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper():
    society = make_section("사회", "society")
    culture = make_section("문화", "culture")
    kim = make_reporter("김가람")
    yoon = make_reporter("윤다솜")
    now = timezone.now()
    articles = {
        "care": make_article(
            title="어르신 돌봄 로봇 시범 운영",
            section=society,
            reporter=kim,
            paragraphs=[
                "구는 홀로 사는 어르신 집에 말벗 로봇을 두는 시범 사업을 시작했다.",
                "로봇은 약 먹을 시간을 알려 주고 돌봄 담당자에게 안부를 전한다.",
            ],
            registered_at=now - timedelta(days=40),
        ),
        "concert": make_article(
            title="구민회관 작은 음악회",
            section=culture,
            reporter=yoon,
            paragraphs=["주말마다 구민회관에서 무료 음악회가 열린다. 돌봄 가정도 초대한다."],
            registered_at=now - timedelta(days=2),
        ),
    }
    return {"sections": (society, culture), "reporters": (kim, yoon), "articles": articles}


def get(client, url):
    response = client.get(url)
    assert response.status_code < 500, url
    return response


def test_results_are_ranked_highlighted_and_noindex(client, paper):
    response = get(client, "/search?q=" + quote("돌봄을"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"
    care, concert = paper["articles"]["care"], paper["articles"]["concert"]
    # Title match first; both found; the query word is marked in title and snippet.
    assert html.index(f'data-article-id="{care.pk}"') < html.index(
        f'data-article-id="{concert.pk}"'
    )
    assert "어르신 <mark>돌봄</mark> 로봇" in html
    assert "<mark>돌봄</mark> 가정도" in html
    assert "기사 2건" in html
    assert "public" in response["Cache-Control"]


def test_trailing_slash_and_mobile_edition(client, paper):
    assert get(client, "/search/?q=" + quote("로봇")).status_code == 200
    response = get(client, "/m/search?q=" + quote("로봇"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "mobile.css" in html
    assert paper["articles"]["care"].get_mobile_url() in html


def test_empty_query_page(client, paper):
    html = get(client, "/search").content.decode()
    assert 'data-testid="search-empty-query"' in html
    assert "찾을 낱말을 입력해 주세요" in html
    html = get(client, "/search?q=%20%20").content.decode()
    assert 'data-testid="search-empty-query"' in html


def test_no_results_page_is_clear_and_echoes_the_query_safely(client, paper):
    response = get(client, "/search?q=" + quote('우주정거장 <script>alert("x")</script>'))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="search-no-results"' in html
    assert "검색 결과가 없습니다" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_query_with_no_searchable_word(client, paper):
    html = get(client, "/search?q=" + quote("!!! ??? ...")).content.decode()
    assert 'data-testid="search-no-terms"' in html


def test_filters_by_section_reporter_and_dates(client, paper):
    society, culture = paper["sections"]
    kim, yoon = paper["reporters"]
    care, concert = paper["articles"]["care"], paper["articles"]["concert"]
    q = "/search?q=" + quote("돌봄")

    def ids(url):
        html = get(client, url).content.decode()
        return {a.pk for a in (care, concert) if f'data-article-id="{a.pk}"' in html}

    assert ids(q) == {care.pk, concert.pk}
    assert ids(q + "&section=culture") == {concert.pk}
    assert ids(q + f"&reporter={kim.pk}") == {care.pk}
    week_ago = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert ids(q + f"&from={week_ago}") == {concert.pk}
    assert ids(q + f"&to={week_ago}") == {care.pk}
    # The day a piece was registered is inside a to= of that day (Asia/Seoul).
    day = timezone.localtime(concert.first_published_at).date().isoformat()
    assert ids(q + f"&from={day}&to={day}") == {concert.pk}


def test_bad_filters_are_explained_not_fatal(client, paper):
    response = get(
        client,
        "/search?q=" + quote("돌봄") + "&section=nope&reporter=abc&from=2024-13-45&to=x&sort=evil",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "선택한 섹션이 없어" in html
    assert "선택한 기자가 없어" in html
    assert "연-월-일로 적어 주세요" in html
    assert 'data-testid="search-results"' in html
    html = get(client, "/search?q=" + quote("돌봄") + "&from=2024-05-01&to=2024-01-01").content
    assert "시작 날짜가 끝 날짜보다 늦어" in html.decode()


def test_pagination_keeps_the_query_and_filters(client):
    section = make_section("경제", "economy")
    for i in range(23):
        make_article(title=f"골목상권 살리기 {i}호", section=section)
    response = get(client, "/search?q=" + quote("골목상권") + "&section=economy")
    html = response.content.decode()
    assert html.count('class="item search-result"') == 10
    assert "기사 23건" in html
    assert (
        'rel="next" href="?q=%EA%B3%A8%EB%AA%A9%EC%83%81%EA%B6%8C&amp;section=economy&amp;page=2"'
        in html
    )
    html = get(client, "/search?q=" + quote("골목상권") + "&section=economy&page=3").content
    assert html.decode().count('class="item search-result"') == 3
    # Out-of-range and nonsense page numbers land on a real page.
    for page in ("999999", "-1", "abc", "1e9", "0"):
        response = get(client, "/search?q=" + quote("골목상권") + f"&page={page}")
        assert response.status_code == 200
        assert 'class="item search-result"' in response.content.decode()


HOSTILE = [
    "a" * 20_000,
    "돌봄 " * 4000,
    '"',
    '"""',
    '돌봄"',
    "*",
    "돌봄*",
    "(",
    ")",
    "((돌봄",
    "title:돌봄",
    "^돌봄",
    "-돌봄",
    "NEAR(돌봄 로봇, 2)",
    "돌봄 AND",
    "OR",
    "AND OR NOT",
    "돌봄 OR 로봇 NOT 음악회",
    "'; DROP TABLE articles_article; --",
    "\\",
    "돌봄\x00로봇",
    "\x01\x02\x1b[31m돌봄",
    "\u200b\u200e\ufeff",
    "!@#$%^&*()_+-=[]{}|;:,.<>?/~`",
    "{} {{ }} {% %}",
    "%s %d %(x)s",
    "'돌봄':*",
    "돌봄 & 로봇 | !음악회",
    "<mark>돌봄</mark>",
    "🎉🎉🎉",
    "ㄱㄴㄷ ㅏㅑ",
    "１２３ ＡＢＣ",
    "韓中日",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_fail(client, paper, query):
    response = client.get("/search", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>돌봄</mark></mark>" not in html
    assert "<script" not in html.split("</head>")[1]


def test_raw_bad_bytes_in_the_query_string(client, paper):
    for raw in ("q=%FF%FE", "q=%ED%A0%80", "q=%", "q=%%%", "q[]=1&q=2", "q=" + "%00" * 50):
        response = client.get("/search?" + raw)
        assert response.status_code == 200, raw


def test_long_query_is_cut_with_a_note(client, paper):
    html = get(client, "/search?q=" + quote("돌봄 " + "가" * 300)).content.decode()
    assert "100자까지만" in html


def test_news_solution_search_url_redirects(client, paper):
    response = client.get("/news/articleList.html?sc_word=" + quote("돌봄"))
    assert response.status_code == 301
    assert response["Location"] == "/search?q=" + quote("돌봄")
    response = client.get("/news/articleList.html?sc_section_code=culture&sc_word=" + quote("돌봄"))
    assert response.status_code == 301
    assert response["Location"] == "/search?q=" + quote("돌봄") + "&section=culture"
    followed = client.get(response["Location"])
    assert f'data-article-id="{paper["articles"]["concert"].pk}"' in followed.content.decode()
    # Without sc_word the old list URL keeps its meaning.
    assert client.get("/news/articleList.html?sc_section_code=culture")["Location"] == (
        "/section/culture/"
    )


def test_masthead_has_a_search_form(client, paper):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'action="/search"' in html
    html = client.get("/m/").content.decode()
    assert 'action="/m/search"' in html


def test_search_page_runs_a_fixed_number_of_queries(client, paper, django_assert_max_num_queries):
    client.get("/search?q=" + quote("돌봄"))  # warm the site-settings cache
    # sections, reporters, count, page of ids, the articles themselves
    with django_assert_max_num_queries(6):
        response = client.get("/search?q=" + quote("돌봄"))
    assert response.status_code == 200
