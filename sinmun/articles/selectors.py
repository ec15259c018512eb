"""Reads of the article archive for reader pages: each one indexed and bounded."""

from django.db.models import Q

from .models import Article, Section


def article_get_public(*, pk: int) -> Article | None:
    """Return the public article ``pk`` with what its page shows, in one query."""
    return (
        Article.objects.public()
        .select_related("section", "reporter", "counter")
        .filter(pk=pk)
        .first()
    )


def article_neighbours(*, article: Article) -> tuple[Article | None, Article | None]:
    """Return the previous (older) and next (newer) public articles of the same section.

    Ties on the registered time are broken by id, so every article has exactly one
    neighbour on each side and navigation never skips or loops.
    """
    base = (
        Article.objects.public()
        .filter(section_id=article.section_id)
        .only("id", "title", "first_published_at")
    )
    when, pk = article.first_published_at, article.pk
    previous = (
        base.filter(Q(first_published_at__lt=when) | Q(first_published_at=when, id__lt=pk))
        .order_by("-first_published_at", "-id")
        .first()
    )
    following = (
        base.filter(Q(first_published_at__gt=when) | Q(first_published_at=when, id__gt=pk))
        .order_by("first_published_at", "id")
        .first()
    )
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
