"""Reader pages of the newsroom: the corrections page and the youth-protection policy."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sinmun.core.http import reader_page

from . import selectors

PAGE_SIZE = 20


@require_safe
@reader_page
def corrections(request):
    paginator = Paginator(selectors.corrected_article_list(), PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page", "1"))
    except (PageNotAnInteger, EmptyPage):
        raise Http404("no such page") from None
    notes = selectors.corrections_by_article(a.pk for a in page)
    items = [(article, notes.get(article.pk, [])) for article in page]
    return render(request, "newsroom/corrections.html", {"page": page, "items": items})


@require_safe
@reader_page
def youth_policy(request):
    # The text comes from the site settings (SiteProfile.youth_policy), already in the
    # template context as site_profile.
    return render(request, "newsroom/youth_policy.html", {})
