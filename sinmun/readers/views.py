import secrets
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sinmun.articles.selectors import article_get_public
from sinmun.core.http import reader_page

from .forms import MESSAGE_MAX, ArticleEmailForm
from .selectors import most_viewed_article_list
from .services import (
    EmailRefused,
    LikeRefused,
    article_email_send,
    like_add,
    like_exists,
    view_record,
)
from .visitor import address_hash, is_bot, is_cross_site, is_prefetch, visitor_hash

RANKING_SIZE = 30
PERIODS = [
    ("day", gettext_lazy("일간")),
    ("week", gettext_lazy("주간")),
    ("month", gettext_lazy("월간")),
]


@require_safe
@reader_page
def ranking(request, edition="pc"):
    period = request.GET.get("period", "day")
    if period not in dict(PERIODS):
        raise Http404("unknown ranking period")
    template = "mobile/ranking.html" if edition == "mobile" else "readers/ranking.html"
    return render(
        request,
        template,
        {
            "period": period,
            "periods": PERIODS,
            "items": most_viewed_article_list(period=period, limit=RANKING_SIZE),
            "edition": edition,
            "mobile_url": reverse("articles:mobile_ranking"),
            "pc_url": reverse("articles:ranking"),
        },
    )


# --- the uncached reader endpoints under /reader/ ----------------------------------
#
# The article page is cached and carries nothing per visitor. What needs a CSRF token
# (the e-mail form, the like button) lives here, uncached, and the CSRF cookie is
# scoped to /reader/ so it is never sent with (and never splits the cache of) article
# pages. The view beacon needs no token: it changes nothing a forged request could
# abuse beyond what visiting the page does.


def _reader_csrf_path() -> str:
    return reverse("readers:root")


def _csrf_failure(request) -> bool:
    """Run Django's CSRF check; True when it refuses the request.

    Through the middleware's documented hook: ``process_view`` returns None to let the
    request through, or a response (Django's 403) to refuse it. Anything but None is a
    refusal, so the check fails closed; the views answer with their own Korean message.
    """
    middleware = CsrfViewMiddleware(lambda r: None)
    return middleware.process_view(request, _csrf_checked_view, (), {}) is not None


def _csrf_checked_view(request):  # a stand-in callback without csrf_exempt
    return None


def reader_endpoint(view):
    """Never cache the answer, and scope a newly issued CSRF cookie to /reader/."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            response.set_cookie(
                settings.CSRF_COOKIE_NAME,
                request.META["CSRF_COOKIE"],
                max_age=settings.CSRF_COOKIE_AGE,
                domain=settings.CSRF_COOKIE_DOMAIN,
                path=_reader_csrf_path(),
                secure=settings.CSRF_COOKIE_SECURE,
                httponly=settings.CSRF_COOKIE_HTTPONLY,
                samesite=settings.CSRF_COOKIE_SAMESITE,
            )
            # Done: the middleware must not set a second, site-wide cookie.
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        return response

    # Checked inside the views, so a stale token gets a Korean message on the form
    # instead of Django's 403 page.
    return csrf_exempt(wrapped)


REFUSAL_STATUS = {"rate_limited": 429, "smtp_failed": 503, "unavailable": 503}


def _public_article(pk):
    article = article_get_public(pk=pk)
    if article is None:
        raise Http404("no public article with this number")
    return article


def _email_form_context(request, article, form, **extra):
    return {
        "article": article,
        "form": form,
        "csrf_token_value": get_token(request),
        "message_max": MESSAGE_MAX,
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@reader_endpoint
def article_email(request, pk):
    """기사 메일전송: the form (GET), and sending it (POST, then a result page)."""
    article = _public_article(pk)
    if request.method != "POST":
        form = ArticleEmailForm(initial={"nonce": secrets.token_urlsafe(24)})
        return render(
            request, "readers/article_email.html", _email_form_context(request, article, form)
        )

    form = ArticleEmailForm(request.POST)
    if _csrf_failure(request):
        # Keep what the reader typed; a fresh token comes with the page.
        form.is_valid()
        form.errors.clear()
        form.add_error(None, _("보안 확인이 만료되었습니다. 내용을 확인한 뒤 다시 보내 주세요."))
        return render(
            request,
            "readers/article_email.html",
            _email_form_context(request, article, form),
            status=403,
        )
    if form.is_valid():
        data = form.cleaned_data
        try:
            article_email_send(
                article=article,
                sender_name=data["sender_name"],
                sender_email=data["sender_email"],
                recipient=data["recipient"],
                message=data["message"],
                visitor=address_hash(request),
                nonce=data["nonce"],
            )
        except EmailRefused as refusal:
            if refusal.code == "duplicate":
                return render(
                    request,
                    "readers/article_email_sent.html",
                    {"article": article, "recipient": data["recipient"], "duplicate": True},
                )
            form.add_error(refusal.field, refusal.message)
            status = REFUSAL_STATUS.get(refusal.code, 400)
            return render(
                request,
                "readers/article_email.html",
                _email_form_context(request, article, form),
                status=status,
            )
        return render(
            request,
            "readers/article_email_sent.html",
            {"article": article, "recipient": data["recipient"], "duplicate": False},
        )
    return render(
        request,
        "readers/article_email.html",
        _email_form_context(request, article, form),
        status=400,
    )


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "HEAD"])
@reader_endpoint
def article_state(request, pk):
    """What reader.js needs and a cached page cannot carry: a CSRF token, the current
    like count and whether this visitor already liked the article."""
    article = _public_article(pk)
    counter = getattr(article, "counter", None)
    return JsonResponse(
        {
            "csrfToken": get_token(request),
            "likes": counter.likes if counter else 0,
            "liked": like_exists(article_id=article.pk, visitor=visitor_hash(request)),
        }
    )


@require_http_methods(["GET", "HEAD", "POST"])
@reader_endpoint
def article_like(request, pk):
    """추천: JSON for reader.js; without JavaScript, a small page with a button."""
    article = _public_article(pk)
    counter = getattr(article, "counter", None)
    context = {"article": article, "likes": counter.likes if counter else 0}
    if request.method != "POST":
        context["csrf_token_value"] = get_token(request)
        return render(request, "readers/article_like.html", context)

    error, status, result = None, 200, None
    if _csrf_failure(request):
        error, status = (
            _("보안 확인이 만료되었습니다. 페이지를 새로 고친 뒤 다시 눌러 주세요."),
            403,
        )
    else:
        try:
            result = like_add(
                article_id=article.pk,
                visitor=visitor_hash(request),
                address=address_hash(request),
            )
        except LikeRefused as refusal:
            error, status = refusal.message, 429
    if result is not None:
        context["likes"] = result.likes
        message = _("추천했습니다.") if result.added else _("이미 추천한 기사입니다.")
    else:
        message = error
    if _wants_json(request):
        payload = {"likes": context["likes"], "message": message}
        if result is not None:
            payload["added"] = result.added
        else:
            payload["error"] = error
        return JsonResponse(payload, status=status)
    context.update(
        message=message,
        done=result is not None,
        csrf_token_value=get_token(request),
    )
    return render(request, "readers/article_like.html", context, status=status)


@require_POST
@csrf_exempt
def article_view_beacon(request, pk):
    """Count a view (sendBeacon from reader.js). Always 204; bots, prefetches and beacons
    sent by another site's page are answered the same way but not counted.

    204 even when refused: sendBeacon ignores the answer and reader.js's fetch fallback
    swallows it, so an error status would only put a red line in a reader's console and
    tell a forger what was refused."""
    if not (is_bot(request) or is_prefetch(request) or is_cross_site(request)):
        view_record(article_id=pk, visitor=visitor_hash(request), address=address_hash(request))
    response = HttpResponse(status=204)
    add_never_cache_headers(response)
    return response
