"""Meta tags and JSON-LD for reader pages: ``{% article_meta as meta %}``, ``{% home_meta as meta %}``.

They read only what the page's view already loaded (the article with its section and
reporter, the page's tag list, the cached site profile), so they add no query.
"""

from django import template

from ..checks import verification_tags
from ..photos import absolute, lead_photo
from ..structured_data import (
    article_json_ld,
    home_json_ld,
    iso_kst,
    json_ld_script,
    publisher_logo,
)
from ..xmltext import xml_text as _xml_text

register = template.Library()


@register.simple_tag(takes_context=True)
def article_meta(context) -> dict:
    article = context["article"]
    profile = context["site_profile"]
    tags = context.get("tags") or []
    photo = lead_photo(article.rendered_body)
    if photo is not None:
        image = {
            "url": photo.absolute_url(),
            "width": photo.width,
            "height": photo.height,
            "alt": photo.alt,
        }
    else:
        logo = publisher_logo(profile)
        image = {"url": logo.url, "width": logo.width, "height": logo.height, "alt": profile.name}
    return {
        "site_name": profile.name,
        "url": absolute(article.get_absolute_url()),
        "title": article.title,
        "description": article.excerpt or article.subtitle or article.title,
        "image": image,
        "large_image": photo is not None,
        "published": iso_kst(article.first_published_at),
        "modified": iso_kst(article.modified_at or article.first_published_at),
        "section": article.section.name,
        "tags": tags,
        "json_ld": json_ld_script(
            article_json_ld(article, profile=profile, tags=tags, photo=photo)
        ),
    }


@register.simple_tag(takes_context=True)
def home_meta(context) -> dict:
    profile = context["site_profile"]
    logo = publisher_logo(profile)
    return {
        "site_name": profile.name,
        "url": absolute("/"),
        "title": profile.name,
        "description": profile.tagline or profile.name,
        "image": {"url": logo.url, "width": logo.width, "height": logo.height, "alt": profile.name},
        "json_ld": [json_ld_script(data) for data in home_json_ld(profile=profile)],
        "verification": verification_tags(),
    }


@register.filter
def xml_text(value):
    """Drop the characters XML 1.0 cannot hold (sitemaps; see syndication/xmltext.py)."""
    return _xml_text(value)


@register.filter
def kst(value):
    """Format a datetime as ISO 8601 in Korea time, to the second (sitemaps, feeds)."""
    return iso_kst(value) if value else ""
