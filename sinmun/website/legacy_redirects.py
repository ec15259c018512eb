"""Permanent redirects from an imported paper's old addresses.

Only two kinds of request pay for a lookup: one whose answer is already a 404 (the old
address is not a sinmun address), and the home page with an id parameter (WordPress's
``/?p=123`` reaches the home view, which would answer 200). Everything else passes
through untouched, so reading an article costs nothing more.
"""

from django.http import HttpResponsePermanentRedirect

from sinmun.transfer.legacy import ID_PARAMETERS, legacy_redirect_url


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path in ("/", "/m/") and any(p in request.GET for p in ID_PARAMETERS):
                target = legacy_redirect_url(request)
                if target:
                    return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = legacy_redirect_url(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
