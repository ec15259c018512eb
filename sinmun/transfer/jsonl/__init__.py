"""The JSON Lines interchange format: one record per line (docs/import-format.md).

Every paper's articles come in through :class:`Importer`, the demo paper and WordPress
exports (sinmun/transfer/wxr.py) included, and ``sinmun export`` writes the same format.
Lines are written in batches of ``BATCH_SIZE`` in one transaction, each line inside its
own savepoint: a bad line is reported with its number and reason and leaves nothing
behind, the good lines around it are imported, and a large archive does not pay for one
commit per article. An interrupted import keeps every finished batch; running it again
skips the articles already there (by number, or by old address for renumbered ones).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Revision

from sinmun.articles.blocks import ArticleBodyBlock
from sinmun.articles.models import Article, Reporter, Section
from sinmun.core.sanitize import clean_html, plain_text
from sinmun.readers.models import ArticleCounter
from sinmun.sitesettings.models import Banner, SiteProfile

from ..errors import RecordError
from ..legacy import LegacyURLError, normalise_url
from ..media import ImageFolder, MissingImage, PendingImage, check_image, store_image
from ..models import LegacyURL

__all__ = [
    "ArticleRecord",
    "ImportReport",
    "Importer",
    "RecordError",
    "html_to_blocks",
    "import_jsonl",
    "import_lines",
    "parse_article",
    "write_article",
    "write_site",
]

STATUSES = ("published", "draft")
SITE_FIELDS = (
    "name",
    "tagline",
    "company",
    "registration_number",
    "registration_date",
    "publication_date",
    "publisher",
    "editor",
    "youth_protection_officer",
    "address",
    "phone",
    "email",
    "youth_policy",
)
MAX_LINE_BYTES = 5 * 1024 * 1024
MAX_BODY_CHARS = 1_000_000
MAX_LIST_ITEMS = 200
BATCH_SIZE = 500


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    site_records: int = 0
    other_records: int = 0  # sections, reporters and images on their own lines
    ignored: dict[str, int] = field(default_factory=dict)  # WordPress pages, menus, …
    renumbered: list[tuple[int, int]] = field(default_factory=list)  # (old id, new number)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    unit: str = "줄"  # what the numbers count: lines of JSON Lines, items of a WXR file
    total: int | None = None
    labels: dict[int, str] = field(default_factory=dict)  # number → e.g. "wp:post_id 12"

    @property
    def ok(self) -> bool:
        return not self.errors

    def where(self, number: int) -> str:
        if number == 0:
            return "파일"
        if self.unit == "줄":
            return str(number)  # path:line:, as compilers and editors read it
        label = self.labels.get(number)
        return f"{self.unit} {number}" + (f"({label})" if label else "")


# ---------------------------------------------------------------------------- parsing


def _text(record: dict, key: str, *, required: bool, max_length: int) -> str:
    value = record.get(key)
    if value is None or value == "":
        if required:
            raise RecordError(f"'{key}' 값이 없습니다")
        return ""
    if not isinstance(value, str):
        raise RecordError(f"'{key}' 값은 문자열이어야 합니다")
    value = value.strip()
    if len(value) > max_length:
        raise RecordError(f"'{key}' 값이 너무 깁니다({len(value)}자, 최대 {max_length}자)")
    return value


def parse_time(value, key: str) -> datetime:
    if not isinstance(value, str):
        raise RecordError(f"'{key}' 값은 ISO 8601 문자열이어야 합니다")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"'{key}' 값 {value!r}은(는) ISO 8601 시각이 아닙니다") from None
    if parsed.tzinfo is None:
        raise RecordError(f"'{key}' 값 {value!r}에 시간대(예: +09:00)가 없습니다")
    return parsed


def _datetime(record: dict, key: str, *, required: bool) -> datetime | None:
    value = record.get(key)
    if value in (None, ""):
        if required:
            raise RecordError(f"'{key}' 값이 없습니다")
        return None
    return parse_time(value, key)


def _count(record: dict, key: str) -> int:
    value = record.get(key, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RecordError(f"'{key}' 값은 0 이상의 정수여야 합니다")
    return value


def _named(record: dict, key: str, fields: tuple[str, ...]) -> dict:
    value = record.get(key)
    if not isinstance(value, dict):
        raise RecordError(f"'{key}' 값은 {{{', '.join(fields)}}} 객체여야 합니다")
    return value


def _list(record: dict, key: str) -> list:
    value = record.get(key) or []
    if not isinstance(value, list):
        raise RecordError(f"'{key}' 값은 목록이어야 합니다")
    if len(value) > MAX_LIST_ITEMS:
        raise RecordError(f"'{key}' 항목이 너무 많습니다({len(value)}개, 최대 {MAX_LIST_ITEMS}개)")
    return value


def section_code_check(code: str) -> str:
    if slugify(code) != code.lower() or not code.isascii():
        raise RecordError(f"섹션 코드 {code!r}에는 영문, 숫자, -, _만 쓸 수 있습니다")
    return code


@dataclass
class CorrectionRecord:
    note: str
    created_at: datetime


@dataclass
class RevisionRecord:
    created_at: datetime
    title: str
    subtitle: str
    body: list[dict]


@dataclass
class ArticleRecord:
    id: int
    title: str
    subtitle: str
    section_code: str
    section_name: str
    reporter_name: str
    reporter_email: str
    registered_at: datetime | None
    modified_at: datetime | None
    status: str
    body: list[dict]
    tags: list[str]
    views: int
    likes: int
    warnings: list[str]
    last_published_at: datetime | None = None
    go_live_at: datetime | None = None
    expire_at: datetime | None = None
    embargo: bool = False
    saved_at: datetime | None = None  # when the current version was saved (its revision)
    corrections: list[CorrectionRecord] = field(default_factory=list)
    legacy_urls: list[str] = field(default_factory=list)
    revisions: list[RevisionRecord] = field(default_factory=list)
    # WordPress posts: take a new number when ``id`` belongs to another article.
    renumber: bool = False


class _ImageResolver:
    """Turn an image reference into a checked pending image, per the import's policy."""

    def __init__(self, folder: ImageFolder | None, warnings: list[str]):
        self.folder = folder
        self.warnings = warnings

    def __call__(self, src: str, *, required: bool = False) -> PendingImage | None:
        if self.folder is None:
            if required:
                raise RecordError(f"사진 {src!r}을(를) 찾을 폴더가 없습니다")
            return None
        try:
            path = self.folder.resolve(src)
        except MissingImage as exc:
            if required or not self.folder.wordpress:
                raise
            self.warnings.append(f"{exc}: 사진 없이 가져왔습니다")
            return None
        if path is None:
            if required:
                raise RecordError(f"사진 {src!r}은(는) 가져올 폴더 안의 파일이 아닙니다")
            if self.folder.wordpress and self.folder.root is None:
                self.warnings.append("--uploads 폴더가 없어 본문 사진을 가져오지 않았습니다")
            else:
                self.warnings.append(f"바깥 주소의 사진 {src[:120]!r}은(는) 가져오지 않았습니다")
            return None
        return check_image(path)


def _photo_value(record: dict, resolve: _ImageResolver, where: str) -> dict:
    if not isinstance(record, dict):
        raise RecordError(f"{where} 항목은 {{path, alt, caption, credit}} 객체여야 합니다")
    path = _text(record, "path", required=True, max_length=500)
    pending = resolve(path, required=True)
    return {
        "image": pending,
        "alt": _text(record, "alt", required=False, max_length=250),
        "caption": _text(record, "caption", required=False, max_length=500),
        "credit": _text(record, "credit", required=False, max_length=120),
    }


def _blocks_from_data(raw, resolve: _ImageResolver) -> list[dict]:
    """Check body blocks given as data (``"body"``, as ``sinmun export`` writes them)."""
    if not isinstance(raw, list):
        raise RecordError("'body' 값은 블록 목록이어야 합니다")
    blocks = []
    kinds = ArticleBodyBlock().child_blocks
    for index, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or item.get("type") not in kinds:
            raise RecordError(f"'body'의 {index}번째 블록 종류가 올바르지 않습니다")
        value = item.get("value")
        if item["type"] == "photo":
            if not isinstance(value, dict) or not isinstance(value.get("image"), str):
                raise RecordError(f"'body'의 {index}번째 사진 블록에 사진 경로가 없습니다")
            value = {**value, "image": resolve(value["image"], required=True)}
        block = {"type": item["type"], "value": value}
        if isinstance(item.get("id"), str):
            block["id"] = item["id"][:64]
        blocks.append(block)
    return blocks


def _validate_blocks(blocks: list[dict]) -> None:
    """Validate ``blocks`` with the body's own StreamBlock (images checked for shape only)."""
    stream = ArticleBodyBlock()
    for index, item in enumerate(blocks, start=1):
        child = stream.child_blocks[item["type"]]
        value = item["value"]
        try:
            if item["type"] == "photo":
                for name in ("alt", "caption", "credit"):
                    sub = child.child_blocks[name]
                    sub.clean(sub.to_python(value.get(name) or ""))
                if not (value.get("alt") or "").strip():
                    raise ValidationError("alt")
            else:
                child.clean(child.to_python(value))
        except (ValidationError, TypeError, AttributeError, KeyError):
            raise RecordError(
                f"본문 {index}번째 블록({item['type']})이 올바르지 않습니다"
            ) from None


def parse_article(record: dict, *, images: ImageFolder | None = None) -> ArticleRecord:
    article_id = record.get("id")
    if isinstance(article_id, bool) or not isinstance(article_id, int) or article_id <= 0:
        raise RecordError("'id' 값은 1 이상의 정수(기사 번호)여야 합니다")
    if article_id > 2**53:
        raise RecordError("'id' 값이 너무 큽니다")
    status = record.get("status", "published")
    if status not in STATUSES:
        raise RecordError(f"'status' 값은 published 또는 draft여야 합니다({status!r})")
    section = _named(record, "section", ("code", "name"))
    code = section_code_check(_text(section, "code", required=True, max_length=30))
    reporter = record.get("reporter") or {}
    if not isinstance(reporter, dict):
        raise RecordError("'reporter' 값은 {name, email} 객체여야 합니다")
    reporter_name = _text(reporter, "name", required=False, max_length=60)
    reporter_email = _text(reporter, "email", required=False, max_length=254)
    if reporter_email and not reporter_name:
        raise RecordError("기자 이메일만 있고 이름이 없습니다")
    if reporter_email:
        from django.core.validators import validate_email

        try:
            validate_email(reporter_email)
        except ValidationError:
            raise RecordError(f"기자 이메일 {reporter_email!r}이(가) 올바르지 않습니다") from None
    registered_at = _datetime(record, "registered_at", required=status == "published")
    modified_at = _datetime(record, "modified_at", required=False)
    if registered_at and modified_at and modified_at < registered_at:
        raise RecordError("'modified_at'이 'registered_at'보다 이릅니다")
    tags = _list(record, "tags")
    if not all(isinstance(t, str) for t in tags):
        raise RecordError("'tags' 값은 문자열 목록이어야 합니다")
    tags = list(dict.fromkeys(t.strip()[:100] for t in tags if t.strip()))
    warnings: list[str] = list(record.get("_warnings") or [])
    resolve = _ImageResolver(images, warnings)
    title = _text(record, "title", required=True, max_length=300)

    if "body" in record and record["body"] is not None:
        body = _blocks_from_data(record["body"], resolve)
    else:
        body_html = record.get("body_html") or ""
        if not isinstance(body_html, str):
            raise RecordError("'body_html' 값은 문자열이어야 합니다")
        if len(body_html) > MAX_BODY_CHARS:
            raise RecordError(
                f"'body_html' 값이 너무 깁니다({len(body_html)}자, 최대 {MAX_BODY_CHARS}자)"
            )
        body, body_warnings = html_to_blocks(
            body_html, resolve_image=resolve if images is not None else None
        )
        warnings.extend(body_warnings)
        lead = [_photo_value(item, resolve, "'images'") for item in _list(record, "images")]
        in_body = {b["value"]["image"].path for b in body if b["type"] == "photo"}
        body = [
            {"type": "photo", "value": value}
            for value in lead
            if value["image"].path not in in_body
        ] + body
        for block in body:
            value = block["value"]
            if block["type"] == "photo" and not value["alt"]:
                value["alt"] = (value["caption"] or title)[:250]
                warnings.append("대체 텍스트가 없는 사진에 사진 설명이나 제목을 넣었습니다")
    _validate_blocks(body)

    corrections = []
    for item in _list(record, "corrections"):
        if not isinstance(item, dict):
            raise RecordError("'corrections' 항목은 {note, created_at} 객체여야 합니다")
        corrections.append(
            CorrectionRecord(
                note=_text(item, "note", required=True, max_length=2000),
                created_at=_datetime(item, "created_at", required=True),
            )
        )
    legacy_urls = []
    for item in _list(record, "legacy_urls"):
        try:
            legacy_urls.append(normalise_url(item))
        except LegacyURLError as exc:
            raise RecordError(str(exc)) from None
    revisions = []
    for item in _list(record, "revisions"):
        if not isinstance(item, dict):
            raise RecordError("'revisions' 항목은 {created_at, title, body_html} 객체여야 합니다")
        if item.get("body") is not None:
            rev_body = _blocks_from_data(item["body"], resolve)
        else:
            rev_html = item.get("body_html") or ""
            if not isinstance(rev_html, str) or len(rev_html) > MAX_BODY_CHARS:
                raise RecordError("'revisions'의 'body_html' 값이 올바르지 않습니다")
            rev_body, _ = html_to_blocks(rev_html)
        revisions.append(
            RevisionRecord(
                created_at=_datetime(item, "created_at", required=True),
                title=_text(item, "title", required=True, max_length=300),
                subtitle=_text(item, "subtitle", required=False, max_length=300),
                body=rev_body,
            )
        )
    revisions.sort(key=lambda r: r.created_at)
    embargo = record.get("embargo", False)
    if not isinstance(embargo, bool):
        raise RecordError("'embargo' 값은 true 또는 false여야 합니다")
    return ArticleRecord(
        id=article_id,
        title=title,
        subtitle=_text(record, "subtitle", required=False, max_length=300),
        section_code=code,
        section_name=_text(section, "name", required=True, max_length=60),
        reporter_name=reporter_name,
        reporter_email=reporter_email,
        registered_at=registered_at,
        modified_at=modified_at,
        status=status,
        body=body,
        tags=tags,
        views=_count(record, "views"),
        likes=_count(record, "likes"),
        warnings=warnings,
        last_published_at=_datetime(record, "last_published_at", required=False),
        go_live_at=_datetime(record, "go_live_at", required=False),
        expire_at=_datetime(record, "expire_at", required=False),
        embargo=embargo,
        saved_at=_datetime(record, "saved_at", required=False),
        corrections=corrections,
        legacy_urls=list(dict.fromkeys(legacy_urls)),
        revisions=revisions,
        renumber=bool(record.get("_renumber")),
    )


_TEXT_CONTAINERS = {"p", "h2", "h3", "h4", "ul", "ol"}


def _take_images(node: Tag) -> list[Tag]:
    """Remove the ``<img>`` tags inside ``node`` (and links left empty by that)."""
    found = []
    for img in node.find_all("img"):
        parent = img.parent
        img.extract()
        found.append(img)
        if (
            isinstance(parent, Tag)
            and parent is not node
            and parent.name == "a"
            and not plain_text(str(parent))
        ):
            parent.extract()
    return found


def html_to_blocks(
    body_html: str, *, resolve_image: Callable[[str], PendingImage | None] | None = None
) -> tuple[list[dict], list[str]]:
    """Turn sanitized body HTML into the article's body blocks.

    Consecutive paragraphs, headings and lists become one rich-text block; each
    ``<blockquote>`` becomes a quote block. Loose text is wrapped in a paragraph. With
    ``resolve_image``, an ``<img>`` (alone, in a ``<figure>`` with its ``<figcaption>``,
    or inside a paragraph or link) whose file can be found becomes a photo block; any
    other image is reported and its caption kept as text.
    """
    warnings: list[str] = []
    soup = BeautifulSoup(clean_html(body_html), "html.parser")
    blocks: list[dict] = []
    pending: list[str] = []
    loose: list[str] = []

    def flush_loose():
        text = "".join(loose).strip()
        loose.clear()
        if text:
            pending.append(f"<p>{text}</p>")

    def flush_text():
        flush_loose()
        if pending:
            blocks.append({"type": "paragraph", "value": "".join(pending)})
            pending.clear()

    def photo(img: Tag | None, caption: str) -> dict | None:
        if resolve_image is None:
            return None
        src = img.get("src", "") if img is not None else ""
        image = resolve_image(src) if src else None
        if image is None:
            if not src:
                warnings.append("주소가 없는 본문 사진은 가져오지 않았습니다")
            return None
        return {
            "type": "photo",
            "value": {
                "image": image,
                "alt": (img.get("alt") or "").strip()[:250],
                "caption": caption[:500],
                "credit": "",
            },
        }

    def add_photos(images: list[Tag]):
        for img in images:
            block = photo(img, "")
            if block:
                flush_text()
                blocks.append(block)

    for node in list(soup.children):
        if isinstance(node, NavigableString):
            loose.append(html.escape(str(node), quote=False))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        inner_images: list[Tag] = []
        if resolve_image is not None and name not in {"figure", "img", "picture"}:
            inner_images = _take_images(node)
        if name == "br":
            flush_loose()
        elif name in _TEXT_CONTAINERS:
            flush_loose()
            if plain_text(str(node)):
                pending.append(str(node))
        elif name == "blockquote":
            flush_text()
            cite = node.find("cite")
            attribution = plain_text(str(cite)) if cite else ""
            if cite:
                cite.extract()
            text = "\n".join(plain_text(str(p)) for p in node.find_all("p")) or plain_text(
                str(node)
            )
            if text:
                blocks.append(
                    {"type": "quote", "value": {"text": text, "attribution": attribution}}
                )
        elif name in {"figure", "img", "picture"}:
            flush_loose()
            caption_tag = node.find("figcaption") if name == "figure" else None
            caption = plain_text(str(caption_tag)) if caption_tag else ""
            img = node if name == "img" else node.find("img")
            block = photo(img, caption)
            if block:
                flush_text()
                blocks.append(block)
                continue
            if resolve_image is None:
                warnings.append(
                    "본문의 사진은 가져오지 않았습니다(사진 폴더와 함께 가져오면 사진 블록이 됩니다)"
                )
            if caption_tag and caption:
                pending.append(f"<p>{caption_tag.decode_contents()}</p>")
        else:
            # Inline markup at the top level (b, a, span, …) belongs to a paragraph.
            if plain_text(str(node)) or not inner_images:
                loose.append(str(node))
        add_photos(inner_images)
    flush_text()
    return blocks, warnings


# ---------------------------------------------------------------------------- writing


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
            section = Section(code=code, name=name, order=order)
            try:
                section.full_clean()
            except ValidationError as exc:
                raise RecordError(f"섹션이 올바르지 않습니다({_messages(exc)})") from None
            section.save()
        self._remember(self.sections, code, section)
        self._remember(self.section_names, section.name, code)
        return section

    def reporter(self, name: str, email: str) -> int | None:
        if not name:
            return None
        key = (name, email)
        if key not in self.reporters:
            reporter, _ = Reporter.objects.get_or_create(name=name, email=email)
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
    if record.tags:
        article.tags.add(*record.tags)
    try:
        article.full_clean(exclude=["id"])
    except ValidationError as exc:
        raise RecordError(f"기사 값이 올바르지 않습니다({_messages(exc)})") from None
    article.save()
    content_type = article.get_base_content_type()
    current = article.serializable_data()
    for old in record.revisions:
        content = {
            **current,
            "title": old.title,
            "subtitle": old.subtitle,
            "body": json.dumps(_stored_blocks(old.body, lookups), ensure_ascii=False),
        }
        Revision.objects.create(
            content_object=article,
            base_content_type=content_type,
            content=content,
            object_str=old.title,
            created_at=old.created_at,
        )
    revision = Revision.objects.create(
        content_object=article,
        base_content_type=content_type,
        content=current,
        object_str=str(article),
        created_at=record.saved_at or when or timezone.now(),
    )
    Article.objects.filter(pk=article.pk).update(
        latest_revision=revision,
        live_revision=revision if published else None,
        has_unpublished_changes=not published,
    )
    ArticleCounter.objects.create(article=article, views=record.views, likes=record.likes)
    if record.corrections:
        from sinmun.newsroom.models import Correction

        Correction.objects.bulk_create(
            Correction(article=article, note=c.note, created_at=c.created_at)
            for c in record.corrections
        )
    if record.legacy_urls:
        taken = dict(
            LegacyURL.objects.filter(path__in=record.legacy_urls).values_list("path", "article_id")
        )
        if taken:
            path, other = next(iter(taken.items()))
            raise RecordError(f"예전 주소 {path!r}은(는) 이미 기사 {other}의 주소입니다")
        LegacyURL.objects.bulk_create(
            LegacyURL(path=path, article=article) for path in record.legacy_urls
        )
    return article


def write_site(record: dict, lookups: Lookups | None = None, images: ImageFolder | None = None):
    profile = SiteProfile.load()
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
        setattr(profile, key, value or (None if key.endswith("_date") else ""))
    if record.get("logo"):
        warnings: list[str] = []
        pending = _ImageResolver(images, warnings)(record["logo"], required=True)
        profile.logo_id = (lookups or Lookups()).image(pending)
    try:
        profile.full_clean()
    except ValidationError as exc:
        raise RecordError(f"신문 정보가 올바르지 않습니다({exc.message_dict})") from None
    profile.save()
    banners = record.get("banners") or []
    if not isinstance(banners, list):
        raise RecordError("'banners' 값은 목록이어야 합니다")
    for order, item in enumerate(banners):
        if not isinstance(item, dict):
            raise RecordError("배너는 {label, url} 객체여야 합니다")
        banner = Banner.objects.filter(label=item.get("label"), url=item.get("url")).first()
        if banner is None:
            banner = Banner(
                label=item.get("label") or "",
                url=item.get("url") or "",
                description=item.get("description") or "",
                active=item.get("active", True) is not False,
                order=item["order"] if isinstance(item.get("order"), int) else order,
            )
            try:
                banner.full_clean()
            except ValidationError as exc:
                raise RecordError(f"배너가 올바르지 않습니다({exc.message_dict})") from None
            banner.save()


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
    reporter = Reporter(name=name, email=email, bio=bio)
    if record.get("photo"):
        pending = _ImageResolver(images, [])(record["photo"], required=True)
        reporter.photo_id = lookups.image(pending)
    try:
        reporter.full_clean()
    except ValidationError as exc:
        raise RecordError(f"기자 정보가 올바르지 않습니다({_messages(exc)})") from None
    reporter.save()
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


def _reset_sequences():
    """Move the id sequence past imported article numbers (PostgreSQL needs this)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Article])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


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
                _reset_sequences()
                from sinmun.readers.selectors import most_viewed_invalidate
                from sinmun.syndication.sitemaps import article_sitemap_blocks_invalidate

                most_viewed_invalidate()
                article_sitemap_blocks_invalidate()
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
            with transaction.atomic():
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


# ---------------------------------------------------------------------------- sources


def jsonl_entries(lines: Iterable[bytes | str]) -> Iterator[Entry]:
    """Decode JSON Lines into (line number, record or the reason it is unreadable)."""
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            if len(raw) > MAX_LINE_BYTES:
                yield number, RecordError(f"줄이 너무 깁니다({len(raw)}바이트)")
                continue
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, RecordError("UTF-8 텍스트가 아닙니다")
                continue
        elif len(raw) > MAX_LINE_BYTES:
            yield number, RecordError(f"줄이 너무 깁니다({len(raw)}자)")
            continue
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield number, RecordError(f"JSON 형식 오류: {exc.msg} (열 {exc.colno})")
            continue
        except RecursionError:
            yield number, RecordError("JSON이 너무 깊게 겹쳐 있습니다")
            continue
        if not isinstance(record, dict):
            yield number, RecordError("줄마다 JSON 객체 하나가 있어야 합니다")
            continue
        for key in [k for k in record if k.startswith("_")]:
            del record[key]  # internal to the WordPress import, never taken from a file
        yield number, record


def import_lines(
    lines: Iterable[bytes | str],
    *,
    progress=None,
    base_dir: Path | str | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    images = ImageFolder(Path(base_dir)) if base_dir is not None else None
    return Importer(images=images, progress=progress, batch_size=batch_size).run(
        jsonl_entries(lines)
    )


def import_jsonl(path: Path | str, *, progress=None, batch_size: int = BATCH_SIZE) -> ImportReport:
    path = Path(path)
    with open(path, "rb") as handle:
        return import_lines(
            handle, progress=progress, base_dir=path.resolve().parent, batch_size=batch_size
        )
