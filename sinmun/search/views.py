"""The reader's search page: /search?q=…&section=…&reporter=…&from=…&to=…&sort=…&page=…

Whatever arrives in the query string (20 kB of text, control characters, FTS syntax,
bad dates) the page answers 200 with a Korean explanation, never a 5xx: the words
go through the analyser, and only its quoted terms reach the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sinmun.articles.models import Reporter, Section
from sinmun.core.http import reader_page

from .analyzer import analyse_query, normalize_text
from .selectors import article_search

MAX_QUERY_LENGTH = 100
MAX_WORDS = 10
PAGE_SIZE = 10
MAX_PAGES = 50  # deep pages of a relevance ranking help no one and cost the most
SORTS = ("relevance", "newest")

_SPACE = re.compile(r"\s+")


@dataclass
class SearchRequest:
    q: str = ""
    truncated: bool = False
    section: Section | None = None
    reporter: Reporter | None = None
    start: date | None = None
    end: date | None = None
    sort: str = "relevance"
    page: int = 1
    errors: list[str] = field(default_factory=list)

    @property
    def has_filters(self) -> bool:
        return bool(self.section or self.reporter or self.start or self.end)


def _date(value: str, label: str, errors: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        errors.append(
            _("%(label)s 날짜는 2024-03-01처럼 연-월-일로 적어 주세요.") % {"label": label}
        )
        return None


def parse_search_request(params, sections: list[Section], reporters: list[Reporter]):
    errors: list[str] = []
    raw = normalize_text(params.get("q", ""))
    q = _SPACE.sub(" ", raw).strip()
    truncated = len(q) > MAX_QUERY_LENGTH
    if truncated:
        q = q[:MAX_QUERY_LENGTH].rstrip()
    code = params.get("section", "").strip()
    section = next((s for s in sections if s.code == code), None)
    if code and section is None:
        errors.append(_("선택한 섹션이 없어 모든 섹션에서 찾았습니다."))
    reporter_value = params.get("reporter", "").strip()
    reporter = None
    if reporter_value:
        reporter = next((r for r in reporters if str(r.pk) == reporter_value), None)
        if reporter is None:
            errors.append(_("선택한 기자가 없어 모든 기자의 기사에서 찾았습니다."))
    start = _date(params.get("from", ""), _("시작"), errors)
    end = _date(params.get("to", ""), _("끝"), errors)
    if start and end and start > end:
        errors.append(_("시작 날짜가 끝 날짜보다 늦어 기간을 적용하지 않았습니다."))
        start = end = None
    sort = params.get("sort", "relevance")
    page_value = params.get("page", "1")
    page = int(page_value) if page_value.isdigit() and len(page_value) < 6 else 1
    return SearchRequest(
        q=q,
        truncated=truncated,
        section=section,
        reporter=reporter,
        start=start,
        end=end,
        sort=sort if sort in SORTS else "relevance",
        page=min(max(page, 1), MAX_PAGES),
        errors=errors,
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@require_safe
@reader_page
def search(request, edition="pc"):
    sections = list(Section.objects.all())
    reporters = list(Reporter.objects.only("id", "name").order_by("name", "id"))
    req = parse_search_request(request.GET, sections, reporters)
    analysed = analyse_query(req.q) if req.q else None
    if analysed is not None and len(analysed.clauses) > MAX_WORDS:
        req.errors.append(_("검색어가 길어 앞의 낱말 %(n)d개로 찾았습니다.") % {"n": MAX_WORDS})
        analysed = analysed.limited(MAX_WORDS)
    page = None
    if analysed is not None and not analysed.empty:
        results = article_search(
            analysed=analysed,
            section_id=req.section.pk if req.section else None,
            reporter_id=req.reporter.pk if req.reporter else None,
            start=_day_start(req.start) if req.start else None,
            end=_day_start(req.end + timedelta(days=1)) if req.end else None,
            order=req.sort,
        )
        paginator = Paginator(results, PAGE_SIZE)
        page = paginator.get_page(min(req.page, MAX_PAGES))
    template = "search/search_mobile.html" if edition == "mobile" else "search/search.html"
    response = render(
        request,
        template,
        {
            "search": req,
            "analysed": analysed,
            "page": page,
            "sections": sections,
            "reporters": reporters,
            "max_query_length": MAX_QUERY_LENGTH,
            "edition": edition,
            "max_pages": MAX_PAGES,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response
