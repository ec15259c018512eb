"""RSS 2.0 feeds: the whole paper and each section, the latest public articles first.

Every URL in a feed is absolute, built from ``SINMUN_BASE_URL``. An item's guid is the
article's canonical URL (the article number never changes), so an edited and
republished article is the same item to portals and feed readers, not a new one.
Times are written in Korea time (+0900). ``SINMUN_FEED_FULL_TEXT`` chooses between the
excerpt and the whole sanitized body for ``<description>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from sinmun.articles.models import Article, Section
from sinmun.sitesettings.selectors import site_context

from .photos import absolute, absolutize_html, lead_photo
from .xmltext import XmlSafeGenerator

FEED_LENGTH = 50
MEDIA_RSS_NS = "http://search.yahoo.com/mrss/"


class SinmunRssFeed(Rss201rev2Feed):
    """RSS 2.0 with Media RSS for the lead photo and a Korea-time lastBuildDate."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS_NS}

    def write(self, outfile, encoding):
        # Rss201rev2Feed.write with a writer that drops what XML 1.0 cannot hold.
        handler = XmlSafeGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        photo = item.get("lead_photo")
        if photo is not None:
            attrs = {"url": photo.absolute_url(), "medium": "image", "type": photo.mime_type}
            if photo.width and photo.height:
                attrs.update(width=str(photo.width), height=str(photo.height))
            if photo.alt:
                handler.startElement("media:content", attrs)
                handler.addQuickElement("media:description", photo.alt)
                handler.endElement("media:content")
            else:
                handler.addQuickElement("media:content", None, attrs)

    def latest_post_date(self):
        return timezone.localtime(super().latest_post_date())


@dataclass(frozen=True)
class FeedSubject:
    """What one request asks for: a section (or the whole paper) and the URL it used."""

    section: Section | None
    path: str


class LatestArticlesFeed(Feed):
    feed_type = SinmunRssFeed
    language = "ko"

    def get_object(self, request, code=None):
        section = Section.objects.get(code=code) if code is not None else None
        return FeedSubject(section=section, path=request.path)

    # -- the channel

    def title(self, subject):
        name = site_context()["profile"].name
        return f"{name} - {subject.section.name}" if subject.section else name

    def link(self, subject):
        if subject.section:
            return absolute(subject.section.get_absolute_url())
        return absolute(reverse("articles:home"))

    def feed_url(self, subject):
        return absolute(subject.path)

    def description(self, subject):
        # Plain text, escaped: feed readers take a channel's <description> as HTML.
        profile = site_context()["profile"]
        if subject.section:
            text = _("%(site)s의 %(section)s 최신 기사") % {
                "site": profile.name,
                "section": subject.section.name,
            }
        else:
            text = profile.tagline or _("%(site)s의 최신 기사") % {"site": profile.name}
        return escape(text)

    def feed_copyright(self, subject):
        profile = site_context()["profile"]
        return f"© {profile.company or profile.name}"

    def items(self, subject):
        qs = Article.objects.public().select_related("section", "reporter")
        if subject.section:
            qs = qs.filter(section=subject.section)
        qs = qs.only(
            "id",
            "title",
            "excerpt",
            "rendered_body",
            "first_published_at",
            "modified_at",
            "section__name",
            "section__code",
            "reporter__name",
        )
        return list(qs.order_by("-first_published_at", "-id")[:FEED_LENGTH])

    # -- each article

    def item_title(self, article):
        return article.title

    def item_link(self, article):
        return absolute(article.get_absolute_url())

    def item_guid(self, article):
        # The canonical URL: the article number is permanent, edits keep it.
        return absolute(article.get_absolute_url())

    item_guid_is_permalink = True

    def item_description(self, article):
        if settings.SINMUN_FEED_FULL_TEXT:
            return absolutize_html(article.rendered_body)
        # The excerpt is plain text, but feed readers take <description> as HTML: a "<"
        # written in an article must reach them as &lt;, not as a tag (tests/hostile).
        return escape(article.excerpt)

    def item_author_name(self, article):
        # A name only (written as dc:creator): RSS's <author> must be an e-mail
        # address, and a feed is no place to hand reporters' addresses to spammers.
        return article.reporter.name if article.reporter else None

    def item_categories(self, article):
        return [article.section.name]

    def item_pubdate(self, article):
        return timezone.localtime(article.first_published_at)

    def item_updateddate(self, article):
        return timezone.localtime(article.modified_at) if article.modified_at else None

    def _lead_photo(self, article):
        if not hasattr(article, "_lead_photo"):
            article._lead_photo = lead_photo(article.rendered_body)
        return article._lead_photo

    def item_enclosures(self, article):
        photo = self._lead_photo(article)
        if photo is None:
            return []
        return [Enclosure(photo.absolute_url(), str(photo.file_size()), photo.mime_type)]

    def item_extra_kwargs(self, article):
        return {"lead_photo": self._lead_photo(article)}
