import sys

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from sinmun.core.middleware import response_for


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    passing = response_for(sys.exc_info()[1]) if sys.exc_info()[1] else None
    if passing is not None:
        return passing  # the database down or the disk full (sinmun/core/middleware.py)
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /article/*/print/"]
    # The sitemap index lists every other sitemap (sinmun/syndication).
    lines += ["", f"Sitemap: {settings.SINMUN_BASE_URL}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
