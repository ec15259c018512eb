"""Security headers on every response: Content-Security-Policy, Permissions-Policy and
frame protection, on top of what Django's SecurityMiddleware sends (nosniff,
Referrer-Policy, Cross-Origin-Opener-Policy, HSTS on https).

Why a small middleware and not django-csp: sinmun needs exactly two fixed policies (reader
pages and the Wagtail admin), chosen by path, and no nonces, because reader pages are
cached whole (sinmun/delivery, nginx) and a per-response nonce would either break the
cache or be shared by every reader. Django 6.0 brings its own CSP support; this module
is the place to switch to it.

The middleware sits right after SecurityMiddleware, outside the page cache, so a page
served from the cache carries the same headers; nginx stores the app's headers with a
page and serves them again (deploy/nginx/sinmun.conf.in sets them for /static/ and
/media/, which it serves itself).
"""

from __future__ import annotations

from django.conf import settings

# Reader pages run only our own files: no inline script, no inline style, nothing from
# other sites. JSON-LD (<script type="application/ld+json">) is data and never runs.
READER_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Wagtail's admin writes inline scripts and styles (its templates and Draftail), and
# shows previews in a same-origin iframe. Scripts still come only from this site.
ADMIN_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}

# Powerful browser features no page of a newspaper needs.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


def build_policy(directives: dict[str, list[str]], *, extra_images: list[str] = ()) -> str:
    parts = []
    for name, sources in directives.items():
        if name in ("img-src", "media-src") and extra_images:
            sources = [*sources, *extra_images]
        parts.append(" ".join([name, *sources]))
    if getattr(settings, "SECURE_SSL_REDIRECT", False):
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Photos served from another host (a CDN in front of /media/): SINMUN_CSP_MEDIA_ORIGINS.
        extra = list(getattr(settings, "SINMUN_CSP_MEDIA_ORIGINS", []))
        self.reader_policy = build_policy(READER_POLICY, extra_images=extra)
        self.admin_policy = build_policy(ADMIN_POLICY, extra_images=extra)
        self.admin_prefix = getattr(settings, "SINMUN_ADMIN_PREFIX", "/admin/")

    def __call__(self, request):
        response = self.get_response(request)
        headers = response.headers
        # Wagtail renders a preview by running a made-up request for the reader URL
        # through the middleware (request.is_dummy); it is shown inside the admin's
        # preview iframe, so it gets the admin's policy and may be framed by the admin.
        preview = getattr(request, "is_dummy", False)
        if preview and not getattr(response, "xframe_options_exempt", False):
            headers["X-Frame-Options"] = "SAMEORIGIN"
        if "Content-Security-Policy" not in headers:
            admin = preview or request.path_info.startswith(self.admin_prefix)
            headers["Content-Security-Policy"] = self.admin_policy if admin else self.reader_policy
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # XFrameOptionsMiddleware sets this for responses it sees; this covers the rest
        # (answers made before it, e.g. by WhiteNoise or a middleware that short-cuts).
        if not getattr(response, "xframe_options_exempt", False):
            headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response
