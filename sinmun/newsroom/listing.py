"""The desk's article listing: filters and a status column that stay quick at 100,000 rows.

Status is derived from the small sets of articles "in flight" (waiting for the desk, or
approved for a time), read with one indexed query each, instead of a subquery per row.
Every filter is served by an index ordered like the listing (``-first_published_at,
-id``; migration articles 0002 adds the desk's), a page is found by article number first
(``DeskPaginator``: a deep page skips index entries, not table rows), and the title
search reads the title index, not the table (bench/desk.py measures all of it).
"""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import StatusTagColumn
from wagtail.models import Revision, WorkflowState

from sinmun.articles.models import Article, Reporter, Section

STATUS_DRAFT = "draft"
STATUS_IN_REVIEW = "in_review"
STATUS_SCHEDULED = "scheduled"
STATUS_EMBARGOED = "embargoed"
STATUS_PUBLISHED = "published"

STATUS_CHOICES = [
    (STATUS_DRAFT, _("작성 중")),
    (STATUS_IN_REVIEW, _("데스크 검토 중")),
    (STATUS_SCHEDULED, _("예약 발행")),
    (STATUS_EMBARGOED, _("엠바고")),
    (STATUS_PUBLISHED, _("발행됨")),
]
STATUS_LABELS = dict(STATUS_CHOICES)
# A title search with up to this many matches is carried by article number (one scan of
# the title index per request, not one each for the count and the page).
TITLE_MATCHES_IN_MEMORY = 5000


def _ids(object_ids) -> set[int]:
    return {int(x) for x in object_ids if str(x).isdigit()}


def in_review_ids() -> set[int]:
    ct = ContentType.objects.get_for_model(Article)
    return _ids(
        WorkflowState.objects.filter(
            base_content_type=ct, status=WorkflowState.STATUS_IN_PROGRESS
        ).values_list("object_id", flat=True)
    )


def scheduled_ids() -> set[int]:
    ct = ContentType.objects.get_for_model(Article)
    return _ids(
        Revision.objects.filter(
            base_content_type=ct, approved_go_live_at__isnull=False
        ).values_list("object_id", flat=True)
    )


def _live(value: bool) -> Q:
    # ``live__in=[x]`` rather than ``live=x``: Django writes ``live=False`` as ``NOT live``
    # on SQLite, which SQLite cannot look up in the (live, first_published_at, id) index;
    # ``live IN (0)`` it can (a few hundred drafts found directly, not by reading 100,000).
    return Q(live__in=[value])


def filter_by_status(queryset, status: str):
    if status == STATUS_PUBLISHED:
        return queryset.filter(_live(True))
    if status == STATUS_IN_REVIEW:
        return queryset.filter(pk__in=in_review_ids())
    if status == STATUS_SCHEDULED:
        return queryset.filter(pk__in=scheduled_ids(), embargo=False)
    if status == STATUS_EMBARGOED:
        return queryset.filter(pk__in=scheduled_ids(), embargo=True)
    if status == STATUS_DRAFT:
        return queryset.filter(_live(False)).exclude(pk__in=in_review_ids() | scheduled_ids())
    return queryset


def title_search(queryset, query: str):
    """Articles whose title contains ``query`` (any case), for the desk's search box.

    The match runs once, over the title index alone (a covering scan, a fraction of the
    table's size: the table rows carry the bodies), and its article numbers then serve
    the count and the page. No word analysis: the desk looks for the words it wrote,
    drafts included, which the readers' search index (public articles only) does not hold.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    matching = (
        Article.objects.filter(title__icontains=query).order_by().values_list("pk", flat=True)
    )
    ids = list(matching[: TITLE_MATCHES_IN_MEMORY + 1])
    if len(ids) > TITLE_MATCHES_IN_MEMORY:  # a very common word: let the database join
        return queryset.filter(pk__in=matching)
    return queryset.filter(pk__in=ids)


class ArticleFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("상태"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("전체")
    )
    section = django_filters.ModelChoiceFilter(
        label=_("섹션"), queryset=Section.objects.all(), empty_label=_("전체")
    )
    reporter = django_filters.ModelChoiceFilter(
        label=_("기자"), queryset=Reporter.objects.all(), empty_label=_("전체")
    )
    registered = django_filters.DateFromToRangeFilter(
        label=_("등록일"), field_name="first_published_at", widget=DateRangePickerWidget
    )
    mine = django_filters.BooleanFilter(
        label=_("내 기사만"), method="filter_mine", widget=django_filters.widgets.BooleanWidget
    )

    class Meta:
        model = Article
        fields = ["status", "section", "reporter", "registered", "mine"]

    def filter_status(self, queryset, name, value):
        return filter_by_status(queryset, value)

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        user = self.request.user
        # The bylines first (one small query): an OR across the reporter join cannot use
        # an index, an OR of two indexed columns can.
        bylines = list(Reporter.objects.filter(user=user).values_list("pk", flat=True))
        return queryset.filter(Q(owner=user) | Q(reporter_id__in=bylines))


def article_listing_queryset(request=None):
    """The listing's rows with what the columns show, in a fixed number of queries."""
    return (
        Article.objects.select_related("section", "reporter")
        .defer("body", "rendered_body")
        .prefetch_related(
            Prefetch(
                "workflow_states",
                queryset=WorkflowState.objects.active().select_related("current_task_state__task"),
                to_attr="_current_workflow_states",
            ),
            Prefetch(
                "revisions",
                queryset=Revision.objects.filter(approved_go_live_at__isnull=False).only(
                    "id", "object_id", "base_content_type", "content_type", "approved_go_live_at"
                ),
                to_attr="_scheduled_revisions",
            ),
        )
    )


def desk_status(article) -> str:
    """The article's status as the desk names it (uses the listing's prefetches if any)."""
    if hasattr(article, "_scheduled_revisions"):
        scheduled = bool(article._scheduled_revisions)
    else:
        scheduled = article.revisions.filter(approved_go_live_at__isnull=False).exists()
    if article.live:
        label = STATUS_LABELS[STATUS_PUBLISHED]
        if scheduled:
            return f"{label} + {STATUS_LABELS[STATUS_SCHEDULED]}"
        if article.workflow_in_progress:
            return f"{label} + {STATUS_LABELS[STATUS_IN_REVIEW]}"
        return label
    if scheduled:
        return STATUS_LABELS[STATUS_EMBARGOED if article.embargo else STATUS_SCHEDULED]
    if article.workflow_in_progress:
        return STATUS_LABELS[STATUS_IN_REVIEW]
    return STATUS_LABELS[STATUS_DRAFT]


class DeskStatusColumn(StatusTagColumn):
    def __init__(self, **kwargs):
        super().__init__(
            "desk_status",
            label=_("상태"),
            accessor=desk_status,
            sort_key="live",
            primary=lambda article: article.live,
            **kwargs,
        )


class DeskPaginator(WagtailPaginator):
    """Find a page's article numbers first, then load only those rows.

    ``OFFSET 49,950`` over the listing's query walks 49,950 table rows (with their
    section and reporter); over article numbers alone it walks index entries. Page 1,000
    of 100,000 articles goes from hundreds of milliseconds to a few (bench/desk.py).
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if not hasattr(queryset, "values_list"):
            return super().page(number)
        ids = list(queryset.prefetch_related(None).values_list("pk", flat=True)[bottom:top])
        if not ids and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        # The rows by number alone: the filters (a title search above all) ran once already.
        rows = {row.pk: row for row in article_listing_queryset().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
