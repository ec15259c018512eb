"""Reader pages for the archive: home, article, print, section, reporter, tag.

Each view runs a fixed, small number of indexed queries (see tests/test_queries).
Mobile editions (/m/...) use the same views with lighter templates.
"""

from functools import partial

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from taggit.models import Tag

from sinmun.articles import selectors
from sinmun.articles.access import access_article_edit
from sinmun.articles.models import Article, Section
from sinmun.core.http import reader_page, signed_in_user
from sinmun.newsroom.selectors import correction_list_for_article, home_front_articles
from sinmun.readers.selectors import most_viewed_article_list

PAGE_SIZE = 20
HOME_LATEST = 10
HOME_PER_SECTION = 4

TEMPLATES = {"pc": "articles/{}.html", "mobile": "mobile/{}.html"}


def _template(edition: str, name: str) -> str:
    return TEMPLATES[edition].format(name)


def _page(request, queryset):
    paginator = Paginator(queryset, PAGE_SIZE)
    number = request.GET.get("page", "1")
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        raise Http404("page must be a number") from None
    except EmptyPage:
        raise Http404("no such page") from None


@require_safe
@reader_page
def home(request, edition="pc"):
    # The desk's arrangement first (top story, featured), then the latest.
    top, latest = home_front_articles(limit=HOME_LATEST)
    shown = {a.pk for a in latest} | ({top.pk} if top else set())
    sections = [
        (
            section,
            selectors.article_latest_list(limit=HOME_PER_SECTION, section=section, exclude=shown),
        )
        for section in selectors.section_list()
    ]
    return render(
        request,
        _template(edition, "home"),
        {
            "top": top,
            "latest": latest,
            "sections": [(s, items) for s, items in sections if items],
            # Called by the template only when its cached fragment is stale.
            "most_viewed": partial(most_viewed_article_list, period="day", limit=7),
            "edition": edition,
            "mobile_url": reverse("articles:mobile_home"),
            "pc_url": reverse("articles:home"),
        },
    )


@require_safe
@reader_page
def article_detail(request, pk, edition="pc"):
    article = selectors.article_get_public(pk=pk)
    if article is None:
        raise Http404("no public article with this number")
    previous, following = selectors.article_neighbours(article=article)
    can_edit = access_article_edit(signed_in_user(request), article)
    return render(
        request,
        _template(edition, "article"),
        {
            "article": article,
            "tags": selectors.article_tag_list(pk=article.pk),
            "corrections": correction_list_for_article(article_id=article.pk),
            "previous": previous,
            "next": following,
            # Called by the template only when its cached fragment is stale.
            "most_viewed": partial(most_viewed_article_list, period="day", limit=7),
            "can_edit": can_edit,
            # Only staff who may edit get the link; readers' pages skip the reverse().
            "edit_url": (
                reverse("wagtailsnippets_articles_article:edit", args=[article.pk])
                if can_edit
                else ""
            ),
            "edition": edition,
            "mobile_url": article.get_mobile_url(),
            "pc_url": article.get_absolute_url(),
        },
    )


@require_safe
@reader_page
def article_print(request, pk):
    article = selectors.article_get_public(pk=pk)
    if article is None:
        raise Http404("no public article with this number")
    return render(
        request,
        "articles/article_print.html",
        {"article": article, "corrections": correction_list_for_article(article_id=article.pk)},
    )


@require_safe
@reader_page
def section_detail(request, code, edition="pc"):
    section = get_object_or_404(Section, code=code)
    page = _page(
        request,
        Article.objects.public()
        .for_listing()
        .filter(section=section)
        .order_by("-first_published_at", "-id"),
    )
    return render(
        request,
        _template(edition, "section"),
        {
            "section": section,
            "page": page,
            "edition": edition,
            "mobile_url": reverse("articles:mobile_section", args=[section.code]),
            "pc_url": section.get_absolute_url(),
        },
    )


@require_safe
@reader_page
def reporter_detail(request, pk):
    from sinmun.articles.models import Reporter

    reporter = get_object_or_404(Reporter.objects.select_related("photo"), pk=pk)
    page = _page(
        request,
        Article.objects.public()
        .for_listing()
        .filter(reporter=reporter)
        .order_by("-first_published_at", "-id"),
    )
    return render(request, "articles/reporter.html", {"reporter": reporter, "page": page})


@require_safe
@reader_page
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = _page(
        request,
        Article.objects.public()
        .for_listing()
        .filter(tags=tag)
        .order_by("-first_published_at", "-id"),
    )
    return render(request, "articles/tag.html", {"tag": tag, "page": page})


# Korean news solutions' URL forms, answered with a permanent redirect so that links in
# portals, social media and old pages keep working after a paper moves to sinmun.
@require_safe
def legacy_article_view(request):
    # An imported article that had to take another number remembers its old address.
    from sinmun.transfer.legacy import legacy_redirect_url

    target = legacy_redirect_url(request)
    if target:
        return redirect(target, permanent=True)
    idxno = request.GET.get("idxno", "")
    if not idxno.isdigit():
        raise Http404("idxno must be an article number")
    if not Article.objects.public().filter(pk=int(idxno)).exists():
        raise Http404("no public article with this number")
    mobile = request.path.startswith("/m/")
    name = "articles:mobile_article" if mobile else "articles:article"
    return redirect(reverse(name, args=[int(idxno)]), permanent=True)


@require_safe
def legacy_article_list(request):
    code = request.GET.get("sc_section_code", "")
    word = request.GET.get("sc_word", "").strip()
    if word:
        # The news solution's search form: the same words on sinmun's search page.
        from django.utils.http import urlencode

        params = {"q": word[:200], **({"section": code} if code else {})}
        return redirect(f"{reverse('search:search')}?{urlencode(params)}", permanent=True)
    if code:
        section = get_object_or_404(Section, code=code)
        return redirect(section.get_absolute_url(), permanent=True)
    return redirect(reverse("articles:home"), permanent=True)
