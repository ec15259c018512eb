"""Counting views that nginx answered: the view log, read into the counters.

Behind nginx (deploy/nginx, ``render.py --view-log PATH``) the view beacon
(``POST /reader/article/N/view/``) never reaches the app: nginx answers ``204`` and
writes one JSON line per beacon to the view log, at tens of thousands of requests a
second. ``ingest_view_log`` (run by the scheduler's minute job, ``flush_view_counts``,
when ``SINMUN_VIEW_LOG`` names the file) counts those lines with the same rules as the
app's beacon: bots and prefetches are skipped, and a reader (keyed hash of address and
user agent) counts once per article per 30 minutes (``ArticleViewSeen``).

Exactly once: the position (file inode and byte offset) is stored in the database in
the same transaction as the counts of the lines before it, so a crash at any point
leaves either both or neither. A rotated log (renamed, e.g. ``views.log.1``, the way
logrotate does it before nginx reopens its logs) is found by its inode and read to its
end before the new file; a truncated one (``copytruncate``) is read again from the
start of the copy's unread part. Only whole lines are read.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sinmun.articles.models import Article

from .models import ArticleViewSeen, ViewLogPosition
from .visitor import is_bot, is_prefetch, visitor_hash

logger = logging.getLogger(__name__)

BEACON_PATH = re.compile(r"^/reader/article/(\d+)/view/?$")
READ_BYTES = 2 * 1024 * 1024  # ~9,000 lines: well inside SQLite's 32,766 parameters
ROTATED_SUFFIXES = (".1", ".0", "-1", ".old")


@dataclass
class IngestReport:
    lines: int = 0
    views: int = 0
    skipped: int = 0
    rotations: int = 0


class _LogRequest:
    """Just enough of an HttpRequest for visitor.py's rules."""

    def __init__(self, record: dict):
        self.META = {
            "REMOTE_ADDR": record.get("ip", ""),
            "HTTP_USER_AGENT": record.get("ua", ""),
            "HTTP_SEC_PURPOSE": record.get("sec_purpose", ""),
            "HTTP_PURPOSE": record.get("purpose", ""),
            "HTTP_X_PURPOSE": record.get("x_purpose", ""),
            "HTTP_X_MOZ": record.get("x_moz", ""),
        }


def _parse(line: bytes) -> tuple[int, str, datetime] | None:
    """Return (article id, visitor, time) for a countable beacon line, else None."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if record.get("method") != "POST":
        return None
    match = BEACON_PATH.match(record.get("uri", ""))
    if not match:
        return None
    request = _LogRequest(record)
    if is_bot(request) or is_prefetch(request):
        return None
    try:
        when = datetime.fromtimestamp(float(record["t"]), tz=UTC)
    except (KeyError, TypeError, ValueError):
        return None
    return int(match.group(1)), visitor_hash(request), when


def _count(lines: list[bytes], report: IngestReport) -> None:
    """Count ``lines`` into the counters (inside the caller's transaction)."""
    from .services import VIEW_WINDOW, _hour_start, _views_add

    beacons = [parsed for line in lines if (parsed := _parse(line))]
    report.lines += len(lines)
    report.skipped += len(lines) - len(beacons)
    if not beacons:
        return
    article_ids = {a for a, _, _ in beacons}
    public = set(
        Article.objects.public(timezone.now())
        .filter(pk__in=article_ids)
        .values_list("pk", flat=True)
    )
    beacons = [b for b in beacons if b[0] in public]
    if not beacons:
        return
    visitors = {v for _, v, _ in beacons}
    existing = {
        (row.article_id, row.visitor): row
        for row in ArticleViewSeen.objects.filter(
            article_id__in={a for a, _, _ in beacons}, visitor__in=visitors
        )
    }
    seen = {key: row.seen_at for key, row in existing.items()}
    changed: dict[tuple[int, str], datetime] = {}
    counts: dict[tuple[int, datetime], int] = {}
    for article_id, visitor, when in sorted(beacons, key=lambda b: b[2]):
        key = (article_id, visitor)
        last = seen.get(key)
        if last is not None and when - last < VIEW_WINDOW:
            continue
        seen[key] = changed[key] = when
        hour = _hour_start(when)
        counts[(article_id, hour)] = counts.get((article_id, hour), 0) + 1
    updates, creates = [], []
    for key, when in changed.items():
        row = existing.get(key)
        if row is not None:
            row.seen_at = when
            updates.append(row)
        else:
            creates.append(ArticleViewSeen(article_id=key[0], visitor=key[1], seen_at=when))
    if updates:
        ArticleViewSeen.objects.bulk_update(updates, ["seen_at"], batch_size=500)
    if creates:
        ArticleViewSeen.objects.bulk_create(creates, batch_size=500)
    for (article_id, hour), count in sorted(counts.items()):
        _views_add(article_id, hour, count)
    report.views += sum(counts.values())


def _rotated_file(path: Path, inode: int) -> Path | None:
    for suffix in ROTATED_SUFFIXES:
        candidate = path.with_name(path.name + suffix)
        try:
            if candidate.stat().st_ino == inode:
                return candidate
        except OSError:
            continue
    return None


def _read(path: Path, offset: int, *, finished: bool) -> tuple[list[bytes], int]:
    """Whole lines from ``offset``; return them and the offset after the last one. A
    file no longer written to (``finished``) gives its unterminated tail too."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read(READ_BYTES)
    end = data.rfind(b"\n") + 1
    if finished and len(data) < READ_BYTES:
        end = len(data)
    lines = [line for line in data[:end].split(b"\n") if line.strip()]
    return lines, offset + end


def _step(path: Path, report: IngestReport) -> bool:
    """Count one piece of the log in one transaction; return whether there may be more."""
    with transaction.atomic():
        position, _ = ViewLogPosition.objects.select_for_update().get_or_create(path=str(path))
        try:
            current = path.stat()
        except FileNotFoundError:
            current = None
        if current is not None and position.inode in (0, current.st_ino):
            position.inode = current.st_ino
            if current.st_size < position.offset:
                # Truncated in place (copytruncate): the unread part is in the copy.
                copy = next(
                    (
                        path.with_name(path.name + s)
                        for s in ROTATED_SUFFIXES
                        if path.with_name(path.name + s).exists()
                    ),
                    None,
                )
                if copy is not None and copy.stat().st_size > position.offset:
                    lines, _ = _read(copy, position.offset, finished=True)
                    _count(lines, report)
                position.offset = 0
                report.rotations += 1
                position.save()
                return True
            if current.st_size == position.offset:
                position.save()
                return False
            lines, position.offset = _read(path, position.offset, finished=False)
            _count(lines, report)
            position.save()
            return bool(lines)
        # The file we were reading was renamed away: finish it, then start the new one.
        old = _rotated_file(path, position.inode) if position.inode else None
        if old is not None and old.stat().st_size > position.offset:
            lines, position.offset = _read(old, position.offset, finished=True)
            _count(lines, report)
            position.save()
            return True
        if old is None and position.inode:
            logger.warning(
                "view log %s: the rotated file was not found; its unread end is lost", path
            )
        if current is None:
            position.save()
            return False
        position.inode, position.offset = current.st_ino, 0
        report.rotations += 1
        position.save()
        return True


def ingest_view_log(path: str | os.PathLike | None = None) -> IngestReport:
    """Count every new line of the view log (see the module docstring)."""
    report = IngestReport()
    path = path or getattr(settings, "SINMUN_VIEW_LOG", "")
    if not path:
        return report
    path = Path(path)
    for _ in range(100_000):  # bounded: 2 MB a step
        if not _step(path, report):
            break
    return report
