"""The JSON Lines interchange format: one record per line (docs/import-format.md).

Every paper's articles come in through :func:`import_jsonl`, the demo paper included.
Each line is imported in its own transaction: a bad line is reported with its number and
reason and leaves nothing behind, and the good lines around it are imported.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from sinmun.articles.models import Article, Reporter, Section
from sinmun.core.sanitize import clean_html, plain_text
from sinmun.readers.models import ArticleCounter
from sinmun.sitesettings.models import Banner, SiteProfile

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
)
MAX_LINE_BYTES = 5 * 1024 * 1024


class RecordError(ValueError):
    """A record that cannot be imported; the message says why, in Korean."""


@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    site_records: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


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


def _datetime(record: dict, key: str, *, required: bool) -> datetime | None:
    value = record.get(key)
    if value in (None, ""):
        if required:
            raise RecordError(f"'{key}' 값이 없습니다")
        return None
    if not isinstance(value, str):
        raise RecordError(f"'{key}' 값은 ISO 8601 문자열이어야 합니다")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"'{key}' 값 {value!r}은(는) ISO 8601 시각이 아닙니다") from None
    if parsed.tzinfo is None:
        raise RecordError(f"'{key}' 값 {value!r}에 시간대(예: +09:00)가 없습니다")
    return parsed


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


def parse_article(record: dict) -> ArticleRecord:
    article_id = record.get("id")
    if isinstance(article_id, bool) or not isinstance(article_id, int) or article_id <= 0:
        raise RecordError("'id' 값은 1 이상의 정수(기사 번호)여야 합니다")
    status = record.get("status", "published")
    if status not in STATUSES:
        raise RecordError(f"'status' 값은 published 또는 draft여야 합니다({status!r})")
    section = _named(record, "section", ("code", "name"))
    code = _text(section, "code", required=True, max_length=30)
    if slugify(code) != code.lower() or not code.isascii():
        raise RecordError(f"섹션 코드 {code!r}에는 영문, 숫자, -, _만 쓸 수 있습니다")
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
    tags = record.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise RecordError("'tags' 값은 문자열 목록이어야 합니다")
    tags = [t.strip()[:100] for t in tags if t.strip()]
    body_html = record.get("body_html") or ""
    if not isinstance(body_html, str):
        raise RecordError("'body_html' 값은 문자열이어야 합니다")
    body, warnings = html_to_blocks(body_html)
    return ArticleRecord(
        id=article_id,
        title=_text(record, "title", required=True, max_length=300),
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
    )


_TEXT_CONTAINERS = {"p", "h2", "h3", "h4", "ul", "ol"}


def html_to_blocks(body_html: str) -> tuple[list[dict], list[str]]:
    """Turn sanitized body HTML into the article's body blocks.

    Consecutive paragraphs, headings and lists become one rich-text block; each
    ``<blockquote>`` becomes a quote block. Loose text is wrapped in a paragraph.
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

    for node in list(soup.children):
        if isinstance(node, NavigableString):
            loose.append(html.escape(str(node), quote=False))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
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
            warnings.append(
                "본문의 사진은 아직 가져오지 않습니다(사진 파일 가져오기는 이전 도구에서 지원)"
            )
            caption = node.find("figcaption") if name == "figure" else None
            if caption and plain_text(str(caption)):
                pending.append(f"<p>{caption.decode_contents()}</p>")
        else:
            # Inline markup at the top level (b, a, span, …) belongs to a paragraph.
            loose.append(str(node))
    flush_text()
    return blocks, warnings


# ---------------------------------------------------------------------------- writing


def _reporter_for(record: ArticleRecord) -> Reporter | None:
    if not record.reporter_name:
        return None
    reporter, _ = Reporter.objects.get_or_create(
        name=record.reporter_name, email=record.reporter_email
    )
    return reporter


def _section_for(record: ArticleRecord) -> Section:
    section = Section.objects.filter(code=record.section_code).first()
    if section is None:
        if Section.objects.filter(name=record.section_name).exists():
            raise RecordError(f"섹션 이름 {record.section_name!r}이(가) 다른 코드로 이미 있습니다")
        section = Section.objects.create(
            code=record.section_code,
            name=record.section_name,
            order=Section.objects.count() + 1,
        )
    return section


def write_article(record: ArticleRecord) -> Article:
    published = record.status == "published"
    article = Article(
        id=record.id,
        title=record.title,
        subtitle=record.subtitle,
        section=_section_for(record),
        reporter=_reporter_for(record),
        body=json.dumps(record.body, ensure_ascii=False),
        live=published,
        has_unpublished_changes=not published,
        first_published_at=record.registered_at if published else None,
        last_published_at=(record.modified_at or record.registered_at) if published else None,
        modified_at=record.modified_at if published else None,
    )
    if record.tags:
        article.tags.add(*record.tags)
    try:
        article.full_clean(exclude=["id"])
    except ValidationError as exc:
        messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise RecordError(f"기사 값이 올바르지 않습니다({messages})") from None
    article.save()
    revision = article.save_revision(log_action=False, clean=False)
    when = record.modified_at or record.registered_at
    if when:
        revision.created_at = when
        revision.save(update_fields=["created_at"])
    Article.objects.filter(pk=article.pk).update(
        latest_revision=revision,
        live_revision=revision if published else None,
        has_unpublished_changes=not published,
    )
    ArticleCounter.objects.create(article=article, views=record.views, likes=record.likes)
    return article


def write_site(record: dict) -> None:
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
        elif not isinstance(value, str):
            raise RecordError(f"'{key}' 값은 문자열이어야 합니다")
        setattr(profile, key, value or (None if key.endswith("_date") else ""))
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
                order=order,
            )
            try:
                banner.full_clean()
            except ValidationError as exc:
                raise RecordError(f"배너가 올바르지 않습니다({exc.message_dict})") from None
            banner.save()


def _reset_sequences():
    """Move the id sequence past imported article numbers (PostgreSQL needs this)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Article])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def import_lines(lines: Iterable[bytes | str], *, progress=None) -> ImportReport:
    report = ImportReport()
    seen: dict[int, int] = {}
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            if len(raw) > MAX_LINE_BYTES:
                report.errors.append((number, f"줄이 너무 깁니다({len(raw)}바이트)"))
                continue
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                report.errors.append((number, "UTF-8 텍스트가 아닙니다"))
                continue
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            report.errors.append((number, f"JSON 형식 오류: {exc.msg} (열 {exc.colno})"))
            continue
        if not isinstance(record, dict):
            report.errors.append((number, "줄마다 JSON 객체 하나가 있어야 합니다"))
            continue
        kind = record.get("type", "article")
        try:
            if kind == "site":
                with transaction.atomic():
                    write_site(record)
                report.site_records += 1
            elif kind == "article":
                parsed = parse_article(record)
                if parsed.id in seen:
                    raise RecordError(
                        f"기사 번호 {parsed.id}이(가) {seen[parsed.id]}번째 줄과 겹칩니다"
                    )
                seen[parsed.id] = number
                if Article.objects.filter(pk=parsed.id).exists():
                    report.existing += 1
                    continue
                with transaction.atomic():
                    write_article(parsed)
                report.created += 1
                report.warnings.extend((number, w) for w in dict.fromkeys(parsed.warnings))
            else:
                raise RecordError(f"알 수 없는 레코드 종류 {kind!r}")
        except RecordError as exc:
            report.errors.append((number, str(exc)))
        except IntegrityError as exc:
            report.errors.append((number, f"저장할 수 없습니다: {exc}"))
        if progress:
            progress(number)
    if report.created:
        _reset_sequences()
        from sinmun.readers.selectors import most_viewed_invalidate

        most_viewed_invalidate()
    return report


def import_jsonl(path: Path | str, *, progress=None) -> ImportReport:
    with open(path, "rb") as handle:
        return import_lines(handle, progress=progress)
