"""The JSON Lines format's additions: photos, corrections, revisions, old addresses,
batches; and the shipped example file."""

import json
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Revision

from sinmun.articles.models import Article
from sinmun.newsroom.models import Correction
from sinmun.transfer.jsonl import import_jsonl, import_lines
from sinmun.transfer.models import LegacyURL

from .helpers import make_image

pytestmark = pytest.mark.django_db
Image = get_image_model()
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "example.jsonl"


def record(**overrides):
    base = {
        "id": 301,
        "title": "사진이 있는 기사",
        "section": {"code": "photo", "name": "포토"},
        "reporter": {"name": "노을", "email": "noeul@example.com"},
        "registered_at": "2023-04-05T06:07:08+09:00",
        "body_html": "<p>첫 문단.</p>",
    }
    base.update(overrides)
    return json.dumps(base, ensure_ascii=False)


def write(tmp_path, *lines):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_shipped_example_imports_whole(settings):
    report = import_jsonl(EXAMPLE)
    assert report.errors == [] and report.created == 3
    bridge = Article.objects.get(pk=90001)
    assert [b.block_type for b in bridge.body] == [
        "photo",
        "paragraph",
        "quote",
        "photo",
        "paragraph",
    ]
    lead = bridge.body[0].value
    assert lead["credit"] == "솔내일보 오솔빛" and lead["alt"].startswith("솔내천 위를")
    assert bridge.body[3].value["caption"] == "솔내천 주변 통행 주민 수(솔내시 자료)"
    assert bridge.reporter.bio == "솔내시 시청과 시의회를 맡고 있습니다."
    (correction,) = Correction.objects.filter(article=bridge)
    assert correction.note.startswith("다리 폭을")
    assert correction.created_at == datetime.fromisoformat("2021-03-15T14:20:00+09:00")
    revisions = list(bridge.revisions.order_by("created_at"))
    assert [r.content["title"] for r in revisions] == ["솔내천 보행교 개통", bridge.title]
    assert bridge.latest_revision == revisions[-1] == bridge.live_revision
    assert set(LegacyURL.objects.values_list("path", flat=True)) == {
        "/news/articleView.html?idxno=3412",
        "/2021/03/15/solnae-bridge",
        "/?p=7781",
    }
    assert Image.objects.count() == 3
    market = Article.objects.get(pk=90002)
    assert [b.block_type for b in market.body] == ["paragraph", "photo", "paragraph"]
    assert not Article.objects.get(pk=90003).live
    # Rendered photos are real renditions of the imported files.
    assert "<figure" in bridge.rendered_body and ".webp" in bridge.rendered_body
    again = import_jsonl(EXAMPLE)
    assert (again.created, again.existing, Image.objects.count()) == (0, 3, 3)
    assert Revision.objects.filter(object_id="90001").count() == 2


def test_the_same_photo_twice_is_stored_once(tmp_path):
    make_image(tmp_path / "images" / "a.jpg")
    make_image(tmp_path / "images" / "copy.jpg")  # same bytes, other name
    path = write(
        tmp_path,
        record(images=[{"path": "images/a.jpg", "alt": "사진"}]),
        record(id=302, body_html='<p><img src="images/copy.jpg" alt="같은 사진"></p>'),
    )
    report = import_jsonl(path)
    assert report.errors == []
    assert Image.objects.count() == 1


@pytest.mark.parametrize(
    ("images", "body", "reason"),
    [
        ([{"path": "../../etc/passwd", "alt": "x"}], "", "폴더 밖"),
        ([{"path": "/etc/passwd", "alt": "x"}], "", "절대 경로"),
        ([{"path": "images/../../secret.jpg", "alt": "x"}], "", "폴더 밖"),
        ([], '<img src="../../etc/passwd" alt="x">', "폴더 밖"),
        ([{"path": "images/nope.jpg", "alt": "x"}], "", "없습니다"),
        ([], '<p><img src="images/nope.jpg" alt="x"></p>', "없습니다"),
        ([{"path": "images/not-a-photo.jpg", "alt": "x"}], "", "사진이 아닙니다"),
        ([{"alt": "x"}], "", "'path'"),
        (["images/a.jpg"], "", "객체"),
    ],
)
def test_bad_photo_references_refuse_the_record(tmp_path, images, body, reason):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "not-a-photo.jpg").write_text("hello", encoding="utf-8")
    (tmp_path.parent / "secret.jpg").write_bytes(b"")
    path = write(tmp_path, record(images=images, body_html=body or "<p>본문</p>"), record(id=9))
    report = import_jsonl(path)
    assert [n for n, _ in report.errors] == [1], report.errors
    assert reason in report.errors[0][1]
    assert list(Article.objects.values_list("pk", flat=True)) == [9]
    assert not Image.objects.exists()


def test_a_link_pointing_out_of_the_folder_is_refused(tmp_path):
    outside = make_image(tmp_path / "outside" / "x.jpg")
    folder = tmp_path / "export"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "link.jpg").symlink_to(outside)
    path = write(folder, record(images=[{"path": "images/link.jpg", "alt": "x"}]))
    report = import_jsonl(path)
    assert "폴더 밖" in report.errors[0][1]


def test_an_outside_photo_address_is_a_warning(tmp_path):
    path = write(tmp_path, record(body_html='<p>글</p><img src="https://cdn.example/x.jpg">'))
    report = import_jsonl(path)
    assert report.created == 1
    assert any("바깥 주소" in m for _, m in report.warnings)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"body_html": "가" * 1_000_001}, "'body_html' 값이 너무 깁니다"),
        ({"subtitle": "가" * 301}, "'subtitle' 값이 너무 깁니다"),
        ({"tags": ["x"] * 201}, "항목이 너무 많습니다"),
        (
            {"corrections": [{"note": "가" * 2001, "created_at": "2023-04-05T07:00:00+09:00"}]},
            "'note'",
        ),
        ({"corrections": [{"note": "정정", "created_at": "어제"}]}, "ISO 8601"),
        ({"corrections": "정정"}, "목록"),
        ({"legacy_urls": ["/" + "a" * 600]}, "너무 깁니다"),
        ({"legacy_urls": [5]}, "비어 있습니다"),
        ({"revisions": [{"title": "옛 제목"}]}, "'created_at'"),
        ({"id": 2**60}, "너무 큽니다"),
        ({"body": [{"type": "video", "value": "x"}]}, "블록 종류"),
        ({"body": [{"type": "quote", "value": {"text": ""}}]}, "블록(quote)"),
        ({"embargo": "yes"}, "'embargo'"),
    ],
)
def test_bad_and_huge_fields_are_reported(fields, reason):
    report = import_lines([record(**fields), record(id=302)])
    assert [n for n, _ in report.errors] == [1]
    assert reason in report.errors[0][1], report.errors
    assert list(Article.objects.values_list("pk", flat=True)) == [302]


def test_a_huge_line_is_reported_not_read():
    report = import_lines([b"{" + b" " * (5 * 1024 * 1024 + 1) + b"}", record(id=302).encode()])
    assert report.errors[0][0] == 1 and "줄이 너무 깁니다" in report.errors[0][1]
    assert report.created == 1


def test_internal_keys_in_a_file_are_ignored():
    # "_renumber" belongs to the WordPress import; a file cannot ask for it.
    import_lines([record(id=302)])
    report = import_lines([record(id=302, title="다른 기사", _renumber=True, legacy_urls=["/x"])])
    assert (report.created, report.existing) == (0, 1)


def test_batches_skip_bad_lines_alone_and_a_rerun_continues(tmp_path):
    lines = [record(id=n, title=f"기사 {n}") for n in range(1, 13)]
    lines[4] = record(id=5, title="")  # bad
    path = write(tmp_path, *lines)
    report = import_jsonl(path, batch_size=4)
    assert report.created == 11 and [n for n, _ in report.errors] == [5]
    # An interrupted run: the first batch went in, the rest did not.
    Article.objects.filter(pk__gt=4).delete()
    again = import_jsonl(path, batch_size=4)
    assert (again.created, again.existing) == (7, 4)
    assert Article.objects.count() == 11


def test_an_interruption_keeps_finished_batches(tmp_path):
    path = write(tmp_path, *[record(id=n, title=f"기사 {n}") for n in range(1, 10)])
    seen = []

    def stop_after_six(number):
        seen.append(number)
        if number == 6:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_jsonl(path, batch_size=4, progress=stop_after_six)
    assert sorted(Article.objects.values_list("pk", flat=True)) == [1, 2, 3, 4]
    report = import_jsonl(path, batch_size=4)
    assert (report.created, report.existing) == (5, 4)


def test_the_command_accepts_an_export_folder_and_shows_no_bar_off_a_terminal(tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "paper.jsonl").write_text(record() + "\n", encoding="utf-8")
    call_command("import_articles", str(folder))
    captured = capsys.readouterr()
    assert "새 기사 1건" in captured.out and "\r" not in captured.err
