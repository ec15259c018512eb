"""Stored XSS: the whole payload corpus in every field that renders, every public surface checked.

Payloads are written straight into the models (as an import or a script would, with no
form in between) and, for a sample, posted through the real admin forms. Each reader
surface is then rendered and parsed the way a browser parses it (tests/hostile/checks.py):
no script but ours, no event handler, no script URL, no element carrying a payload's
marker, JSON-LD that parses and cannot be closed early, feeds and sitemaps that are
well-formed XML with harmless HTML inside.

The corpus goes in in chunks of 30 payloads (one savepoint each), so a page carries
30 payloads in its navigation, banners and lists rather than 390 — the pages stay the
size of a real paper's. Within the CI budget, the list pages (home, ranking, corrections,
search, feeds, sitemaps) show every payload; one-object pages are rendered for a rotating
share (article pages every 2nd payload, reporter pages every 3rd, mobile/print/section/
tag pages every 6th), since they print the same fields through the same filters;
``SINMUN_HOSTILE_FULL=1`` renders every one-object page for every payload.
"""

from __future__ import annotations

import json
import os
from io import BytesIO

import PIL.Image
import pytest
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from wagtail.images import get_image_model

from sinmun.articles.models import Article, Reporter, Section
from sinmun.core.sanitize import clean_html
from sinmun.newsroom.models import Correction
from sinmun.readers.models import ArticleCounter
from sinmun.search.services import BulkIndexer
from sinmun.sitesettings.models import Banner, SiteProfile

from . import tally
from .checks import page_problems, xml_problems
from .xss_corpus import PAYLOADS, Payload

pytestmark = pytest.mark.django_db

SUITE = "XSS (model saves)"
CHUNK = 30
FULL = os.environ.get("SINMUN_HOSTILE_FULL") == "1"
SEARCH_WORD = "해오름"
PROFILE_FIELDS = (
    "name",
    "tagline",
    "company",
    "registration_number",
    "publisher",
    "editor",
    "youth_protection_officer",
    "address",
    "phone",
    "youth_policy",
)


def _fit(model, field: str, text: str) -> str:
    """Cut ``text`` to the column's length, as the database would hold it."""
    limit = model._meta.get_field(field).max_length
    return text[:limit] if limit else text


def _image():
    buffer = BytesIO()
    PIL.Image.new("RGB", (160, 90), "teal").save(buffer, "PNG")
    return get_image_model().objects.create(title="사진", file=ImageFile(buffer, name="x.png"))


def _body(p: Payload, image) -> str:
    return json.dumps(
        [
            {"type": "paragraph", "value": p.text},
            {"type": "paragraph", "value": f"<p>{SEARCH_WORD} 마을 소식입니다.</p>"},
            {
                "type": "photo",
                "value": {
                    "image": image.pk,
                    "alt": p.text[:250],
                    "caption": p.text[:500],
                    "credit": p.text[:120],
                },
            },
            {"type": "quote", "value": {"text": p.text, "attribution": p.text[:200]}},
        ],
        ensure_ascii=False,
    )


def build_chunk(chunk: list[Payload], image, start: int) -> dict:
    """Write every payload of ``chunk`` into every field that reaches a reader."""
    from django.utils import timezone

    now = timezone.now()
    articles, sections, reporters = [], [], []
    with BulkIndexer(background=False):
        for k, p in enumerate(chunk):
            n = start + k
            section = Section.objects.create(
                name=_fit(Section, "name", p.text)[:54] + f" #{n}", code=f"h{n}", order=k
            )
            reporter = Reporter.objects.create(
                name=_fit(Reporter, "name", p.text), bio=_fit(Reporter, "bio", p.text)
            )
            article = Article(
                title=_fit(Article, "title", p.text),
                subtitle=_fit(Article, "subtitle", p.text),
                section=section,
                reporter=reporter,
                body=_body(p, image),
                live=True,
                first_published_at=now - timezone.timedelta(minutes=60 - k),
                last_published_at=now - timezone.timedelta(minutes=60 - k),
            )
            article.tags.add(p.text[:100])  # a cluster relation: stored by the save
            article.save()
            ArticleCounter.objects.create(article=article, views=100 + k)
            Correction.objects.create(article=article, note=_fit(Correction, "note", p.text))
            Banner.objects.create(
                label=_fit(Banner, "label", p.text),
                url=_fit(Banner, "url", p.text),
                description=_fit(Banner, "description", p.text),
                order=k,
            )
            articles.append(article)
            sections.append(section)
            reporters.append(reporter)
    profile = SiteProfile.load()
    for i, field in enumerate(PROFILE_FIELDS):
        setattr(profile, field, _fit(SiteProfile, field, chunk[i % len(chunk)].text))
    profile.save()
    return {"articles": articles, "sections": sections, "reporters": reporters}


def _every(items, step=3):
    """All of ``items`` in a full run, else every ``step``-th (the CI budget)."""
    return items if FULL else items[::step]


def surfaces(world, chunk) -> tuple[list, list]:
    """(kind, path, marker) of every reader page that shows one of the chunk's fields;
    marker names the payload a one-object page belongs to (None: all of the chunk)."""
    arts, secs, reps = world["articles"], world["sections"], world["reporters"]
    marks = [p.marker for p in chunk]
    pairs = list(zip(arts, marks, strict=True))
    pages = [("article", a.get_absolute_url(), m) for a, m in _every(pairs, 2)]
    for a, m in _every(pairs, 6):
        pages.append(("mobile article", a.get_mobile_url(), m))
        pages.append(("print", reverse("articles:article_print", args=[a.pk]), m))
        for tag in a.tags.all():
            pages.append(("tag", reverse("articles:tag", args=[tag.slug]), m))
    pages += [
        ("section", s.get_absolute_url(), m)
        for s, m in _every(list(zip(secs, marks, strict=True)), 6)
    ]
    pages += [
        ("mobile section", reverse("articles:mobile_section", args=[s.code]), m)
        for s, m in zip(secs[:2], marks, strict=False)
    ]
    pages += [
        ("reporter", r.get_absolute_url(), m)
        for r, m in _every(list(zip(reps, marks, strict=True)), 3)
    ]
    pages += [
        (kind, path, None)
        for kind, path in (
            ("home", "/"),
            ("mobile home", "/m/"),
            ("ranking", "/ranking/"),
            ("mobile ranking", "/m/ranking/"),
            ("corrections", "/corrections/"),
            ("corrections", "/corrections/?page=2"),
            ("youth policy", "/policy/youth/"),
            ("search results", f"/search?q={SEARCH_WORD}&sort=newest"),
            ("search results", f"/search?q={SEARCH_WORD}&sort=newest&page=2"),
            ("search results", f"/search?q={SEARCH_WORD}&sort=newest&page=3"),
            ("mobile search", f"/m/search?q={SEARCH_WORD}&sort=newest"),
        )
    ]
    feeds = [
        (kind, path, None)
        for kind, path in (
            ("RSS", "/rss/"),
            ("RSS", "/rss/allArticle.xml"),
            ("section RSS", f"/rss/section/{secs[0].code}/"),
            ("sitemap", "/sitemap.xml"),
            ("news sitemap", "/sitemap-news.xml"),
            ("article sitemap", "/sitemap-articles-1.xml"),
        )
    ]
    return pages, feeds


@pytest.fixture(scope="module")
def image(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        img = _image()
        yield img
        img.delete()


CHUNKS = [PAYLOADS[i : i + CHUNK] for i in range(0, len(PAYLOADS), CHUNK)]


def _check_pages(client, pages, feeds) -> dict[str, dict]:
    """Render each page; return {path: {"marker": owner, "problems": [...]}} for bad ones."""
    found: dict[str, dict] = {}
    for check, items in ((page_problems, pages), (xml_problems, feeds)):
        for kind, path, marker in items:
            response = client.get(path)
            tally.note_surface(SUITE, kind)
            if response.status_code != 200:
                problems = [f"status {response.status_code}"]
            else:
                body = response.content
                problems = check(body.decode() if check is page_problems else body)
            if problems:
                found[path] = {"marker": marker, "problems": problems}
    return found


@pytest.mark.parametrize("number", range(len(CHUNKS)), ids=lambda n: f"chunk{n}")
def test_stored_payloads_render_harmless(number, image, settings):
    chunk = CHUNKS[number]
    settings.SINMUN_FEED_FULL_TEXT = number % 2 == 1  # both kinds of feed
    world = build_chunk(chunk, image, start=number * CHUNK)
    pages, feeds = surfaces(world, chunk)
    found = _check_pages(Client(), pages, feeds)
    for p in chunk:
        hit = any(
            v["marker"] in (None, p.marker) and (v["marker"] or p.marker in str(v["problems"]))
            for v in found.values()
        )
        tally.count(SUITE, p.family, "crashed" if hit else "neutralised")
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)[:4000]


def test_rendered_body_holds_only_sanitised_html(image):
    """The stored body (what every surface prints with |safe) is clean for every payload."""
    section = Section.objects.create(name="본문", code="body-only")
    bad = {}
    for p in PAYLOADS:
        article = Article(title="t", section=section, body=_body(p, image), live=False)
        article.refresh_derived_fields()
        problems = page_problems(article.rendered_body, fragment=True)
        if problems or clean_html(article.rendered_body) != article.rendered_body:
            bad[p.marker] = problems or ["not a fixed point of clean_html"]
    assert not bad, bad


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert('xss1')",
        " javascript:alert('xss1')",
        "JAVASCRIPT:alert('xss1')",
        "java\tscript:alert('xss1')",
        "\x01javascript:alert('xss1')",
        "data:text/html,<script>alert('xss1')</script>",
        "vbscript:msgbox('xss1')",
        "&#106;avascript:alert('xss1')",
        '/" onmouseover="alert(1)',
    ],
)
def test_banner_url_saved_without_validation_cannot_run(url, client):
    """A banner written by a script (no form, no clean()) still links nowhere harmful."""
    Banner.objects.create(label="캠페인", url=url)
    html = client.get("/").content.decode()
    tally.note_surface(SUITE, "banner link")
    problems = page_problems(html)
    hrefs = [p for p in problems if "script URL" in p or "event handler" in p]
    tally.count("XSS (banner URLs)", "banner_url", "crashed" if problems else "neutralised")
    assert not hrefs and not problems, problems


@pytest.fixture
def editor(db):
    from django.contrib.auth.models import Group, User

    from sinmun.newsroom.roles import ADMIN, DESK

    # The desk writes and corrects articles; the admin role keeps sections, reporters
    # and the site settings: one person holding both reaches every form.
    user = User.objects.create_user("hostile-admin", password="pw-hostile-1234")
    user.groups.add(Group.objects.get(name=ADMIN), Group.objects.get(name=DESK))
    return user


ADMIN_SAMPLE = [p for i, p in enumerate(PAYLOADS) if i % 39 == 0]  # 10, across families


def contentstate(p: Payload) -> str:
    """What Draftail posts for a paragraph, written by hand: the payload as text, and a
    link whose URL is a script (the editor would never build it; a forged POST can)."""
    url = p.text if p.family == "js_url" else f"javascript:alert('{p.marker}')"
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "unstyled",
                    "depth": 0,
                    "text": p.text,
                    "inlineStyleRanges": [{"offset": 0, "length": 3, "style": "BOLD"}],
                    "entityRanges": [{"offset": 0, "length": min(len(p.text), 8), "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}},
        }
    )


def _admin_post(client, url, data):
    response = client.post(url, data)
    assert response.status_code < 500, (url, response.status_code)
    return response


def test_admin_forms_store_payloads_harmlessly(client, editor, image):
    """The real admin forms (article, reporter, section, banner, correction, settings) take
    the sample; what they accept renders harmless, what they refuse says why."""
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    client.force_login(editor)
    suite = "XSS (admin forms)"
    section = Section.objects.create(name="관리", code="admin-x")
    for n, p in enumerate(ADMIN_SAMPLE):
        # an article, through the snippet create view, then published
        data = nested_form_data(
            {
                "title": p.text[:300],
                "subtitle": p.text[:300],
                "section": section.pk,
                "reporter": "",
                "body": streamfield(
                    [
                        ("paragraph", contentstate(p)),
                        (
                            "photo",
                            {
                                "image": image.pk,
                                "alt": p.text[:250],
                                "caption": p.text[:500],
                                "credit": p.text[:120],
                            },
                        ),
                        ("quote", {"text": p.text, "attribution": p.text[:200]}),
                    ]
                ),
                "tags": p.text[:90].replace(",", " "),
                "go_live_at": "",
                "expire_at": "",
            }
        )
        data["action-publish"] = "action-publish"
        before = Article.objects.count()
        response = _admin_post(client, reverse("wagtailsnippets_articles_article:add"), data)
        created = Article.objects.count() == before + 1
        outcomes = []
        if created:
            article = Article.objects.order_by("-id").first()
            assert article.live, "published through the form"
            for path in (
                article.get_absolute_url(),
                article.get_mobile_url(),
                reverse("articles:article_print", args=[article.pk]),
            ):
                problems = page_problems(client.get(path).content.decode())
                assert not problems, (p.marker, path, problems)
            # and the edit form opens again on what was stored
            edit = client.get(reverse("wagtailsnippets_articles_article:edit", args=[article.pk]))
            assert edit.status_code == 200, (p.marker, edit.status_code)
            outcomes.append("neutralised")
        else:
            assert response.status_code == 200  # the form again, with its errors
            outcomes.append("refused")
        # preview of the same form data (the editor's preview pane)
        preview_url = reverse("wagtailsnippets_articles_article:preview_on_add")
        answer = client.post(preview_url, data)
        assert answer.status_code == 200
        if answer.json().get("is_valid"):
            html = client.get(preview_url).content.decode()
            tally.note_surface(suite, "admin preview")
            assert not page_problems(html), (p.marker, page_problems(html))
        # reporter, section, correction, banner, settings
        forms = [
            (
                "wagtailsnippets_articles_reporter:add",
                {"name": p.text[:60], "email": "", "bio": p.text[:2000], "photo": "", "user": ""},
            ),
            (
                "wagtailsnippets_articles_section:add",
                {"name": p.text[:50] + f" {n}", "code": f"adm{n}", "order": "0"},
            ),
            (
                "wagtailsnippets_sitesettings_banner:add",
                {
                    "label": p.text[:60],
                    "url": "/section/admin-x/",
                    "description": p.text[:200],
                    "active": "on",
                    "order": "0",
                },
            ),
            (
                "wagtailsnippets_sitesettings_banner:add",
                {"label": "링크", "url": p.text[:500], "active": "on", "order": "0"},
            ),
        ]
        if created:
            forms.append(
                (
                    "wagtailsnippets_newsroom_correction:add",
                    {"article": article.pk, "note": p.text[:2000]},
                )
            )
        for name, fields in forms:
            response = _admin_post(client, reverse(name), fields)
            outcomes.append("refused" if response.status_code == 200 else "neutralised")
        profile = SiteProfile.load()
        settings_url = reverse("wagtailsettings:edit", args=["sitesettings", "siteprofile"])
        fields = dict.fromkeys(PROFILE_FIELDS, p.text[:40])
        fields.update(email="", registration_date="", publication_date="", logo="")
        response = _admin_post(client, settings_url, fields)
        outcomes.append("refused" if response.status_code == 200 else "neutralised")
        profile.refresh_from_db()
        # everything the forms accepted, on the pages that show it
        client.logout()
        reader = Client()
        for path in ("/", "/m/", "/corrections/", "/policy/youth/", "/section/admin-x/"):
            problems = page_problems(reader.get(path).content.decode())
            assert not problems, (p.marker, path, problems)
        for reporter in Reporter.objects.order_by("-id")[:1]:
            problems = page_problems(reader.get(reporter.get_absolute_url()).content.decode())
            assert not problems, (p.marker, "reporter", problems)
        assert not xml_problems(reader.get("/rss/").content)
        client.force_login(editor)
        for outcome in outcomes:
            tally.count(suite, p.family, outcome)
        tally.note_surface(suite, "article/mobile/print/home/corrections/policy/reporter/RSS")


def test_admin_edit_form_opens_on_stored_payloads(client, editor, image):
    """An article whose body came in around the editor (an import, a script) still opens
    in the admin: Wagtail converts the stored HTML back for Draftail."""
    client.force_login(editor)
    section = Section.objects.create(name="편집", code="edit-x")
    failed = {}
    for p in PAYLOADS[::20]:
        article = Article(title=p.text[:300], section=section, body=_body(p, image), live=False)
        article.save()
        response = client.get(reverse("wagtailsnippets_articles_article:edit", args=[article.pk]))
        tally.count(
            "XSS (admin edit form)",
            p.family,
            "crashed" if response.status_code >= 500 else "neutralised",
        )
        if response.status_code != 200:
            failed[p.marker] = response.status_code
    assert not failed, failed
