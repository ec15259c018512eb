from datetime import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.text import slugify
from wagtail.images import get_image_model

from sinmun.articles.models import Article
from sinmun.readers.models import ArticleCounter
from sinmun.transfer.models import LegacyURL
from sinmun.transfer.wxr import import_wxr, is_wxr
from tests.support.factories import make_article

from .helpers import WXR_FILE, make_uploads

pytestmark = pytest.mark.django_db
Image = get_image_model()


@pytest.fixture
def uploads(tmp_path):
    return make_uploads(tmp_path / "uploads")


@pytest.fixture
def imported(uploads):
    # Article 17 already exists: WordPress post 17 must take another number.
    make_article(pk=17, title="원래 있던 17번 기사")
    return import_wxr(WXR_FILE, uploads=uploads)


def test_the_file_is_recognised_as_wxr(tmp_path):
    assert is_wxr(WXR_FILE)
    other = tmp_path / "a.jsonl"
    other.write_text('{"id": 1}\n', encoding="utf-8")
    assert not is_wxr(other)


def test_posts_become_articles_and_the_rest_is_counted(imported):
    report = imported
    assert report.created == 5
    assert report.ignored == {"attachment": 2, "page": 1, "nav_menu_item": 1, "post:trash": 1}
    assert [n for n, _ in report.errors] == [7, 11]
    assert "wp:post_date_gmt" in report.errors[0][1] and "2020-02-31" in report.errors[0][1]
    assert "겹칩니다" in report.errors[1][1]
    assert report.where(7) == "항목 7(wp:post_id 16)"
    assert not Article.objects.filter(title="날짜가 잘못된 글").exists()


def test_a_gutenberg_post_with_featured_and_body_images(imported):
    article = Article.objects.get(pk=11)
    assert article.title == "한빛구의회, 내년 예산 4,210억 원 의결"
    assert article.subtitle == "한빛천 정비와 마을버스 증차에 무게"
    assert (article.section.code, article.section.name) == ("politics", "정치")
    assert (article.reporter.name, article.reporter.email) == ("김나루", "naru.kim@example.com")
    assert article.first_published_at == datetime.fromisoformat("2020-12-31T12:50:22+09:00")
    assert article.modified_at == datetime.fromisoformat("2021-01-02T09:10:00+09:00")
    assert article.live and article.is_public
    kinds = [b.block_type for b in article.body]
    assert kinds == ["photo", "paragraph", "photo", "quote", "paragraph"]
    lead = article.body[0].value
    assert lead["alt"] == "긴 탁자에 둘러앉은 구의원들"
    assert lead["caption"] == "예산안을 설명하는 구의원들"
    assert lead["image"].title == "council"
    river = article.body[2].value
    assert river["alt"] == "겨울 햇빛에 반짝이는 한빛천"
    assert river["caption"] == "예산 가운데 120억 원이 한빛천 정비에 쓰인다."
    assert river["image"].title == "river"  # -300x200 copy missing: the original is used
    assert article.body[3].value["attribution"] == "한빛구의회 예산결산특별위원장"
    html = article.rendered_body
    assert "<script" not in html and "wp:" not in html and "<!--" not in html
    assert "<strong>마을버스 증차</strong>" in html
    assert sorted(t.name for t in article.tags.all()) == ["구의회", "예산"]
    assert ArticleCounter.objects.get(article=article).views == 5120
    assert set(article.legacy_urls.values_list("path", flat=True)) == {
        "/?p=11",
        "/2020/12/31/council-budget",
    }


def test_a_classic_post_with_caption_shortcode_and_unknown_author(imported):
    article = Article.objects.get(pk=12)
    assert article.section.name == "사회"
    code = article.section.code
    assert code.isascii() and slugify(code) == code
    assert sorted(t.name for t in article.tags.all()) == ["철새", "환경"]
    assert article.reporter.name == "parkhaneul"
    assert article.modified_at is None  # modified 30 s after publishing is the publish itself
    kinds = [b.block_type for b in article.body]
    assert kinds == ["paragraph", "photo", "paragraph"]
    photo = article.body[1].value
    assert (
        photo["caption"] == "한빛천 하류의 청둥오리 떼"
        and photo["alt"] == "물 위에 떠 있는 오리 떼"
    )
    html = article.rendered_body
    assert "산책로에 관찰 안내판을 세우고<br>" in html
    assert "<h2>관찰 요령</h2>" in html and "[gallery" not in html
    warnings = [m for n, m in imported.warnings if n == 3]
    assert any("parkhaneul" in m for m in warnings)
    assert any("gallery" in m for m in warnings)


def test_drafts_renumbering_and_missing_things(imported):
    draft = Article.objects.get(pk=13)
    assert not draft.live and draft.first_published_at is None
    assert draft.reporter.name == "서윤슬" and draft.reporter.email == ""  # bad address dropped
    assert Article.objects.get(pk=17).title == "원래 있던 17번 기사"
    ((old, new),) = imported.renumbered
    assert old == 17 and new == 22  # above every id in the file
    moved = Article.objects.get(pk=new)
    assert moved.title.startswith("번호가 겹치는 글")
    assert [b.block_type for b in moved.body] == ["paragraph"]  # outside photo not fetched
    assert LegacyURL.objects.get(path="/?p=17").article_id == new
    notes = " ".join(m for n, m in imported.warnings if n == 8)
    assert "library.jpg" in notes and "cdn.other.example" in notes
    orphan = Article.objects.get(pk=18)
    assert orphan.reporter is None and orphan.section.name == "미분류"
    assert Image.objects.count() == 3


def test_running_it_again_adds_nothing(imported, uploads):
    articles = Article.objects.count()
    again = import_wxr(WXR_FILE, uploads=uploads)
    assert (again.created, again.existing) == (0, 5)
    assert Article.objects.count() == articles
    assert Image.objects.count() == 3
    assert LegacyURL.objects.count() == 9


def test_without_an_uploads_folder_posts_come_in_without_photos():
    report = import_wxr(WXR_FILE)
    assert report.created == 5
    assert [b.block_type for b in Article.objects.get(pk=11).body] == [
        "paragraph",
        "quote",
        "paragraph",
    ]
    assert any("--uploads" in m for _, m in report.warnings)
    assert not Image.objects.exists()


def test_an_imported_post_is_found_by_search(imported, client):
    response = client.get("/search", {"q": "철새"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="search-count">기사 1건<' in page
    assert 'href="/article/12/"' in page


BROKEN = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>첫 글</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
<wp:status>publish</wp:status><wp:post_date_gmt>2021-01-01 00:00:00</wp:post_date_gmt></item>
<item><title>깨진 글</wp:post_id>
"""


def test_broken_xml_is_refused_as_a_whole(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(BROKEN, encoding="utf-8")
    report = import_wxr(path)
    assert report.created == 0 and not Article.objects.exists()
    ((number, message),) = report.errors
    assert number == 0 and "XML 형식이 깨져 있습니다" in message and "6번째 줄" in message


def test_entity_declarations_are_refused(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>\n'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2'
        "</wp:wxr_version><item><title>&b;</title></item></channel></rss>",
        encoding="utf-8",
    )
    report = import_wxr(path)
    assert "엔티티" in report.errors[0][1] and not Article.objects.exists()


def test_xml_that_is_not_a_wordpress_export_is_refused(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text("<rss><channel><item><title>x</title></item></channel></rss>", "utf-8")
    assert "WXR" in import_wxr(path).errors[0][1]


def test_the_command_detects_wxr_and_reports_by_item(uploads, capsys):
    with pytest.raises(CommandError, match="2개 항목"):
        call_command("import_articles", str(WXR_FILE), "--uploads", str(uploads))
    captured = capsys.readouterr()
    assert "새 기사 5건" in captured.out
    assert "attachment 2건" in captured.out
    assert f"{WXR_FILE}:항목 7(wp:post_id 16): 건너뜀" in captured.err
    assert Article.objects.filter(pk=11).exists()


def test_the_command_refuses_a_missing_uploads_folder(tmp_path):
    with pytest.raises(CommandError, match="--uploads"):
        call_command("import_articles", str(WXR_FILE), "--uploads", str(tmp_path / "nope"))
