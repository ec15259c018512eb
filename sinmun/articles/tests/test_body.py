"""The stored, rendered body: which photo loads at once, and what the sanitizer adds."""

import io
import json

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from sinmun.core.sanitize import clean_html
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def _image(title: str):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "navy").save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title}.png")
    )


def _photo(title: str) -> dict:
    return {"type": "photo", "value": {"image": _image(title).pk, "alt": title, "caption": ""}}


def _paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def _imgs(article) -> list[str]:
    html = article.rendered_body
    return [html[i : html.index(">", i)] for i in range(len(html)) if html.startswith("<img", i)]


def _with_body(blocks: list[dict]):
    article = make_article()
    article.body = json.dumps(blocks, ensure_ascii=False)
    article.save()
    return article


def test_the_first_photo_near_the_top_loads_at_once_the_rest_lazily():
    article = _with_body(
        [_paragraph("첫 문단"), _photo("첫사진"), _paragraph("둘"), _photo("둘째")]
    )
    first, second = _imgs(article)
    assert 'loading="eager" fetchpriority="high"' in first and "lazy" not in first
    assert 'loading="lazy"' in second and "fetchpriority" not in second


def test_a_photo_far_down_the_body_stays_lazy():
    blocks = [_paragraph(f"문단 {n}") for n in range(5)] + [_photo("아래사진")]
    (only,) = _imgs(_with_body(blocks))
    assert 'loading="lazy"' in only and "fetchpriority" not in only


def test_an_image_without_alt_gets_an_empty_one_and_a_described_one_is_kept():
    assert clean_html('<p><img src="/a.jpg"></p>') == '<p><img alt="" src="/a.jpg"></p>'
    assert clean_html('<img src="/a.jpg" alt="시청 전경">') == '<img src="/a.jpg" alt="시청 전경">'
    # An attribute value that merely contains the word is not an alt.
    assert clean_html('<img src="/x alt=y.jpg">').startswith('<img alt=""')
    # Text that only looks like an image is left as text.
    assert clean_html("<p>&lt;img src=x&gt;</p>") == "<p>&lt;img src=x&gt;</p>"
