"""Reads of the newsroom for reader pages: correction notes and the corrections page."""

from django.core.cache import cache
from django.db.models import Max

from sinmun.articles.models import Article
from sinmun.core.versions import versioned_key

from .models import Correction

# Both caches follow the ``corrections`` version (sinmun/core/versions.py): any added,
# edited or removed note, through any process, renews them everywhere at once.
CORRECTIONS_CACHE_SECONDS = 24 * 3600


def _corrections_key(article_id: int) -> str:
    return versioned_key(f"newsroom:corrections:{article_id}", "corrections")


def corrected_article_ids() -> frozenset[int]:
    """The numbers of all articles with a correction note (few), cached until one changes."""
    key = versioned_key("newsroom:corrected-ids", "corrections")
    ids = cache.get(key)
    if ids is None:
        ids = frozenset(Correction.objects.values_list("article_id", flat=True).distinct())
        cache.set(key, ids, CORRECTIONS_CACHE_SECONDS)
    return ids


def correction_list_for_article(*, article_id: int) -> list[Correction]:
    """Return the article's correction notes, oldest first.

    Cached until a note changes, so an article page costs no extra query once the
    (shared) set of corrected article numbers is warm.
    """
    if article_id not in corrected_article_ids():
        return []
    key = _corrections_key(article_id)
    notes = cache.get(key)
    if notes is None:
        notes = list(
            Correction.objects.filter(article_id=article_id)
            .only("id", "article_id", "note", "created_at")
            .order_by("created_at", "id")
        )
        cache.set(key, notes, CORRECTIONS_CACHE_SECONDS)
    return notes


def corrected_article_list():
    """Public articles with at least one correction, most recently corrected first,
    annotated with ``last_corrected_at`` (a queryset, for pagination)."""
    return (
        Article.objects.public()
        .for_listing()
        .filter(corrections__isnull=False)
        .annotate(last_corrected_at=Max("corrections__created_at"))
        .order_by("-last_corrected_at", "-id")
    )


def corrections_by_article(article_ids) -> dict[int, list[Correction]]:
    notes: dict[int, list[Correction]] = {}
    for note in Correction.objects.filter(article_id__in=list(article_ids)).order_by(
        "created_at", "id"
    ):
        notes.setdefault(note.article_id, []).append(note)
    return notes


def home_front_articles(*, limit: int) -> tuple[Article | None, list[Article]]:
    """Return the home's top story and the next ``limit`` articles.

    The desk's arrangement (HomeLayout) comes first: its top story, then its featured
    articles in order, each only while public; the latest articles fill the rest. Without
    an arrangement this is one query; with one, two (the arrangement itself is cached).
    """
    from sinmun.articles.selectors import article_latest_list

    from .services import home_arrangement

    arrangement = home_arrangement()
    wanted = [i for i in [arrangement.top_id, *arrangement.featured_ids] if i]
    chosen = {}
    if wanted:
        chosen = Article.objects.public().for_listing().order_by().in_bulk(wanted)
    top = chosen.get(arrangement.top_id) if arrangement.top_id else None
    featured = [
        chosen[i]
        for i in dict.fromkeys(arrangement.featured_ids)
        if i in chosen and (top is None or i != top.pk)
    ]
    shown = {a.pk for a in featured} | ({top.pk} if top else set())
    fill = article_latest_list(limit=limit + 1, exclude=shown)
    if top is None and fill:
        top, fill = fill[0], fill[1:]
    return top, (featured + fill)[:limit]
