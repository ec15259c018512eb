import json
from datetime import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Revision

from sinmun.articles.models import Article, Reporter, Section
from sinmun.readers.models import ArticleCounter
from sinmun.sitesettings.models import Banner, SiteProfile
from sinmun.transfer.demo import DEMO_FILE, load_demo
from sinmun.transfer.jsonl import import_jsonl, import_lines
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def record(**overrides):
    base = {
        "id": 101,
        "title": "새 다리 개통",
        "subtitle": "",
        "section": {"code": "S1N2", "name": "사회"},
        "reporter": {"name": "한아름", "email": "areum@example.com"},
        "registered_at": "2024-05-01T09:30:15+09:00",
        "modified_at": None,
        "status": "published",
        "body_html": "<p>첫 문단.</p><p>둘째 문단.</p>",
        "tags": ["교통"],
        "views": 12,
        "likes": 3,
    }
    base.update(overrides)
    return json.dumps(base, ensure_ascii=False)


def test_import_creates_a_published_article_with_its_fields():
    report = import_lines([record()])
    assert report.errors == [] and report.created == 1
    article = Article.objects.get(pk=101)
    assert article.title == "새 다리 개통"
    assert article.live and article.is_public
    assert article.first_published_at == datetime.fromisoformat("2024-05-01T09:30:15+09:00")
    assert article.section.code == "S1N2" and article.reporter.name == "한아름"
    assert [t.name for t in article.tags.all()] == ["교통"]
    assert "<p>첫 문단.</p>" in article.rendered_body
    assert article.excerpt.startswith("첫 문단.")
    assert article.live_revision is not None and article.latest_revision == article.live_revision
    counter = ArticleCounter.objects.get(article=article)
    assert (counter.views, counter.likes) == (12, 3)


def test_running_an_import_twice_changes_nothing():
    lines = [record(), record(id=102, title="둘째 기사")]
    first = import_lines(lines)
    snapshot = (
        list(Article.objects.values_list("pk", "title", "first_published_at", "live")),
        Revision.objects.count(),
        list(ArticleCounter.objects.values_list("article_id", "views")),
    )
    second = import_lines(lines)
    assert (first.created, second.created, second.existing) == (2, 0, 2)
    assert second.errors == []
    assert snapshot == (
        list(Article.objects.values_list("pk", "title", "first_published_at", "live")),
        Revision.objects.count(),
        list(ArticleCounter.objects.values_list("article_id", "views")),
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "JSON 형식 오류"),
        ("[1, 2]", "JSON 객체"),
        (record(title=""), "'title' 값이 없습니다"),
        (record(title="가" * 301), "너무 깁니다"),
        (record(id="12"), "'id'"),
        (record(id=-3), "'id'"),
        (record(status="hidden"), "'status'"),
        (record(registered_at="2024-13-01T00:00:00+09:00"), "ISO 8601"),
        (record(registered_at="2024-05-01T09:30:15"), "시간대"),
        (record(registered_at=None), "'registered_at' 값이 없습니다"),
        (record(modified_at="2024-04-01T00:00:00+09:00"), "이릅니다"),
        (record(section={"code": "사회", "name": "사회"}), "섹션 코드"),
        (record(section="사회"), "'section'"),
        (record(reporter={"name": "", "email": "x@example.com"}), "이름이 없습니다"),
        (record(reporter={"name": "한아름", "email": "not-an-address"}), "이메일"),
        (record(views=-1), "'views'"),
        (record(tags="교통"), "'tags'"),
        (json.dumps({"type": "poll"}), "알 수 없는 레코드"),
    ],
)
def test_a_bad_line_is_reported_with_its_number_and_the_rest_imported(line, reason):
    report = import_lines([record(id=1), line, record(id=3)])
    assert [n for n, _ in report.errors] == [2]
    assert reason in report.errors[0][1]
    assert sorted(Article.objects.values_list("pk", flat=True)) == [1, 3]


def test_non_utf8_and_duplicate_ids_are_reported():
    report = import_lines([record(id=7).encode(), b"\xff\xfe broken", record(id=7).encode()])
    assert report.created == 1
    assert report.errors[0][0] == 2 and "UTF-8" in report.errors[0][1]
    assert report.errors[1][0] == 3 and "1번째 줄과 겹칩니다" in report.errors[1][1]


def test_a_failed_line_leaves_nothing_half_written():
    # The section is new and valid, but the title is too long: neither is kept.
    import_lines([record(section={"code": "newsec", "name": "새 섹션"}, title="가" * 400)])
    assert not Section.objects.filter(code="newsec").exists()
    assert not Reporter.objects.exists()


def test_body_html_is_sanitized_and_split_into_blocks():
    body = (
        '<p onclick="steal()">본문 <a href="javascript:alert(1)">링크</a></p>'
        "<script>alert(1)</script>"
        "<blockquote><p>인용한 말</p><cite>말한 사람</cite></blockquote>"
        "느슨한 <b>글자</b>"
    )
    import_lines([record(body_html=body)])
    article = Article.objects.get(pk=101)
    kinds = [block.block_type for block in article.body]
    assert kinds == ["paragraph", "quote", "paragraph"]
    assert article.body[1].value["attribution"] == "말한 사람"
    html = article.rendered_body
    assert "onclick" not in html and "javascript:" not in html and "<script" not in html
    assert "<p>느슨한 <b>글자</b></p>" in html


def test_draft_is_kept_as_a_draft_and_not_public():
    import_lines([record(status="draft", registered_at=None)])
    article = Article.objects.get(pk=101)
    assert not article.live and article.first_published_at is None
    assert not Article.objects.public().exists()


def test_new_articles_are_numbered_after_imported_ones():
    import_lines([record(id=900)])
    article = make_article(title="새로 쓴 기사")
    assert article.pk > 900


def test_site_record_sets_the_profile_and_banners_once():
    site = json.dumps(
        {
            "type": "site",
            "name": "가상일보",
            "registration_number": "가상 아 00000",
            "registration_date": "2019-01-02",
            "banners": [{"label": "캠페인", "url": "/ranking/"}],
        },
        ensure_ascii=False,
    )
    import_lines([site])
    import_lines([site])
    profile = SiteProfile.load()
    assert profile.name == "가상일보" and str(profile.registration_date) == "2019-01-02"
    assert Banner.objects.count() == 1


def test_site_record_with_a_bad_banner_url_is_refused():
    site = json.dumps({"type": "site", "banners": [{"label": "나쁜", "url": "javascript:x"}]})
    report = import_lines([site])
    assert report.errors and "배너" in report.errors[0][1]
    assert not Banner.objects.exists()


def test_import_command_reports_errors_and_fails(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(record() + "\n{oops\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_articles", str(path))
    err = capsys.readouterr().err
    assert f"{path}:2: 건너뜀" in err
    assert Article.objects.filter(pk=101).exists()


def test_import_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="파일이 없습니다"):
        call_command("import_articles", str(tmp_path / "nope.jsonl"))


def test_demo_paper_is_a_whole_paper():
    report = load_demo()
    assert report.errors == []
    public = Article.objects.public()
    assert public.count() >= 15
    assert Section.objects.filter(articles__in=public).distinct().count() >= 5
    assert Reporter.objects.filter(articles__in=public).distinct().count() >= 4
    years = {a.first_published_at.year for a in public}
    assert len(years) >= 4
    assert Article.objects.filter(live=False).exists(), "the demo shows a draft in the admin"
    views = list(ArticleCounter.objects.order_by("-views").values_list("views", flat=True)[:8])
    assert len(set(views)) == 8, "a clear top 7"
    assert Banner.objects.exists()
    assert SiteProfile.load().missing_legal_fields == []
    assert import_jsonl(DEMO_FILE).created == 0


def test_search_and_sitemaps_are_right_right_after_an_import(client):
    from datetime import timedelta

    from django.utils import timezone

    from sinmun.syndication.sitemaps import ARTICLES_PER_SITEMAP

    import_lines([record(id=101, title="물빛 다리 개통")])
    assert "sitemap-articles-1.xml" in client.get("/sitemap.xml").content.decode()
    number = 2 * ARTICLES_PER_SITEMAP + 1  # a new sitemap page
    recent = (timezone.now() - timedelta(hours=2)).isoformat()
    report = import_lines(
        [record(id=number, title="솔내천 징검다리 복원", registered_at=recent, views=900)]
    )
    assert report.created == 1
    index = client.get("/sitemap.xml", {"after": "import"}).content.decode()
    assert "sitemap-articles-3.xml" in index
    page = client.get("/sitemap-articles-3.xml").content.decode()
    assert f"/article/{number}/" in page
    results = client.get("/search", {"q": "징검다리"}).content.decode()
    assert f'data-article-id="{number}"' in results
