"""Structured data (schema.org JSON-LD) and social meta for reader pages.

Builders return plain dicts; :func:`json_ld_script` serialises one into a
``<script type="application/ld+json">`` that no text inside it can close early.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from sinmun.core.versions import versioned_key

from .photos import LeadPhoto, absolute

LOGO_CACHE_KEY = "syndication:logo"
DEFAULT_LOGO = ("sinmun/logo.png", 512, 512)

# The same escapes as django.utils.html.json_script: inside <script>, "</script>" or
# "<!--" in a headline would end or bend the element; \u003C is still "<" to JSON.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict | list) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(  # noqa: S308 - every <, > and & in the JSON is escaped above # nosec B308 B703
        '<script type="application/ld+json">' + text.translate(_JSON_SCRIPT_ESCAPES) + "</script>"
    )


def iso_kst(value: datetime) -> str:
    """Return ``value`` as ISO 8601 in Korea time, to the second: 2020-12-31T12:50:22+09:00."""
    return timezone.localtime(value).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Logo:
    url: str  # absolute
    width: int | None
    height: int | None


def publisher_logo(profile) -> Logo:
    """Return the paper's logo (SiteProfile.logo) or sinmun's default mark.

    With no logo chosen this costs nothing; a chosen logo's rendition is looked up once
    and cached under the ``site`` version (renewed when the profile is saved).
    """
    if profile.logo_id:
        key = versioned_key(LOGO_CACHE_KEY, "site")
        cached = cache.get(key)
        if cached is not None and cached[0] == profile.logo_id:
            return cached[1]
        logo = _logo_rendition(profile.logo_id)
        if logo is not None:
            cache.set(key, (profile.logo_id, logo), 3600)
            return logo
    path, width, height = DEFAULT_LOGO
    return Logo(absolute(static(path)), width, height)


def _logo_rendition(image_id: int) -> Logo | None:
    from wagtail.images import get_image_model
    from wagtail.images.models import SourceImageIOError

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return None
    try:
        rendition = image.get_rendition("max-600x600")
    except (SourceImageIOError, OSError, ValueError):
        return None
    return Logo(absolute(rendition.url), rendition.width, rendition.height)


def _search_path() -> str:
    # The reader search page (sinmun/search) answers /search?q=…
    try:
        return reverse("search:search")
    except NoReverseMatch:
        return "/search"


def _image_object(url: str, width: int | None, height: int | None) -> dict:
    data = {"@type": "ImageObject", "url": url}
    if width and height:
        data.update(width=width, height=height)
    return data


def organization_data(profile) -> dict:
    logo = publisher_logo(profile)
    data = {
        "@type": "NewsMediaOrganization",
        "name": profile.name,
        "url": absolute(reverse("articles:home")),
        "logo": _image_object(logo.url, logo.width, logo.height),
    }
    if profile.company:
        data["legalName"] = profile.company
    if profile.email:
        data["email"] = profile.email
    if profile.phone:
        data["telephone"] = profile.phone
    if profile.address:
        data["address"] = profile.address
    return data


def article_json_ld(article, *, profile, tags=(), photo: LeadPhoto | None = None) -> dict:
    """Return schema.org NewsArticle data for a public article page."""
    url = absolute(article.get_absolute_url())
    publisher = organization_data(profile)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "datePublished": iso_kst(article.first_published_at),
        "dateModified": iso_kst(article.modified_at or article.first_published_at),
        "articleSection": article.section.name,
        "inLanguage": "ko",
        "isAccessibleForFree": True,
        "publisher": publisher,
    }
    if article.subtitle:
        data["alternativeHeadline"] = article.subtitle
    if article.excerpt:
        data["description"] = article.excerpt
    if article.reporter:
        data["author"] = [
            {
                "@type": "Person",
                "name": article.reporter.name,
                "url": absolute(article.reporter.get_absolute_url()),
            }
        ]
    else:
        data["author"] = [{"@type": "Organization", "name": profile.name, "url": publisher["url"]}]
    if photo is not None:
        data["image"] = [_image_object(photo.absolute_url(), photo.width, photo.height)]
    if tags:
        data["keywords"] = ", ".join(tag.name for tag in tags)
    return data


def home_json_ld(*, profile) -> list[dict]:
    """Return schema.org Organization and WebSite (with a search action) for the home page."""
    home = absolute(reverse("articles:home"))
    organization = {"@context": "https://schema.org", **organization_data(profile)}
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": profile.name,
        "url": home,
        "inLanguage": "ko",
        "publisher": {"@type": "NewsMediaOrganization", "name": profile.name, "url": home},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute(_search_path() + "?q={search_term_string}"),
            },
            "query-input": "required name=search_term_string",
        },
    }
    if profile.tagline:
        website["description"] = profile.tagline
    return [organization, website]
