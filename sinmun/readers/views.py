from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from sinmun.core.http import reader_page

from .selectors import most_viewed_article_list

RANKING_SIZE = 30
PERIODS = [("day", _("일간")), ("week", _("주간")), ("month", _("월간"))]


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
