"""Records into the database, one function per kind (article, site, section, reporter, image).

The checks and the mapping from a record's fields are here; every row is written by the
services of the app that owns it (articles, newsroom, readers, sitesettings, transfer),
so an import changes content the same way the rest of sinmun does. Photos are Wagtail
images, stored by ``transfer.media.store_image``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from sinmun.articles.models import Article, Reporter, Section
from sinmun.articles.services import (
    ImportedRevision,
    article_create_imported,
    reporter_create,
    reporter_get_or_create,
    section_create,
)
from sinmun.newsroom.services import correction_add_many
from sinmun.readers.services import article_counter_create
from sinmun.sitesettings.services import banner_add, site_profile_update

from ..errors import RecordError
from ..media import ImageFolder, PendingImage, store_image
from ..models import LegacyURL
from ..services import legacy_url_add_many
from .fields import _text, section_code_check
from .images import _ImageResolver
from .records import SITE_FIELDS, ArticleRecord


class Lookups:
    """Sections, reporters and images already known during one import.

    Entries added while writing a line are forgotten again if that line is rolled back
    (``begin_line`` / ``end_line``), so the caches only ever name committed rows.
    """

    def __init__(self):
        self.sections: dict[str, Section] = {}
        self.section_names: dict[str, str] = {}
        self.reporters: dict[tuple[str, str], int] = {}
        self.images: dict[Path, int] = {}
        self._added: list[tuple[dict, object]] | None = None

    def _remember(self, cache: dict, key, value):
        cache[key] = value
        if self._added is not None:
            self._added.append((cache, key))

    def begin_line(self):
        self._added = []

    def end_line(self, *, ok: bool):
        if not ok and self._added:
            for cache, key in self._added:
                cache.pop(key, None)
        self._added = None

    def forget(self):
        self.sections.clear()
        self.section_names.clear()
        self.reporters.clear()
        self.images.clear()

    def section(self, code: str, name: str, order: int | None = None) -> Section:
        section = self.sections.get(code)
        if section is not None:
            return section
        section = Section.objects.filter(code=code).first()
        if section is None:
            if name in self.section_names or Section.objects.filter(name=name).exists():
                raise RecordError(f"섹션 이름 {name!r}이(가) 다른 코드로 이미 있습니다")
            if order is None:
                order = (Section.objects.aggregate(m=Max("order"))["m"] or 0) + 1
            try:
                section = section_create(code=code, name=name, order=order)
            except ValidationError as exc:
                raise RecordError(f"섹션이 올바르지 않습니다({_messages(exc)})") from None
        self._remember(self.sections, code, section)
        self._remember(self.section_names, section.name, code)
        return section

    def reporter(self, name: str, email: str) -> int | None:
        if not name:
            return None
        key = (name, email)
        if key not in self.reporters:
            reporter = reporter_get_or_create(name=name, email=email)
            self._remember(self.reporters, key, reporter.pk)
        return self.reporters[key]

    def image(self, pending: PendingImage, **kwargs) -> int:
        if pending.path not in self.images:
            self._remember(self.images, pending.path, store_image(pending, **kwargs).pk)
        return self.images[pending.path]


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def _stored_blocks(blocks: list[dict], lookups: Lookups) -> list[dict]:
    stored = []
    for block in blocks:
        value = block["value"]
        if block["type"] == "photo":
            value = {**value, "image": lookups.image(value["image"])}
        stored.append({**block, "value": value})
    return stored


def write_article(record: ArticleRecord, lookups: Lookups | None = None) -> Article:
    lookups = lookups or Lookups()
    published = record.status == "published"
    when = record.modified_at or record.registered_at
    article = Article(
        id=record.id,
        title=record.title,
        subtitle=record.subtitle,
        section=lookups.section(record.section_code, record.section_name),
        reporter_id=lookups.reporter(record.reporter_name, record.reporter_email),
        body=json.dumps(_stored_blocks(record.body, lookups), ensure_ascii=False),
        live=published,
        has_unpublished_changes=not published,
        first_published_at=record.registered_at,
        last_published_at=record.last_published_at or (when if published else None),
        modified_at=record.modified_at,
        go_live_at=record.go_live_at,
        expire_at=record.expire_at,
        embargo=record.embargo,
    )
    revisions = [
        ImportedRevision(
            created_at=old.created_at,
            title=old.title,
            subtitle=old.subtitle,
            body=json.dumps(_stored_blocks(old.body, lookups), ensure_ascii=False),
        )
        for old in record.revisions
    ]
    try:
        article_create_imported(
            article=article,
            tags=record.tags,
            published=published,
            saved_at=record.saved_at or when or timezone.now(),
            revisions=revisions,
        )
    except ValidationError as exc:
        raise RecordError(f"기사 값이 올바르지 않습니다({_messages(exc)})") from None
    article_counter_create(article_id=article.pk, views=record.views, likes=record.likes)
    if record.corrections:
        correction_add_many(
            article_id=article.pk, notes=[(c.note, c.created_at) for c in record.corrections]
        )
    if record.legacy_urls:
        taken = dict(
            LegacyURL.objects.filter(path__in=record.legacy_urls).values_list("path", "article_id")
        )
        if taken:
            path, other = next(iter(taken.items()))
            raise RecordError(f"예전 주소 {path!r}은(는) 이미 기사 {other}의 주소입니다")
        legacy_url_add_many(article_id=article.pk, paths=record.legacy_urls)
    return article


def write_site(record: dict, lookups: Lookups | None = None, images: ImageFolder | None = None):
    values = {}
    for key in SITE_FIELDS:
        if key not in record:
            continue
        value = record[key]
        if key.endswith("_date") and value:
            try:
                value = date.fromisoformat(value)
            except (TypeError, ValueError):
                raise RecordError(
                    f"'{key}' 값 {value!r}은(는) YYYY-MM-DD 날짜가 아닙니다"
                ) from None
        elif value is not None and not isinstance(value, str):
            raise RecordError(f"'{key}' 값은 문자열이어야 합니다")
        values[key] = value or (None if key.endswith("_date") else "")
    logo_id = None
    if record.get("logo"):
        warnings: list[str] = []
        pending = _ImageResolver(images, warnings)(record["logo"], required=True)
        logo_id = (lookups or Lookups()).image(pending)
    try:
        site_profile_update(values=values, logo_id=logo_id)
    except ValidationError as exc:
        raise RecordError(f"신문 정보가 올바르지 않습니다({exc.message_dict})") from None
    banners = record.get("banners") or []
    if not isinstance(banners, list):
        raise RecordError("'banners' 값은 목록이어야 합니다")
    for order, item in enumerate(banners):
        if not isinstance(item, dict):
            raise RecordError("배너는 {label, url} 객체여야 합니다")
        try:
            banner_add(
                label=item.get("label") or "",
                url=item.get("url") or "",
                description=item.get("description") or "",
                active=item.get("active", True) is not False,
                order=item["order"] if isinstance(item.get("order"), int) else order,
            )
        except ValidationError as exc:
            raise RecordError(f"배너가 올바르지 않습니다({exc.message_dict})") from None


def write_section(record: dict, lookups: Lookups) -> None:
    code = section_code_check(_text(record, "code", required=True, max_length=30))
    name = _text(record, "name", required=True, max_length=60)
    order = record.get("order")
    if order is not None and (isinstance(order, bool) or not isinstance(order, int) or order < 0):
        raise RecordError("'order' 값은 0 이상의 정수여야 합니다")
    lookups.section(code, name, order)


def write_reporter(record: dict, lookups: Lookups, images: ImageFolder | None) -> None:
    name = _text(record, "name", required=True, max_length=60)
    email = _text(record, "email", required=False, max_length=254)
    bio = _text(record, "bio", required=False, max_length=2000)
    if Reporter.objects.filter(name=name, email=email).exists():
        return
    photo_id = None
    if record.get("photo"):
        pending = _ImageResolver(images, [])(record["photo"], required=True)
        photo_id = lookups.image(pending)
    try:
        reporter = reporter_create(name=name, email=email, bio=bio, photo_id=photo_id)
    except ValidationError as exc:
        raise RecordError(f"기자 정보가 올바르지 않습니다({_messages(exc)})") from None
    lookups._remember(lookups.reporters, (name, email), reporter.pk)


def write_image(record: dict, lookups: Lookups, images: ImageFolder | None) -> None:
    path = _text(record, "path", required=True, max_length=500)
    pending = _ImageResolver(images, [])(path, required=True)
    title = _text(record, "title", required=False, max_length=255)
    focal = record.get("focal_point")
    if focal is not None and (
        not isinstance(focal, list)
        or len(focal) != 4
        or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in focal)
    ):
        raise RecordError("'focal_point' 값은 [x, y, 너비, 높이] 정수 목록이어야 합니다")
    if pending.path not in lookups.images:
        image = store_image(pending, title=title, focal_point=focal)
        lookups._remember(lookups.images, pending.path, image.pk)
