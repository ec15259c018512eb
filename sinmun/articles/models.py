"""The newsroom's nouns: sections, reporters and articles.

Articles are ordinary models (not Wagtail pages) with Wagtail's mixins for drafts,
revisions, scheduling, locking, workflow and preview: a paper's archive is a flat,
date-ordered table of hundreds of thousands of rows, read by section and time
(docs/decisions/0001-articles-are-models.md).

"Registered" (등록) is Wagtail's ``first_published_at``: set on first publish, kept across
revisions, and set from the source system on import. "Modified" (수정) is ``modified_at``:
the time a change to an already public article was published.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from sinmun.core.sanitize import clean_html, editor_html, plain_text, shorten
from sinmun.core.urls import fast_reverse

from .blocks import ArticleBodyBlock, editor_can_open

EXCERPT_LENGTH = 160


class Section(models.Model):
    name = models.CharField(_("이름"), max_length=60, unique=True)
    code = models.SlugField(
        _("코드"),
        max_length=30,
        unique=True,
        allow_unicode=False,
        help_text=_(
            "주소에 쓰는 영문·숫자 코드입니다. 예전 뉴스 솔루션의 섹션 코드를 그대로 쓸 수 있습니다."
        ),
    )
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    panels = ["name", "code", "order"]

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("섹션")
        verbose_name_plural = _("섹션")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return fast_reverse("articles:section", self.code)


class Reporter(models.Model):
    name = models.CharField(_("이름"), max_length=60)
    email = models.EmailField(_("이메일"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("사진"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = models.TextField(_("소개"), blank=True, max_length=2000)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("관리자 계정"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporter",
    )

    panels = ["name", "email", "photo", "bio", "user"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("기자")
        verbose_name_plural = _("기자")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "email"], name="articles_reporter_unique_name_email"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return fast_reverse("articles:reporter", self.pk)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.Article", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticleQuerySet(models.QuerySet):
    def public(self, now=None):
        """Articles a reader may see: published, and registered no later than now."""
        return self.filter(live=True, first_published_at__lte=now or timezone.now())

    def for_listing(self):
        return self.select_related("section", "reporter").only(
            "id",
            "title",
            "subtitle",
            "excerpt",
            "first_published_at",
            "modified_at",
            "section__name",
            "section__code",
            "reporter__name",
        )


# A photo this early in the body is above the fold on a phone (see Article.render_body).
EAGER_PHOTO_BLOCKS = 3


class Article(
    PreviewableMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    ClusterableModel,
):
    title = models.CharField(_("제목"), max_length=300)
    subtitle = models.CharField(_("부제"), max_length=300, blank=True)
    section = models.ForeignKey(
        Section, verbose_name=_("섹션"), on_delete=models.PROTECT, related_name="articles"
    )
    reporter = models.ForeignKey(
        Reporter,
        verbose_name=_("기자"),
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("본문"), blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("태그"))
    modified_at = models.DateTimeField(_("수정 시각"), null=True, blank=True, editable=False)
    # Who created the article in the newsroom (a reporter may edit their own drafts;
    # see sinmun/newsroom/policies.py). Kept when the byline changes.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    embargo = models.BooleanField(
        _("엠바고"),
        default=False,
        help_text=_(
            "보도 유예 기사입니다. 발행 예약 시각이 꼭 있어야 하며, 그 전에는 어떤 화면에도 나오지 않습니다."
        ),
    )
    # Derived from the body on every save, so a reader page costs no block rendering.
    rendered_body = models.TextField(editable=False, blank=True, default="")
    excerpt = models.CharField(editable=False, blank=True, default="", max_length=EXCERPT_LENGTH)

    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="article",
        for_concrete_model=False,
    )
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="article",
        for_concrete_model=False,
    )

    objects = ArticleQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("subtitle"),
        FieldRowPanel([FieldPanel("section"), FieldPanel("reporter")]),
        FieldPanel("body"),
        FieldPanel("tags"),
        MultiFieldPanel([PublishingPanel(), FieldPanel("embargo")], heading=_("예약 발행")),
    ]

    class Meta:
        verbose_name = _("기사")
        verbose_name_plural = _("기사")
        ordering = ["-first_published_at", "-id"]
        indexes = [
            models.Index(fields=["live", "first_published_at", "id"], name="article_live_time"),
            # Readers' section and reporter lists (and their page counts) hold only
            # published articles: partial indexes. Django writes ``live=True`` as a bare
            # ``"live"`` condition, which SQLite cannot match to a ``live`` column in the
            # middle of an index; it does match a partial index's ``WHERE "live"``, so a
            # section's count reads the index alone (14 ms → 0.5 ms at 100,000 articles).
            models.Index(
                fields=["section", "first_published_at", "id"],
                condition=models.Q(live=True),
                name="article_section_public",
            ),
            models.Index(
                fields=["reporter", "first_published_at", "id"],
                condition=models.Q(live=True),
                name="article_reporter_public",
            ),
            # The desk's listing filters drafts and published alike, so it needs the
            # section and reporter indexes without ``live`` in the middle; the title index
            # lets its search read titles without the bodies (sinmun/newsroom/listing.py).
            models.Index(
                fields=["section", "first_published_at", "id"], name="article_desk_section"
            ),
            models.Index(
                fields=["reporter", "first_published_at", "id"], name="article_desk_reporter"
            ),
            # (title, id): PostgreSQL can then answer the desk's ``UPPER(title) LIKE``
            # from the index alone (an index-only scan needs every column it reads).
            models.Index(fields=["title", "id"], name="article_desk_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return fast_reverse("articles:article", self.pk)

    def get_mobile_url(self):
        return fast_reverse("articles:mobile_article", self.pk)

    @property
    def registered_at(self):
        return self.first_published_at

    @property
    def is_public(self):
        return bool(
            self.live and self.first_published_at and self.first_published_at <= timezone.now()
        )

    def clean(self):
        super().clean()
        if self.embargo and not self.go_live_at:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {"go_live_at": _("엠바고 기사에는 발행 예약 시각을 정해야 합니다.")}
            )

    def render_body(self) -> str:
        """Render the body blocks to sanitized HTML.

        A photo among the first ``EAGER_PHOTO_BLOCKS`` blocks is on a phone's first screen
        and usually the page's largest element (its LCP): it loads at once, with high
        priority. Every other photo loads lazily, when the reader scrolls near it.
        """
        photos = (i for i, block in enumerate(self.body) if block.block_type == "photo")
        eager = next(photos, None)
        parts = [
            render_to_string(
                "articles/blocks/" + block.block_type + ".html",
                {"value": block.value, "eager": index == eager and index < EAGER_PHOTO_BLOCKS},
            )
            for index, block in enumerate(self.body)
        ]
        return clean_html("".join(parts))

    def refresh_derived_fields(self):
        self.rendered_body = self.render_body()
        lead = ""
        for block in self.body:
            if block.block_type == "paragraph":
                lead = plain_text(block.value.source)
                if lead:
                    break
        self.excerpt = shorten(lead, EXCERPT_LENGTH)

    def repair_rich_text(self):
        """Reduce a paragraph the admin's editor could not open (written around the editor:
        a script, a model save) to markup it can; editor-made paragraphs are untouched."""
        from wagtail.rich_text import RichText

        for block in self.body:
            if block.block_type == "paragraph" and not editor_can_open(block.value.source):
                source = editor_html(block.value.source)
                if not editor_can_open(source):  # well-formed, but nested beyond Draftail
                    source = "<p>" + escape(plain_text(block.value.source)) + "</p>"
                block.value = RichText(source)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.repair_rich_text()
            self.refresh_derived_fields()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "rendered_body", "excerpt"}
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        # The correction time belongs to the article, not to one revision.
        obj.modified_at = self.modified_at
        return obj

    # Preview in the admin renders the reader's page from the unsaved object.
    def get_preview_template(self, request, mode_name, **kwargs):
        return "articles/article_preview.html"

    def get_preview_context(self, request, mode_name, **kwargs):
        context = super().get_preview_context(request, mode_name, **kwargs)
        self.refresh_derived_fields()
        context["article"] = self
        return context
