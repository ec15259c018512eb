"""Reading one record: every field checked, an article turned into an ``ArticleRecord``.

Nothing here writes to the database; a record that fails a check raises
:class:`~sinmun.transfer.errors.RecordError` with the reason in Korean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError

from ..errors import RecordError
from ..legacy import LegacyURLError, normalise_url
from ..media import ImageFolder
from .body import _blocks_from_data, _photo_value, _validate_blocks, html_to_blocks
from .fields import _count, _datetime, _list, _named, _text, section_code_check
from .images import _ImageResolver

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
MAX_BODY_CHARS = 1_000_000


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
