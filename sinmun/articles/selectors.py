"""Reads of the article archive for reader pages: each one indexed and bounded."""

from datetime import UTC, datetime

from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag

from sinmun.core.prepared import PreparedQuery

from .models import Article, Section

# Placeholders for the prepared queries (sinmun/core/prepared.py): values no real row
# or clock has, so they can be told apart from the query's own parameters.
_PK = (Article._meta.pk, -9_020_417)
_SECTION = (Article._meta.get_field("section").target_field, -9_020_419)
_NOW = (Article._meta.get_field("first_published_at"), datetime(1901, 2, 3, 4, 5, 6, 789, UTC))
_WHEN = (Article._meta.get_field("first_published_at"), datetime(1902, 3, 4, 5, 6, 7, 891, UTC))

_get_public = PreparedQuery(
    lambda pk, now: (
        Article.objects.public(now)
        .select_related("section", "reporter", "counter")
        # Readers get the body rendered at save time; the blocks stay in the database.
        .defer("body")
        .filter(pk=pk)
        .order_by("pk")[:1]
    ),
    pk=_PK,
    now=_NOW,
)


def article_get_public(*, pk: int) -> Article | None:
    """Return the public article ``pk`` with what its page shows, in one query."""
    found = _get_public(pk=pk, now=timezone.now())
    return found[0] if found else None


def _neighbour_base(section_id, now):
    return (
        Article.objects.public(now)
        .filter(section_id=section_id)
        .only("id", "title", "first_published_at")
    )


_previous = PreparedQuery(
    lambda section_id, now, when, pk: (
        _neighbour_base(section_id, now)
        .filter(Q(first_published_at__lt=when) | Q(first_published_at=when, id__lt=pk))
        .order_by("-first_published_at", "-id")[:1]
    ),
    section_id=_SECTION,
    now=_NOW,
    when=_WHEN,
    pk=_PK,
)
_following = PreparedQuery(
    lambda section_id, now, when, pk: (
        _neighbour_base(section_id, now)
        # The first condition only repeats the second's lower bound, as a range the index
        # can start from (the OR alone makes SQLite walk the section from its oldest).
        .filter(first_published_at__gte=when)
        .filter(Q(first_published_at__gt=when) | Q(first_published_at=when, id__gt=pk))
        .order_by("first_published_at", "id")[:1]
    ),
    section_id=_SECTION,
    now=_NOW,
    when=_WHEN,
    pk=_PK,
)


_tags = PreparedQuery(
    lambda pk: Tag.objects.filter(articles_articletag_items__content_object_id=pk).order_by(
        "articles_articletag_items__id"
    ),
    pk=_PK,
)


def article_tag_list(*, pk: int) -> list[Tag]:
    """The article's tags in the order they were given (``article.tags.all()``)."""
    return _tags(pk=pk)


def article_neighbours(*, article: Article) -> tuple[Article | None, Article | None]:
    """Return the previous (older) and next (newer) public articles of the same section.

    Ties on the registered time are broken by id, so every article has exactly one
    neighbour on each side and navigation never skips or loops.
    """
    values = {
        "section_id": article.section_id,
        "now": timezone.now(),
        "when": article.first_published_at,
        "pk": article.pk,
    }
    # Older articles are public if this one is: bounding them by its own time instead of
    # "now" gives the index a range that starts at this article, not at the newest one
    # (at 100,000 articles, 1 ms → 0.05 ms for an article from years ago).
    previous = _previous(**{**values, "now": min(values["now"], values["when"])})
    following = _following(**values)
    previous = previous[0] if previous else None
    following = following[0] if following else None
    return previous, following


def article_latest_list(*, limit: int, section: Section | None = None, exclude=()):
    qs = Article.objects.public().for_listing()
    if section is not None:
        qs = qs.filter(section=section)
    if exclude:
        qs = qs.exclude(pk__in=list(exclude))
    return list(qs.order_by("-first_published_at", "-id")[:limit])


def section_list() -> list[Section]:
    return list(Section.objects.all())


# How many recent revisions to look at for the sections and reporters an article was in
# before an edit: their list pages lose it (sinmun/website/showing.py).
REVISIONS_LOOKED_AT = 5


def article_placements(article: Article) -> tuple[set[int], set[int]]:
    """The sections and reporters ``article`` is in now and was in over its recent
    revisions (an edit may have moved it)."""
    sections = {article.section_id}
    reporters = {article.reporter_id}
    if article.pk:
        recent = article.revisions.order_by("-created_at").values_list(
            "content__section", "content__reporter"
        )[:REVISIONS_LOOKED_AT]
        for section_id, reporter_id in recent:
            sections.add(section_id)
            reporters.add(reporter_id)
    return {s for s in sections if s}, {r for r in reporters if r}


def articles_changed(change) -> list[Article]:
    """The articles an ``article`` change (sinmun.core.changes.Change) names, read after
    its commit; a deleted one as it was (``change.before["article"]``)."""
    articles = list(Article.objects.filter(pk__in=change.ids).order_by("pk"))
    deleted = change.before.get("article")
    if deleted is not None and all(a.pk != deleted.pk for a in articles):
        articles.append(deleted)
    return articles
