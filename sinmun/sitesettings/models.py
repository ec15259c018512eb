"""What the paper says about itself: masthead, the legal footer, campaign banners."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

SITE_CACHE_KEY = "sitesettings:v2"

# The fields 신문 등의 진흥에 관한 법률 제21조 and the youth-protection rule require on the
# main screen of an internet newspaper, in the order they are usually shown.
LEGAL_FIELDS = (
    "name",
    "company",
    "registration_number",
    "registration_date",
    "publication_date",
    "publisher",
    "editor",
    "youth_protection_officer",
    "address",
    "phone",
    "email",
)


@register_setting(icon="site")
class SiteProfile(BaseGenericSetting):
    name = models.CharField(_("제호"), max_length=100, default="신문")
    tagline = models.CharField(_("한 줄 소개"), max_length=200, blank=True)
    company = models.CharField(_("명칭(법인·단체명)"), max_length=100, blank=True)
    registration_number = models.CharField(_("등록번호"), max_length=50, blank=True)
    registration_date = models.DateField(_("등록연월일"), null=True, blank=True)
    publication_date = models.DateField(_("발행연월일"), null=True, blank=True)
    publisher = models.CharField(_("발행인"), max_length=50, blank=True)
    editor = models.CharField(_("편집인"), max_length=50, blank=True)
    youth_protection_officer = models.CharField(_("청소년보호책임자"), max_length=50, blank=True)
    address = models.CharField(_("발행소 주소"), max_length=200, blank=True)
    phone = models.CharField(_("전화"), max_length=40, blank=True)
    email = models.EmailField(_("이메일"), blank=True)
    # Shown at /policy/youth/ (sinmun/newsroom/views.py), linked from the footer.
    youth_policy = models.TextField(
        _("청소년보호정책"),
        blank=True,
        max_length=20000,
        help_text=_("청소년보호정책 페이지에 보일 글입니다. 빈 줄로 문단을 나눕니다."),
    )
    # The publisher logo portals and search engines show (JSON-LD, Open Graph). Without
    # one, sinmun's default mark (static/sinmun/logo.png) is used.
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("로고"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "검색엔진과 포털에 발행처 로고로 보입니다. 가로 600px 안팎의 PNG·JPEG를 권합니다."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("tagline"), FieldPanel("logo")], heading=_("제호")
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in LEGAL_FIELDS if name != "name"],
            heading=_("법정 표시 사항"),
        ),
        FieldPanel("youth_policy"),
    ]

    class Meta:
        verbose_name = _("신문 정보")

    @property
    def missing_legal_fields(self):
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in LEGAL_FIELDS
            if not getattr(self, name)
        ]


class Banner(models.Model):
    """A campaign link the paper shows beside its articles (the seed page's 역사왜곡)."""

    label = models.CharField(_("문구"), max_length=60)
    url = models.CharField(
        _("연결 주소"),
        max_length=500,
        help_text=_("사이트 안의 주소(/로 시작) 또는 https:// 주소"),
    )
    description = models.CharField(_("설명"), max_length=200, blank=True)
    active = models.BooleanField(_("게시"), default=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)

    panels = ["label", "url", "description", "active", "order"]

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("배너")
        verbose_name_plural = _("배너")

    def __str__(self):
        return self.label

    @property
    def url_allowed(self) -> bool:
        """A site path or an http(s) address, and nothing a browser could read otherwise
        (``javascript:``, ``//host``, ``/\\host``, leading blanks or control characters)."""
        url = self.url
        if url != url.strip() or any(ord(c) < 32 or c == "\\" for c in url):
            return False
        if url.startswith("/"):
            return not url.startswith("//")
        return url.startswith(("https://", "http://"))

    def clean(self):
        from django.core.exceptions import ValidationError

        if not self.url_allowed:
            raise ValidationError(
                {"url": _("/로 시작하는 주소나 http(s):// 주소만 쓸 수 있습니다.")}
            )
