"""Staff logins: brute-force lock-out (django-axes) and the page a locked-out person sees.

django-axes counts failed logins in the database (``axes.handlers.database``), so every
app process and machine shares the counts. Lock-out is per login name and, separately,
per client address (``AXES_LOCKOUT_PARAMETERS``); the address is the one
``sinmun.readers.visitor.client_ip`` trusts (REMOTE_ADDR, or what a trusted proxy passed
on when ``SINMUN_BEHIND_PROXY`` is on), so a forged X-Forwarded-For neither escapes the
count nor locks someone else out.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' gatekeeper, first in ``AUTHENTICATION_BACKENDS``.

    A web login always carries the request (Django's and Wagtail's login forms pass it).
    ``authenticate()`` without one comes from our own code (management commands, the test
    client's ``login``), never from the network: it is let through to the next backend
    instead of raising, as axes' own backend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a login while locked out: 429, in Korean, naming no account."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "security/lockout.html", {"minutes": minutes}, status=429)
