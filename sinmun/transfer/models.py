"""What an imported archive leaves behind besides its articles: the old addresses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegacyURL(models.Model):
    """An address an article had in the paper's previous system.

    ``path`` is normalised by :func:`sinmun.transfer.legacy.normalise_url` (no scheme or
    host, percent-decoded, no trailing slash, query parameters sorted), so that every
    spelling of one old link finds the same row. Requests for such an address are
    answered with a permanent redirect to the article (sinmun/website/legacy_redirects.py).
    """

    path = models.CharField(_("예전 주소"), max_length=500, unique=True)
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("기사"),
        on_delete=models.CASCADE,
        related_name="legacy_urls",
    )

    class Meta:
        verbose_name = _("예전 주소")
        verbose_name_plural = _("예전 주소")
        ordering = ["article", "id"]

    def __str__(self):
        return f"{self.path} → {self.article_id}"
