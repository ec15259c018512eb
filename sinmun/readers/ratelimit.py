"""Fixed-window rate limits kept in the shared cache (Redis in production).

A limit that cannot be checked is treated as exceeded: if the cache is down, the
e-mail form refuses rather than becoming an open relay (fail closed).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


class LimitUnavailable(Exception):
    """The counter store failed; callers refuse the request."""


def hit(limit: Limit, subject: str, *, now: float | None = None) -> bool:
    """Count one use of ``limit`` by ``subject``; return whether it is still allowed.

    Raises LimitUnavailable when the cache cannot count (fail closed).
    """
    window = int((now if now is not None else time.time()) // limit.seconds)
    key = f"readers:rl:{limit.name}:{subject}:{window}"
    try:
        # add() is a no-op when the key exists; incr() is atomic across processes in
        # Redis and in the default install's shared store (diskcache, settings/base.py).
        cache.add(key, 0, timeout=limit.seconds + 60)
        used = cache.incr(key)
    except ValueError:
        # The key expired between add() and incr(): start the window again.
        try:
            cache.add(key, 1, timeout=limit.seconds + 60)
            used = 1
        except Exception as exc:  # noqa: BLE001 - any cache failure must fail closed
            raise LimitUnavailable(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - any cache failure must fail closed
        logger.warning("rate limit store failed: %s", exc)
        raise LimitUnavailable(str(exc)) from exc
    if used is None:
        # A cache that swallows its errors (django-redis IGNORE_EXCEPTIONS) answers None.
        raise LimitUnavailable("the rate limit store did not answer")
    return used <= limit.count
