"""Response helpers shared by reader views: who is asking, and who may cache the answer."""

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


def has_session(request) -> bool:
    """Whether the request carries a session cookie (a signed-in staff member, usually).

    Reader pages look at the session only when this is true, so an anonymous request
    never touches the session store and its response never sets a cookie.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def signed_in_user(request):
    """Return the signed-in user, or None, without loading a session for anonymous readers."""
    if not has_session(request):
        return None
    user = request.user
    return user if user.is_authenticated else None


def reader_page(view):
    """Mark a reader page cacheable by nginx or a CDN for anonymous readers.

    A response for someone with a session (staff) may differ (an edit link) and must
    never be stored by a shared cache.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if has_session(request):
            patch_cache_control(response, private=True, no_store=True)
        elif response.status_code in (200, 301, 404):
            patch_cache_control(response, public=True, max_age=settings.SINMUN_PAGE_MAX_AGE)
            # The application page cache stores only responses marked here
            # (sinmun/delivery/pagecache.py).
            response.sinmun_reader_page = True
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped
