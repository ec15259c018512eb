"""Passing failures of the machine answered as such, never as a 500 traceback.

* The database unreachable (stopped, restarting, out of connections): 503 with
  Retry-After and a Korean "잠시 점검 중" page. Persistent connections are
  health-checked (CONN_HEALTH_CHECKS), so the site recovers by itself when it is back.
* The disk full while saving an upload: 507 with a Korean page saying so; the file
  is written before its row, so no row points to a file that is not there.

``sinmun.core.views.server_error`` (handler500) does the same for a database error raised
outside a view (in a middleware), where ``process_exception`` is not called.
Tested in tests/faults (test_postgres_down.py, test_disk_full.py).
"""

from __future__ import annotations

import errno
import logging

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# Seconds a client (or nginx, a crawler) is asked to wait when the database is down.
DATABASE_RETRY_AFTER = 30


def database_unavailable_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def disk_full_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("507.html").render(), status=507)
    add_never_cache_headers(response)
    return response


def response_for(error: BaseException) -> HttpResponse | None:
    if isinstance(error, OperationalError | InterfaceError):
        logger.error("database unavailable: %s", error)
        return database_unavailable_response()
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        logger.error("disk full while saving: %s", error)
        return disk_full_response()
    return None


class UnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return response_for(exception)
