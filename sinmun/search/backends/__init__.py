"""Pick the search backend for the database in use (or ``SINMUN_SEARCH_BACKEND``)."""

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from .base import IndexDocument, SearchBackend, SearchFilters, SearchHits, SearchQuery

BY_VENDOR = {
    "sqlite": "sinmun.search.backends.sqlite.SQLiteBackend",
    "postgresql": "sinmun.search.backends.postgres.PostgresBackend",
}

__all__ = [
    "IndexDocument",
    "SearchBackend",
    "SearchFilters",
    "SearchHits",
    "SearchQuery",
    "get_backend",
]


def get_backend() -> SearchBackend:
    path = getattr(settings, "SINMUN_SEARCH_BACKEND", "") or BY_VENDOR.get(connection.vendor)
    if not path:
        raise RuntimeError(f"sinmun search has no backend for {connection.vendor!r}")
    return import_string(path)(connection)
