from sinmun.syndication.photos import absolutize_html, lead_photo

from .conftest import BASE

BODY = (
    "<p>첫 문단</p>"
    '<figure class="photo"><img src="/media/images/a.width-720.format-webp.webp" '
    'srcset="/media/images/a.width-720.format-webp.webp 720w, '
    '/media/images/a.width-1200.format-webp.webp 1200w" width="720" height="405" '
    'alt="강변 &amp; 산책로"><figcaption>설명</figcaption></figure>'
    '<figure class="photo"><img src="/media/images/b.jpg" width="10" height="10" alt="둘째"></figure>'
)


def test_lead_photo_is_the_first_image_at_its_widest():
    photo = lead_photo(BODY)
    assert photo.url == "/media/images/a.width-1200.format-webp.webp"
    assert (photo.width, photo.height) == (1200, 675)
    assert photo.alt == "강변 & 산책로"
    assert photo.mime_type == "image/webp"
    assert photo.absolute_url() == BASE + photo.url


def test_lead_photo_without_srcset_and_without_image():
    photo = lead_photo('<p>글</p><img src="https://cdn.example.com/x.png" alt="">')
    assert (photo.url, photo.width, photo.height, photo.mime_type) == (
        "https://cdn.example.com/x.png",
        None,
        None,
        "image/png",
    )
    assert photo.absolute_url() == "https://cdn.example.com/x.png"
    assert photo.file_size() == 0  # not in our storage: size unknown
    assert lead_photo("<p>사진 없는 기사</p>") is None
    assert lead_photo("") is None
    assert lead_photo('<img alt="주소 없음">') is None


def test_absolutize_html_rewrites_site_paths_only():
    html = (
        '<a href="/article/3/">안</a> <a href="https://other.example/x">밖</a> '
        '<a href="//cdn.example/y">cdn</a> <a href="mailto:a@b.c">메일</a>' + BODY
    )
    out = absolutize_html(html)
    assert f'href="{BASE}/article/3/"' in out
    assert 'href="https://other.example/x"' in out
    assert 'href="//cdn.example/y"' in out
    assert 'href="mailto:a@b.c"' in out
    assert f'src="{BASE}/media/images/a.width-720.format-webp.webp"' in out
    assert (
        f'srcset="{BASE}/media/images/a.width-720.format-webp.webp 720w, '
        f'{BASE}/media/images/a.width-1200.format-webp.webp 1200w"'
    ) in out
    assert '"/media' not in out and " /media" not in out
