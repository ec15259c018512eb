"""기사 메일전송: sending an article to someone by e-mail, abuse-proof (re-exported by
services.py, the readers' one writer)."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from email.utils import formataddr

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sinmun.articles.models import Article

from .forms import LINE_BREAKS
from .ratelimit import Limit, LimitUnavailable, hit

logger = logging.getLogger(__name__)


# --- 기사 메일전송 ---------------------------------------------------------------


class EmailRefused(Exception):
    """The e-mail was not sent; ``message`` says why in Korean, ``field`` where."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


def _email_limits() -> dict[str, Limit]:
    cfg = getattr(settings, "SINMUN_EMAIL_RATE_LIMITS", {})
    return {
        "visitor_hour": Limit("mail-vh", cfg.get("visitor_per_hour", 5), 3600),
        "visitor_day": Limit("mail-vd", cfg.get("visitor_per_day", 20), 86400),
        "recipient_day": Limit("mail-rd", cfg.get("recipient_per_day", 3), 86400),
        "site_hour": Limit("mail-sh", cfg.get("site_per_hour", 100), 3600),
    }


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _one_line(value: str) -> str:
    return LINE_BREAKS.sub(" ", value).strip()


def _site_name() -> str:
    from sinmun.sitesettings.selectors import site_context

    return site_context()["profile"].name


def article_email_send(
    *,
    article: Article,
    sender_name: str,
    sender_email: str,
    recipient: str,
    message: str,
    visitor: str,
    nonce: str,
) -> None:
    """Send ``article`` to ``recipient`` on behalf of a reader, or raise EmailRefused.

    The form has already checked the fields; this re-checks what reaches a header
    (never trust one caller), applies the rate limits and sends exactly once per
    ``nonce`` (a random value in each rendered form): a double submit or a reload of
    the result cannot send twice, and a failed send can be retried.
    """
    for field, value in (
        ("sender_name", sender_name),
        ("sender_email", sender_email),
        ("recipient", recipient),
        ("message", message),
    ):
        if LINE_BREAKS.search(value):
            raise EmailRefused(
                _("줄바꿈 없이 한 줄로 적어 주세요."), field=field, code="line_break"
            )
    if "," in recipient or ";" in recipient or recipient.count("@") != 1:
        raise EmailRefused(
            _("받는 사람은 한 명만 적을 수 있습니다."), field="recipient", code="recipients"
        )

    nonce_key = f"readers:mail-nonce:{nonce}"
    try:
        fresh = cache.add(nonce_key, "sending", timeout=86400)
    except Exception as exc:  # noqa: BLE001 - a cache failure must fail closed
        logger.warning("e-mail nonce store failed: %s", exc)
        fresh = None
    if fresh is None:
        raise EmailRefused(
            _("지금은 메일을 보낼 수 없습니다. 잠시 뒤 다시 시도해 주세요."), code="unavailable"
        )
    if not fresh:
        raise EmailRefused(_("이 양식으로는 이미 메일을 보냈습니다."), code="duplicate")

    try:
        _email_check_limits(visitor=visitor, recipient=recipient)
        _email_deliver(
            article=article,
            sender_name=sender_name,
            sender_email=sender_email,
            recipient=recipient,
            message=message,
        )
    except EmailRefused:
        # Nothing went out: the same form may be sent again later.
        cache.delete(nonce_key)
        raise
    cache.set(nonce_key, "sent", timeout=86400)


def _email_check_limits(*, visitor: str, recipient: str) -> None:
    limits = _email_limits()
    checks = [
        (
            "visitor_hour",
            visitor,
            None,
            _("짧은 시간에 너무 많이 보냈습니다. 한 시간 뒤 다시 보내 주세요."),
        ),
        (
            "visitor_day",
            visitor,
            None,
            _("오늘 보낼 수 있는 횟수를 넘었습니다. 내일 다시 보내 주세요."),
        ),
        (
            "recipient_day",
            _digest(recipient.lower()),
            "recipient",
            _("이 주소로는 오늘 더 보낼 수 없습니다."),
        ),
        (
            "site_hour",
            "all",
            None,
            _("지금은 메일 전송이 많아 보낼 수 없습니다. 잠시 뒤 다시 시도해 주세요."),
        ),
    ]
    for name, subject, field, text in checks:
        try:
            allowed = hit(limits[name], subject)
        except LimitUnavailable:
            raise EmailRefused(
                _("지금은 메일을 보낼 수 없습니다. 잠시 뒤 다시 시도해 주세요."), code="unavailable"
            ) from None
        if not allowed:
            raise EmailRefused(text, field=field, code="rate_limited")


def _email_deliver(*, article, sender_name, sender_email, recipient, message) -> None:
    site_name = _site_name()
    context = {
        "site_name": site_name,
        "article": article,
        "url": settings.SINMUN_BASE_URL + article.get_absolute_url(),
        "sender_name": sender_name,
        "sender_email": sender_email,
        "message": message,
    }
    email = EmailMessage(
        subject=_one_line(f"[{site_name}] {article.title}"),
        body=render_to_string("readers/email/article_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
        reply_to=[formataddr((sender_name, sender_email))],
        headers={"Auto-Submitted": "auto-generated", "X-Sinmun-Article": str(article.pk)},
    )
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused:
        raise EmailRefused(
            _("메일 서버가 이 주소로는 보낼 수 없다고 합니다. 주소를 확인해 주세요."),
            field="recipient",
            code="recipient_refused",
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("article e-mail not sent: %s", exc)
        raise EmailRefused(
            _("메일 서버에 연결하지 못해 보내지 못했습니다. 잠시 뒤 다시 보내 주세요."),
            code="smtp_failed",
        ) from None
