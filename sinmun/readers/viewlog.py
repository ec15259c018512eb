"""Counting views that nginx answered: the view log, read into the counters.

Behind nginx (deploy/nginx, ``render.py --view-log PATH``) the view beacon
(``POST /reader/article/N/view/``) never reaches the app: nginx answers ``204`` and
writes one JSON line per beacon to the view log, at tens of thousands of requests a
second. ``ingest_view_log`` (run by the scheduler's minute job, ``flush_view_counts``,
when ``SINMUN_VIEW_LOG`` names the file) counts those lines with the same rules as the
app's beacon: bots, prefetches and beacons from another site's page (the line's
``sec_fetch_site``, ``origin`` and ``referer``; lines written before the log format had
them still parse and are judged without them) are skipped, a reader (keyed hash of
address and user agent) counts once per article per 30 minutes (``ArticleViewSeen``),
and one address at most ``SINMUN_VIEWS_PER_ADDRESS`` times per article per 30-minute
window and ``SINMUN_VIEWS_PER_ADDRESS_HOUR`` times an hour (``ViewAddressCount``, the
same windows as the app's path, by the line's time).

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

from .models import ArticleViewSeen, ViewAddressCount, ViewLogPosition
from .visitor import address_hash, is_bot, is_cross_site, is_prefetch, visitor_hash

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
            "HTTP_SEC_FETCH_SITE": record.get("sec_fetch_site", ""),
            "HTTP_ORIGIN": record.get("origin", ""),
            "HTTP_REFERER": record.get("referer", ""),
        }


@dataclass(frozen=True)
class _Beacon:
    article_id: int
    visitor: str
    address: str
    when: datetime


def _parse(line: bytes) -> _Beacon | None:
    """Return the beacon a countable line records, else None."""
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
    if is_bot(request) or is_prefetch(request) or is_cross_site(request):
        return None
    try:
        when = datetime.fromtimestamp(float(record["t"]), tz=UTC)
    except (KeyError, TypeError, ValueError):
        return None
    return _Beacon(int(match.group(1)), visitor_hash(request), address_hash(request), when)


def _count(lines: list[bytes], report: IngestReport) -> None:
    """Count ``lines`` into the counters (inside the caller's transaction)."""
    from .services import _hour_start, _views_add

    beacons = [parsed for line in lines if (parsed := _parse(line))]
    report.lines += len(lines)
    report.skipped += len(lines) - len(beacons)
    if not beacons:
        return
    public = set(
        Article.objects.public(timezone.now())
        .filter(pk__in={b.article_id for b in beacons})
        .values_list("pk", flat=True)
    )
    beacons = sorted((b for b in beacons if b.article_id in public), key=lambda b: b.when)
    if not beacons:
        return
    seen = _SeenWindows(beacons)
    allowance = _AddressAllowance(beacons)
    counts: dict[tuple[int, datetime], int] = {}
    for beacon in beacons:
        if not seen.is_new(beacon) or not allowance.take(beacon):
            continue
        seen.mark(beacon)
        hour = _hour_start(beacon.when)
        counts[(beacon.article_id, hour)] = counts.get((beacon.article_id, hour), 0) + 1
    seen.save()
    allowance.save()
    for (article_id, hour), count in sorted(counts.items()):
        _views_add(article_id, hour, count)
    report.views += sum(counts.values())


class _SeenWindows:
    """The readers' 30-minute windows (``ArticleViewSeen``) for a piece of the log: read
    once, decided in memory, written back in bulk."""

    def __init__(self, beacons: list[_Beacon]):
        self.existing = {
            (row.article_id, row.visitor): row
            for row in ArticleViewSeen.objects.filter(
                article_id__in={b.article_id for b in beacons},
                visitor__in={b.visitor for b in beacons},
            )
        }
        self.seen = {key: row.seen_at for key, row in self.existing.items()}
        self.changed: dict[tuple[int, str], datetime] = {}

    def is_new(self, beacon: _Beacon) -> bool:
        from .services import VIEW_WINDOW

        last = self.seen.get((beacon.article_id, beacon.visitor))
        return last is None or beacon.when - last >= VIEW_WINDOW

    def mark(self, beacon: _Beacon) -> None:
        key = (beacon.article_id, beacon.visitor)
        self.seen[key] = self.changed[key] = beacon.when

    def save(self) -> None:
        updates, creates = [], []
        for key, when in self.changed.items():
            row = self.existing.get(key)
            if row is not None:
                row.seen_at = when
                updates.append(row)
            else:
                creates.append(ArticleViewSeen(article_id=key[0], visitor=key[1], seen_at=when))
        if updates:
            ArticleViewSeen.objects.bulk_update(updates, ["seen_at"], batch_size=500)
        if creates:
            ArticleViewSeen.objects.bulk_create(creates, batch_size=500)


class _AddressAllowance:
    """The per-address caps (``ViewAddressCount``) for a piece of the log, in the same
    fixed windows as the app's path (services.address_windows), by each line's time."""

    def __init__(self, beacons: list[_Beacon]):
        from .services import address_windows

        self.windows = {b: address_windows(b.when) for b in beacons}
        # An hour's window starts no later than the half hour's within it.
        earliest = min(w.total_start for w in self.windows.values())
        self.existing = {
            (row.address, row.article_id, row.window): row
            for row in ViewAddressCount.objects.filter(
                address__in={b.address for b in beacons}, window__gte=earliest
            )
        }
        self.used = {key: row.views for key, row in self.existing.items()}
        self.changed: set[tuple[str, int, datetime]] = set()

    def take(self, beacon: _Beacon) -> bool:
        """Use one view of the address's allowance; return whether there was one left."""
        windows = self.windows[beacon]
        keys = [
            ((beacon.address, beacon.article_id, windows.article_start), windows.per_article),
            ((beacon.address, 0, windows.total_start), windows.total),
        ]
        if any(self.used.get(key, 0) >= cap for key, cap in keys):
            return False
        for key, _cap in keys:
            self.used[key] = self.used.get(key, 0) + 1
            self.changed.add(key)
        return True

    def save(self) -> None:
        updates, creates = [], []
        for key in self.changed:
            row = self.existing.get(key)
            if row is not None:
                row.views = self.used[key]
                updates.append(row)
            else:
                address, article_id, window = key
                creates.append(
                    ViewAddressCount(
                        address=address, article_id=article_id, window=window, views=self.used[key]
                    )
                )
        if updates:
            ViewAddressCount.objects.bulk_update(updates, ["views"], batch_size=500)
        if creates:
            ViewAddressCount.objects.bulk_create(creates, batch_size=500)


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
