"""Querysets whose SQL is built once per process, then run with new values.

Building a queryset (``filter()`` clones, ``Q`` trees) and compiling it to SQL cost
more than running it: on an uncached article page, about half of the time went there
for four indexed queries that take well under a millisecond in the database.
``PreparedQuery`` builds the queryset once with placeholder values, keeps the compiled
SQL, and for each call puts the real values in their places and hands the SQL to
Django's own iterator, so model instances, ``select_related`` objects and field
converters come out exactly as from the ORM. If the placeholders cannot be found in the
compiled parameters (an unusual backend), every call simply runs the ORM.

That fallback is silent to a reader and to any test that compares results, so it is
guarded: it logs a warning, ``SINMUN_PREPARED_QUERY_STRICT`` (on in the test settings)
makes it raise :class:`PreparedQueryUnavailable` instead, and
sinmun/core/tests/test_prepared.py asserts that the reader pages' queries are prepared.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.db.models import Field, QuerySet

logger = logging.getLogger(__name__)


class PreparedQueryUnavailable(RuntimeError):
    """A placeholder was not found in the compiled SQL's parameters (strict mode only)."""


class PreparedQuery:
    """``PreparedQuery(build, name=(field, placeholder), …)``; call with ``name=value``.

    ``build(**values)`` returns the queryset (sliced if it should be limited); each
    value is prepared for the database as ``field`` prepares it for a lookup. Returns
    the list of results.
    """

    def __init__(self, build: Callable[..., QuerySet], **placeholders: tuple[Field, object]):
        self.build = build
        self.placeholders = placeholders
        self._prepared: dict[tuple[str, int], object] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _db_value(field: Field, value, connection):
        return field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)

    def _prepare(self, alias: str):
        connection = connections[alias]
        queryset = self.build(**{n: v for n, (_, v) in self.placeholders.items()}).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        slots: list[tuple[int, str]] = []
        for name, (field, placeholder) in self.placeholders.items():
            marker = self._db_value(field, placeholder, connection)
            found = [i for i, p in enumerate(params) if type(p) is type(marker) and p == marker]
            if not found:
                if getattr(settings, "SINMUN_PREPARED_QUERY_STRICT", False):
                    raise PreparedQueryUnavailable(
                        f"prepared query: placeholder {name!r} not found in the parameters "
                        f"on {connection.vendor}; every call would run the ORM"
                    )
                logger.warning("prepared query: %s not found in the parameters", name)
                return None
            slots += [(i, name) for i in found]
        return queryset, compiler, sql, params, slots

    def is_prepared(self, using: str = "default") -> bool:
        """Whether calls on ``using`` run the kept SQL (False: not yet, or the ORM fallback)."""
        return bool(self._prepared.get((using, connections[using].vendor)))

    def __call__(self, *, using: str = "default", **values) -> list:
        connection = connections[using]
        key = (using, connection.vendor)
        prepared = self._prepared.get(key)
        if prepared is None:
            with self._lock:
                prepared = self._prepared.get(key)
                if prepared is None:
                    prepared = self._prepare(using) or False
                    self._prepared[key] = prepared
        if prepared is False:
            return list(self.build(**values).using(using))
        queryset, compiler, sql, params, slots = prepared
        params = list(params)
        for index, name in slots:
            params[index] = self._db_value(self.placeholders[name][0], values[name], connection)
        run = copy.copy(compiler)
        # This thread's connection (gthread workers: one per thread), this call's values.
        run.connection = connection
        run.as_sql = lambda *args, **kwargs: (sql, tuple(params))
        clone = queryset._chain()
        clone.query.get_compiler = lambda *args, **kwargs: run
        return list(clone)
