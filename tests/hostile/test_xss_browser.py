"""A sample of the XSS corpus in headless Chromium: no dialog, no injected element, nothing
logged by a payload, no script URL a click could follow.

72 payloads (8 of each family, over all contexts) are stored at model level, batched
into a few pages: one article carrying all of them in its body blocks and correction
notes, 72 articles titled with them (listed on section, search, ranking and corrections
pages), banners and site settings. Chromium loads each page from the Django test client
through Playwright's request routing, so the pages come from the same database
transaction as the test, on an origin of their own (http://sinmun.test).
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from sinmun.articles.models import Article, Section
from sinmun.newsroom.models import Correction
from sinmun.readers.models import ArticleCounter
from sinmun.search.services import BulkIndexer
from sinmun.sitesettings.models import Banner, SiteProfile

from . import tally
from .test_xss import SEARCH_WORD, _fit, _image
from .xss_corpus import sample

pytestmark = [pytest.mark.django_db, pytest.mark.e2e]

ORIGIN = "http://sinmun.test"
SAMPLE = sample(8)

# Run in the page after load: what a payload could have left behind.
INSPECT = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    if (/^xss\\d+$/.test(el.id)) found.push('element #' + el.id + ' <' + el.localName + '>');
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) found.push('<' + el.localName + ' ' + a.name + '>');
    }
    for (const name of ['href', 'src', 'action', 'formaction', 'data', 'xlink:href']) {
      const v = el.getAttribute(name);
      if (v === null) continue;
      try {
        const p = new URL(v, location.href).protocol;
        if (['javascript:', 'vbscript:', 'data:'].includes(p)) found.push('<' + el.localName + ' ' + name + '=' + p + '>');
      } catch (e) {}
    }
  }
  for (const s of document.scripts) {
    if (s.type !== 'application/ld+json' && !(s.src || '').startsWith(location.origin + '/static/')) found.push('script ' + (s.src || s.text.slice(0, 40)));
  }
  if (window.__xss && window.__xss.length) found.push('ran: ' + window.__xss.join(','));
  return found;
}"""
# Before any page script: note any call a payload could make.
WATCH = """
window.__xss = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  const original = window[name];
  window[name] = function (...args) { window.__xss.push(name + ':' + args.join(' ')); return original.apply(this, args); };
}
"""


def build_world(image):
    from django.utils import timezone

    now = timezone.now()
    section = Section.objects.create(name="사회", code="society")
    blocks = []
    with BulkIndexer(background=False):
        for k, p in enumerate(SAMPLE):
            article = Article(
                title=_fit(Article, "title", p.text),
                subtitle=_fit(Article, "subtitle", p.text),
                section=section,
                body=json.dumps(
                    [
                        {"type": "paragraph", "value": p.text},
                        {"type": "paragraph", "value": f"<p>{SEARCH_WORD} 소식</p>"},
                    ],
                    ensure_ascii=False,
                ),
                live=True,
                first_published_at=now - timezone.timedelta(minutes=200 - k),
            )
            article.tags.add(p.text[:100])  # a cluster relation: stored by the save
            article.save()
            ArticleCounter.objects.create(article=article, views=10 + k)
            blocks += [
                {"type": "paragraph", "value": p.text},
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
            ]
            if k % 6 == 0:
                Banner.objects.create(
                    label=p.text[:60], url=p.text[:500], description=p.text[:200], order=k
                )
        omnibus = Article(
            title="모든 견본",
            section=section,
            body=json.dumps(blocks, ensure_ascii=False),
            live=True,
            first_published_at=now - timezone.timedelta(minutes=1),
        )
        omnibus.save()
    for p in SAMPLE:
        Correction.objects.create(article=omnibus, note=p.text[:2000])
    profile = SiteProfile.load()
    for i, field in enumerate(("tagline", "company", "publisher", "address", "youth_policy")):
        setattr(profile, field, _fit(SiteProfile, field, SAMPLE[i * 7].text))
    profile.save()
    return omnibus, section


def test_sample_runs_nothing_in_chromium(browser, settings):
    settings.ALLOWED_HOSTS = ["sinmun.test", "testserver"]
    image = _image()
    omnibus, section = build_world(image)
    from django.contrib.auth.models import User

    staff = User.objects.create_superuser("hostile-root", password="pw-hostile-1234")
    reader, editor = Client(), Client()
    editor.force_login(staff)
    preview = reverse("wagtailsnippets_articles_article:preview_on_edit", args=[omnibus.pk])
    from wagtail.admin.forms.models import WagtailAdminModelForm  # noqa: F401 - loads admin

    from tests.hostile.test_xss import contentstate

    data = {
        "title": "미리보기",
        "subtitle": SAMPLE[3].text[:300],
        "section": section.pk,
        "reporter": "",
        "tags": "",
        "go_live_at": "",
        "expire_at": "",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value": contentstate(SAMPLE[10]),
    }
    assert editor.post(preview, data).json()["is_valid"]
    pages = [
        ("article", omnibus.get_absolute_url(), reader),
        ("mobile article", omnibus.get_mobile_url(), reader),
        ("print", reverse("articles:article_print", args=[omnibus.pk]), reader),
        ("home", "/", reader),
        ("ranking", "/ranking/", reader),
        ("corrections", "/corrections/", reader),
        ("youth policy", "/policy/youth/", reader),
        ("admin preview", preview, editor),
    ]
    pages += [("section", f"{section.get_absolute_url()}?page={n}", reader) for n in (1, 2, 3, 4)]
    pages += [
        ("search results", f"/search?q={SEARCH_WORD}&sort=newest&page={n}", reader) for n in (1, 4)
    ]
    tag = omnibus.__class__.objects.exclude(pk=omnibus.pk).first().tags.first()
    pages.append(("tag", reverse("articles:tag", args=[tag.slug]), reader))

    # Render every page (and the static files they load) first: the route handler runs
    # where this test's database transaction is not visible, so it only hands out bytes.
    served = {}
    for _kind, path, client in pages:
        response = client.get(path, HTTP_HOST="sinmun.test")
        served[unquote(path)] = (
            response.status_code,
            response.get("Content-Type", ""),
            response.content,
        )
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', response.content.decode()):
            if asset not in served:
                static = reader.get(asset, HTTP_HOST="sinmun.test")
                body = b"".join(static) if static.streaming else static.content
                served[asset] = (static.status_code, static.get("Content-Type", ""), body)

    context = browser.new_context(java_script_enabled=True)
    context.add_init_script(WATCH)

    def serve(route):
        key = unquote(route.request.url[len(ORIGIN) :])
        status, kind, body = served.get(key, (404, "text/plain", b""))
        route.fulfill(status=status, headers={"content-type": kind or "text/html"}, body=body)

    context.route(f"{ORIGIN}/**", serve)
    context.route(lambda url: not url.startswith(ORIGIN), lambda route: route.abort())
    page = context.new_page()
    dialogs, console = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    failures = {}
    for kind, path, _client in pages:
        dialogs.clear(), console.clear()
        response = page.goto(ORIGIN + path, wait_until="load")
        assert response.status < 500, (path, response.status)
        page.wait_for_timeout(150)  # animations (<svg><animate onbegin>), autofocus
        found = page.evaluate(INSPECT)
        found += [f"dialog: {m}" for m in dialogs]
        found += [f"console: {m}" for m in console if "xss" in m]
        tally.note_surface("XSS (Chromium)", kind)
        if found:
            failures[path] = found
    # The detectors detect: a payload left unsanitised is caught by each of them.
    dialogs.clear()
    page.set_content("<img src=x id=xss0 onerror=\"alert('xss0')\"><a href='java\tscript:1'>x</a>")
    page.wait_for_timeout(150)
    assert dialogs == ["xss0"]
    assert len(page.evaluate(INSPECT)) >= 3  # the id, the handler, the script URL
    context.close()
    for p in SAMPLE:
        hit = any(p.marker in str(v) for v in failures.values())
        tally.count("XSS (Chromium)", p.family, "crashed" if hit else "neutralised")
    assert not failures, failures
