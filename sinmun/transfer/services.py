"""Writes of the transfer app's own rows: the old addresses (``LegacyURL``) of articles."""

from __future__ import annotations

from .models import LegacyURL


def legacy_url_add_many(*, article_id: int, paths: list[str]) -> None:
    """Give article ``article_id`` these old (normalised) addresses, in one insert.

    The caller checks that no other article has them; the unique path refuses a race.
    """
    LegacyURL.objects.bulk_create(LegacyURL(path=path, article_id=article_id) for path in paths)
