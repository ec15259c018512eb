"""The batched run every import goes through: transactions, savepoints, resuming.

Lines are written in batches of ``BATCH_SIZE`` in one transaction, each line inside its
own savepoint: a bad line is reported with its number and reason and leaves nothing
behind, the good lines around it are imported, and a large archive does not pay for one
commit per article. An interrupted import keeps every finished batch; running it again
skips the articles already there (by number, or by old address for renumbered ones).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Max

from sinmun.articles.models import Article
from sinmun.articles.services import article_sequence_reset
from sinmun.core.changes import gathered

from ..errors import RecordError
from ..legacy import LegacyURLError, normalise_url
from ..media import ImageFolder
from ..models import LegacyURL
from .records import parse_article
from .report import ImportReport
from .writing import Lookups, write_article, write_image, write_reporter, write_section, write_site

BATCH_SIZE = 500


# ---------------------------------------------------------------------------- the run

Entry = tuple[int, "dict | RecordError"]


class Importer:
    """Import records in batches; see the module docstring for the guarantees."""

    def __init__(
        self,
        *,
        images: ImageFolder | None = None,
        batch_size: int = BATCH_SIZE,
        progress: Callable[[int], None] | None = None,
        report: ImportReport | None = None,
        number_floor: int = 0,
    ):
        self.images = images
        self.batch_size = batch_size
        self.progress = progress
        self.report = report or ImportReport()
        self.lookups = Lookups()
        self.seen: dict[int, int] = {}
        self.known_ids: set[int] = set()
        self.known_legacy: dict[str, int] = {}
        self.next_number: int | None = None
        self.number_floor = number_floor
        self.indexer = None

    def run(self, entries: Iterable[Entry]) -> ImportReport:
        from sinmun.search.services import BulkIndexer

        batch: list[Entry] = []
        try:
            # Search entries are written per batch, analysed in the background while the
            # next batch is written; leaving the block writes the rest and indexes any
            # live article an earlier, interrupted run left without an entry.
            with BulkIndexer() as self.indexer:
                for entry in entries:
                    batch.append(entry)
                    if len(batch) >= self.batch_size:
                        self._run_batch(batch)
                        batch = []
                if batch:
                    self._run_batch(batch)
        finally:
            self.indexer = None
            if self.report.created:
                article_sequence_reset()
        return self.report

    # -- batches

    @staticmethod
    def _quick_id(item) -> int | None:
        value = item.get("id") if isinstance(item, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @staticmethod
    def _quick_legacy(item) -> str | None:
        urls = item.get("legacy_urls") if isinstance(item, dict) else None
        if item.get("_renumber") and isinstance(urls, list) and urls:
            try:
                return normalise_url(urls[0])
            except LegacyURLError:
                return None
        return None

    def _prefetch(self, batch: list[Entry]) -> None:
        articles = [
            item
            for _, item in batch
            if isinstance(item, dict) and item.get("type", "article") == "article"
        ]
        ids = {i for i in map(self._quick_id, articles) if i is not None}
        self.known_ids |= set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
        keys = {k for k in map(self._quick_legacy, articles) if k}
        if keys:
            self.known_legacy.update(
                LegacyURL.objects.filter(path__in=keys).values_list("path", "article_id")
            )

    def _run_batch(self, batch: list[Entry]) -> None:
        self._prefetch(batch)
        created_before = self.report.created
        try:
            # Every change the batch makes is announced once, after its commit.
            with gathered(), transaction.atomic():
                for number, item in batch:
                    self._run_entry(number, item)
                    if self.progress:
                        self.progress(number)
        except BaseException:
            if self.indexer is not None:
                self.indexer.batch_rolled_back()
            # The whole batch is gone: nothing it added may be believed any more.
            self.report.created = created_before
            self.lookups.forget()
            self.known_ids.clear()
            self.known_legacy.clear()
            self.next_number = None
            raise
        if self.indexer is not None:
            self.indexer.batch_committed()

    def _run_entry(self, number: int, item) -> None:
        report = self.report
        if isinstance(item, RecordError):
            report.errors.append((number, str(item)))
            return
        if not isinstance(item, dict):
            report.errors.append((number, "줄마다 JSON 객체 하나가 있어야 합니다"))
            return
        kind = item.get("type", "article")
        self.lookups.begin_line()
        ok = False
        try:
            if kind == "article":
                self._article(number, item)
            elif kind in ("site", "section", "reporter", "image"):
                with transaction.atomic():
                    if kind == "site":
                        write_site(item, self.lookups, self.images)
                        report.site_records += 1
                    elif kind == "section":
                        write_section(item, self.lookups)
                        report.other_records += 1
                    elif kind == "reporter":
                        write_reporter(item, self.lookups, self.images)
                        report.other_records += 1
                    else:
                        write_image(item, self.lookups, self.images)
                        report.other_records += 1
            else:
                raise RecordError(f"알 수 없는 레코드 종류 {kind!r}")
            ok = True
        except RecordError as exc:
            report.errors.append((number, str(exc)))
        except (IntegrityError, ValidationError) as exc:
            report.errors.append((number, f"저장할 수 없습니다: {exc}"))
        except DatabaseError as exc:
            # A value the database refuses (out of range, too long for a column, …).
            if connection.needs_rollback:
                raise
            report.errors.append((number, f"저장할 수 없습니다: {exc}"))
        finally:
            self.lookups.end_line(ok=ok)

    def _allocate(self) -> int:
        if self.next_number is None:
            highest = Article.objects.aggregate(m=Max("pk"))["m"] or 0
            self.next_number = max(highest, self.number_floor) + 1
        number = self.next_number
        while number in self.known_ids:
            number += 1
        self.next_number = number + 1
        return number

    def _article(self, number: int, item: dict) -> None:
        report = self.report
        quick_id = self._quick_id(item)
        if quick_id is not None:
            if quick_id in self.seen:
                raise RecordError(
                    f"기사 번호 {quick_id}이(가) {self.seen[quick_id]}번째 줄과 겹칩니다"
                )
            self.seen[quick_id] = number
        legacy = self._quick_legacy(item)
        if legacy is not None and legacy in self.known_legacy:
            report.existing += 1
            return
        if legacy is None and quick_id is not None and quick_id in self.known_ids:
            report.existing += 1
            return
        parsed = parse_article(item, images=self.images)
        if parsed.renumber and parsed.id in self.known_ids:
            old = parsed.id
            parsed.id = self._allocate()
            report.renumbered.append((old, parsed.id))
            parsed.warnings.append(
                f"번호 {old}은(는) 이미 다른 기사가 써서 {parsed.id}번이 되었습니다"
            )
        with transaction.atomic():
            write_article(parsed, self.lookups)
        self.known_ids.add(parsed.id)
        for path in parsed.legacy_urls:
            self.known_legacy[path] = parsed.id
        report.created += 1
        report.warnings.extend((number, w) for w in dict.fromkeys(parsed.warnings))
