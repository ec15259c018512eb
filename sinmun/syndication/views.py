"""Feeds and sitemaps, cacheable like every reader page (``reader_page``)."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from sinmun.core.http import reader_page
from sinmun.sitesettings.selectors import site_context

from .feeds import LatestArticlesFeed
from .photos import absolute
from .sitemaps import SITEMAPS, article_sitemap_blocks, article_sitemap_rows, news_article_list
from .structured_data import iso_kst

# No paper has this many articles; a larger number in the URL is not worth a query.
MAX_SITEMAP_PAGE = 1_000_000
_SENTINEL = 987654321

feed = require_safe(reader_page(LatestArticlesFeed()))


def _no_index(response):
    # Sitemaps are for crawlers, not search results (as django.contrib.sitemaps does).
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_safe
@reader_page
def sitemap_index(request):
    blocks = article_sitemap_blocks()
    newest = max((b.lastmod for b in blocks), default=None)
    response = render(
        request,
        "syndication/sitemap_index.xml",
        {
            "news_url": absolute("/sitemap-news.xml"),
            "pages_url": absolute("/sitemap-pages.xml"),
            "reporters_url": absolute("/sitemap-reporters.xml"),
            "article_sitemaps": [
                (absolute(f"/sitemap-articles-{b.number}.xml"), b.lastmod) for b in blocks
            ],
            "newest": newest,
        },
        content_type="application/xml; charset=utf-8",
    )
    return _no_index(response)


@require_safe
@reader_page
def sitemap_section(request, section):
    return sitemap_views.sitemap(
        request,
        SITEMAPS,
        section=section,
        template_name="syndication/sitemap.xml",
        content_type="application/xml; charset=utf-8",
    )


@require_safe
@reader_page
def article_sitemap(request, number):
    """One page of the archive, up to 10,000 URLs.

    Written directly rather than through a template: at this size the template engine
    costs seconds per page, string building milliseconds (bench/syndication).
    """
    if not 1 <= number <= MAX_SITEMAP_PAGE or request.GET.get("p", "1") != "1":
        raise Http404("no such sitemap page")
    rows = article_sitemap_rows(number - 1)
    if not rows:
        raise Http404("no public article in this sitemap page")
    # Every article URL differs only in its number: reverse once, fill in the rest.
    prefix, _, suffix = reverse("articles:article", args=[_SENTINEL]).partition(str(_SENTINEL))
    base = escape(settings.SINMUN_BASE_URL + prefix)
    lines = [
        f"<url><loc>{base}{pk}{suffix}</loc><lastmod>{iso_kst(lastmod)}</lastmod></url>"
        for pk, lastmod in rows
    ]
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(lines)
        + "\n</urlset>\n",
        content_type="application/xml; charset=utf-8",
    )
    response.headers["Last-Modified"] = http_date(max(m for _, m in rows).timestamp())
    return _no_index(response)


@require_safe
@reader_page
def news_sitemap(request):
    response = render(
        request,
        "syndication/sitemap_news.xml",
        {
            "articles": news_article_list(now=timezone.now()),
            "publication_name": site_context()["profile"].name,
            "base_url": settings.SINMUN_BASE_URL,
        },
        content_type="application/xml; charset=utf-8",
    )
    return _no_index(response)
