"""Every reader page of the demo paper passes axe-core (WCAG 2.0/2.1 A and AA and best
practices) and the Nu Html Checker (no error, no warning), and reflows without sideways
scrolling or cut-off content at 320 CSS px and at 200 % zoom."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.template import loader
from wagtail.models import Collection

from sinmun.articles.models import Article
from sinmun.syndication.tests.factories import make_photo_article
from sinmun.transfer.demo import load_demo

from .conftest import ROOT, describe_violations, describe_vnu, run_axe, run_vnu

pytestmark = pytest.mark.django_db(transaction=True)

STATIC = ROOT / "sinmun" / "static"
STYLESHEETS = [
    STATIC / "sinmun" / "site.css",
    STATIC / "sinmun" / "mobile.css",
    STATIC / "sinmun" / "print.css",
    STATIC / "sinmun" / "error.css",
    ROOT / "sinmun" / "search" / "static" / "search" / "search.css",
]

# Where a page overflows or cuts content, with what.
REFLOW_CHECK = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const problems = [];
  if (root.scrollWidth > width + 1) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth}px wide in ${width}px`);
  }
  const skip = '.visually-hidden, .skip-link, .reader-form__trap, [aria-hidden="true"]';
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest(skip)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    let scroller = el.parentElement, inScroller = false;
    while (scroller) {
      const o = getComputedStyle(scroller).overflowX;
      if (o === 'auto' || o === 'scroll') { inScroller = true; break; }
      scroller = scroller.parentElement;
    }
    if (!inScroller && (box.right > width + 1 || box.left < -1)) {
      problems.push(`${name(el)} reaches ${Math.round(box.left)}..${Math.round(box.right)}px`);
    } else if ((style.overflowX === 'hidden' || style.overflowX === 'clip')
               && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${name(el)} cuts its content: ${el.scrollWidth}px in ${el.clientWidth}px`);
    }
    if (problems.length > 10) break;
  }
  return problems;
}"""


@dataclass
class Audited:
    name: str
    path: str
    phone: bool = False  # the mobile edition is audited at a phone's width
    submit_empty: bool = False  # the e-mail form after a submission with errors
    status: int = 200


def demo_pages() -> list[Audited]:
    public = Article.objects.public().select_related("section").order_by("first_published_at")
    # The demo has no photos: one article with a photo block (an uploaded image, WebP
    # renditions, alt text and a caption), to audit its markup. Images live in Wagtail's
    # root collection, which a flush between transactional tests removes.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    photo = make_photo_article(
        title="사진이 있는 기사", section=public[0].section, reporter=public[0].reporter
    )
    # An article in the middle of its section, so both neighbours exist.
    article = public[8]
    section = article.section
    tag = next((t for a in public for t in a.tags.all()), None)
    # The demo article with a passage in English (<span lang="en">).
    foreign = public.get(title__contains="청소년 오케스트라")
    pages = [
        Audited("home", "/"),
        Audited("section", section.get_absolute_url()),
        Audited("article", article.get_absolute_url()),
        Audited("article-english-passage", foreign.get_absolute_url()),
        Audited("article-photo", photo.get_absolute_url()),
        Audited("mobile-article-photo", photo.get_mobile_url(), phone=True),
        Audited("print", f"/article/{article.pk}/print/"),
        Audited("mobile-home", "/m/", phone=True),
        Audited("mobile-article", article.get_mobile_url(), phone=True),
        Audited("mobile-section", f"/m/section/{section.code}/", phone=True),
        Audited("mobile-ranking", "/m/ranking/", phone=True),
        Audited("mobile-search", "/m/search/?q=돌봄", phone=True),
        Audited("ranking", "/ranking/"),
        Audited("search-results", "/search/?q=돌봄"),
        Audited("search-none", "/search/?q=우주정거장"),
        Audited("search-empty", "/search/"),
        Audited("email-form", f"/reader/article/{article.pk}/email/"),
        Audited(
            "email-errors",
            f"/reader/article/{article.pk}/email/",
            submit_empty=True,
            status=400,
        ),
        Audited("not-found", "/no-such-page/", status=404),
        Audited("corrections", "/corrections/"),
        Audited("youth-policy", "/policy/youth/"),
        Audited("reporter", article.reporter.get_absolute_url()),
    ]
    if tag is not None:
        pages.append(Audited("tag", f"/tag/{tag.slug}/"))
    return pages


def open_page(page, base: str, audited: Audited):
    """Go to the page (submitting the e-mail form empty where asked); the HTML the server
    sent for it."""
    response = page.goto(base + audited.path)
    if audited.submit_empty:
        with page.expect_navigation() as navigation:
            page.get_by_test_id("email-submit").click()
        response = navigation.value
        assert page.get_by_test_id("form-error").is_visible()
    assert response is not None
    assert response.status == audited.status, f"{audited.name}: HTTP {response.status}"
    return response.text()


def test_reader_pages_pass_axe_vnu_and_reflow(live_server, browser, axe_source, tmp_path):
    assert load_demo().errors == []
    pages = demo_pages()
    base = live_server.url
    desktop = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    phone = browser.new_context(
        locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    failures: list[str] = []
    saved: list[Path] = []
    try:
        for audited in pages:
            page = (phone if audited.phone else desktop).new_page()
            html = open_page(page, base, audited)
            path = tmp_path / f"{audited.name}.html"
            path.write_text(html, encoding="utf-8")
            saved.append(path)
            if audited.name == "article-english-passage" and '<span lang="en">' not in html:
                failures.append(f'{audited.name}: the English passage lost its lang="en"')
            if "photo" in audited.name:
                img = page.locator("figure.photo img")
                for attribute in ("alt", "width", "height", "srcset", "loading"):
                    if not img.get_attribute(attribute):
                        failures.append(f"{audited.name}: the photo has no {attribute}")
            if page.evaluate("document.documentElement.lang") != "ko":
                failures.append(f'{audited.name}: <html> has no lang="ko"')
            violations = run_axe(page, axe_source)
            if violations:
                failures.append(describe_violations(audited.name, violations))
            # Reflow (WCAG 1.4.10) at a 320 px phone, and a 1280 px window zoomed to 200 %,
            # which lays the page out in 640 CSS px.
            for width, label in ((320, "320 px"), (640, "200 % zoom")):
                page.set_viewport_size({"width": width, "height": 640})
                problems = page.evaluate(REFLOW_CHECK)
                if problems:
                    failures.append(
                        f"{audited.name} at {label}:\n" + "\n".join(f"  {p}" for p in problems)
                    )
            page.close()
    finally:
        desktop.close()
        phone.close()

    # The error pages, rendered as their handlers render them (no request, no database).
    for code in ("500", "503", "507"):
        path = tmp_path / f"error-{code}.html"
        path.write_text(loader.get_template(f"{code}.html").render(), encoding="utf-8")
        saved.append(path)
    problems = run_vnu(saved + STYLESHEETS)
    if problems:
        failures.append(describe_vnu(problems))
    assert not failures, "\n\n".join(failures)
