"""WordPress export files (WXR 1.0–1.2) turned into import records.

A WXR file is read twice, streaming, never whole: the first pass collects what posts
refer to (authors, categories, attachments) and checks that the XML is well formed;
the second turns each post into the same record a JSON Lines line holds, which the
ordinary :class:`~sinmun.transfer.jsonl.Importer` writes. So WordPress posts get the
same checks, batching, idempotence and reports as every other import.

Mapping (docs/import-format.md, "WordPress"):
posts → articles (``wp:post_id`` is kept as the number when free; otherwise a new
number, and ``/?p=ID`` still leads to the article), first category → section
(``nicename`` → code), further categories and tags → tags, ``wp:author`` /
``dc:creator`` → reporter, ``_thumbnail_id`` → lead photo, ``<img>`` and
``[caption]`` in the body → photo blocks (files from ``--uploads``),
``wp:post_date_gmt`` → 등록, ``wp:post_modified_gmt`` → 수정, ``draft``, ``pending``,
``future`` and ``private`` → drafts. Pages, attachments, menu items and other post
types are not articles: they are counted and left out.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import defusedxml
from defusedxml.ElementTree import ParseError, iterparse
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify

from sinmun.articles.models import Section
from sinmun.core.sanitize import plain_text, shorten

from .errors import RecordError
from .jsonl import Importer, ImportReport
from .media import ImageFolder, MissingImage

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt_": "http://wordpress.org/export/{v}/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp_": "http://wordpress.org/export/{v}/",
}
WXR_VERSIONS = ("1.2", "1.1", "1.0")
PUBLISHED = {"publish"}
DRAFTS = {"draft", "pending", "future", "private"}
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
# Within this long of publishing, WordPress's modified time is the publish itself.
MODIFIED_GRACE = timedelta(minutes=1)
SHORTCODES_DROPPED = (
    "gallery",
    "embed",
    "audio",
    "video",
    "playlist",
    "contact-form-7",
    "wpforms",
    "vc_row",
    "vc_column",
    "vc_column_text",
)
_GUTENBERG = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.S)
_CAPTION = re.compile(r"\[(?:wp_)?caption\b[^\]]*\](.*?)\[/(?:wp_)?caption\]", re.S | re.I)
_CAPTION_IMG = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)\s*(.*)$", re.S | re.I)
_SHORTCODE = re.compile(
    r"\[/?(" + "|".join(re.escape(s) for s in SHORTCODES_DROPPED) + r")\b[^\]]*\]", re.I
)
_BLOCK_START = re.compile(
    r"^\s*<(p|h[1-6]|ul|ol|li|blockquote|figure|table|div|pre|hr|img|dl|section|address)\b",
    re.I,
)
_ZERO_DATE = "0000-00-00 00:00:00"
SEOUL = ZoneInfo("Asia/Seoul")


def is_wxr(path: Path) -> bool:
    """Return whether ``path`` looks like a WordPress export (an RSS file in WXR's terms)."""
    with open(path, "rb") as handle:
        head = handle.read(65536)
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return text.startswith((b"<?xml", b"<rss", b"<!--")) and b"wordpress.org/export/" in head


# ---------------------------------------------------------------------------- reading


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, name = tag[1:].split("}", 1)
        return ns, name
    return "", tag


class _Names:
    """Element names for the WXR version the file declares."""

    def __init__(self):
        self.wp = set()
        self.excerpt = set()
        for version in WXR_VERSIONS:
            self.wp.add(NS["wp_"].format(v=version))
            self.excerpt.add(NS["excerpt_"].format(v=version))

    def kind(self, tag: str) -> str:
        ns, name = _local(tag)
        if ns in self.wp:
            return "wp:" + name
        if ns in self.excerpt:
            return "excerpt:" + name
        if ns == NS["content"]:
            return "content:" + name
        if ns == NS["dc"]:
            return "dc:" + name
        return name


NAMES = _Names()


def _children(elem) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in elem:
        values.setdefault(NAMES.kind(child.tag), (child.text or "").strip())
    return values


@dataclass
class Attachment:
    url: str
    alt: str = ""
    caption: str = ""
    title: str = ""


@dataclass
class Channel:
    """What the first pass learns about the file."""

    base_url: str = ""
    authors: dict[str, tuple[str, str]] = field(default_factory=dict)  # login → (name, email)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)  # nicename → (name, code)
    attachments: dict[int, Attachment] = field(default_factory=dict)
    items: int = 0
    max_post_id: int = 0  # new numbers for taken ids start above every id in the file
    is_wxr: bool = False


class WXRError(ValueError):
    """The file as a whole cannot be read; nothing was imported."""


def _iterate(path: Path):
    try:
        for _event, elem in iterparse(str(path), events=("end",)):
            yield elem
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise WXRError(
            f"XML 형식이 깨져 있습니다({line}번째 줄 {column}번째 글자): 아무것도 가져오지 않았습니다"
        ) from None
    except defusedxml.DefusedXmlException:
        raise WXRError(
            "XML에 허용하지 않는 DTD·엔티티 선언이 있습니다: 아무것도 가져오지 않았습니다"
        ) from None


def _postmeta(elem) -> dict[str, str]:
    meta = {}
    for child in elem:
        if NAMES.kind(child.tag) == "wp:postmeta":
            values = _children(child)
            meta.setdefault(values.get("wp:meta_key", ""), values.get("wp:meta_value", ""))
    return meta


def _category_code(nicename: str, name: str, used: set[str], existing: dict[str, str]) -> str:
    if name in existing:
        return existing[name]
    raw = unquote(nicename or "").strip().lower()
    code = slugify(raw)[:30].strip("-_")
    if not code:
        digest = hashlib.sha1((nicename or name).encode(), usedforsecurity=False).hexdigest()[:8]
        code = f"cat-{digest}"
    base, n = code, 2
    while code in used:
        suffix = f"-{n}"
        code = base[: 30 - len(suffix)] + suffix
        n += 1
    used.add(code)
    return code


def read_channel(path: Path) -> Channel:
    """First pass: authors, categories, attachments, item count; checks well-formedness."""
    channel = Channel()
    existing = dict(Section.objects.values_list("name", "code"))
    used = set(existing.values())
    for elem in _iterate(path):
        kind = NAMES.kind(elem.tag)
        if kind == "wp:wxr_version":
            channel.is_wxr = True
        elif kind == "wp:base_site_url":
            channel.base_url = (elem.text or "").strip()
        elif kind == "wp:author":
            values = _children(elem)
            login = values.get("wp:author_login", "")
            if login:
                channel.authors[login] = (
                    values.get("wp:author_display_name", "") or login,
                    values.get("wp:author_email", ""),
                )
        elif kind == "wp:category" and len(elem):
            values = _children(elem)
            nicename = values.get("wp:category_nicename", "")
            name = values.get("wp:cat_name", "") or unquote(nicename)
            if nicename and nicename not in channel.categories:
                channel.categories[nicename] = (
                    name[:60],
                    _category_code(nicename, name[:60], used, existing),
                )
        elif kind == "item":
            channel.items += 1
            values = _children(elem)
            if values.get("wp:post_id", "").isdigit():
                channel.max_post_id = max(channel.max_post_id, int(values["wp:post_id"]))
            if values.get("wp:post_type") == "attachment":
                try:
                    post_id = int(values.get("wp:post_id", ""))
                except ValueError:
                    post_id = 0
                meta = _postmeta(elem)
                channel.attachments[post_id] = Attachment(
                    url=values.get("wp:attachment_url", "") or values.get("guid", ""),
                    alt=meta.get("_wp_attachment_image_alt", ""),
                    caption=plain_text(values.get("excerpt:encoded", "")),
                    title=values.get("title", ""),
                )
            elem.clear()
    if not channel.is_wxr:
        raise WXRError("WordPress 내보내기(WXR) 파일이 아닙니다(wp:wxr_version이 없습니다)")
    return channel


# ---------------------------------------------------------------------------- converting


def _gmt(value: str, key: str) -> datetime | None:
    value = (value or "").strip()
    if not value or value == _ZERO_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        raise RecordError(
            f"'{key}' 값 {value!r}은(는) 날짜(YYYY-MM-DD HH:MM:SS)가 아닙니다"
        ) from None


def _local_time(value: str, key: str) -> datetime | None:
    parsed = _gmt(value, key)
    return parsed.replace(tzinfo=SEOUL) if parsed else None


def _autop(text: str) -> str:
    """A small wpautop: blank lines make paragraphs, single newlines line breaks."""
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def convert_body(content: str, warnings: list[str]) -> str:
    content = _GUTENBERG.sub("", content or "")

    def caption(match: re.Match) -> str:
        inner = _CAPTION_IMG.match(match.group(1))
        if not inner:
            return match.group(1)
        return f"<figure>{inner.group(1)}<figcaption>{inner.group(2).strip()}</figcaption></figure>"

    content = _CAPTION.sub(caption, content)
    dropped = sorted({m.group(1).lower() for m in _SHORTCODE.finditer(content)})
    if dropped:
        warnings.append(f"가져올 수 없는 숏코드를 뺐습니다: {', '.join(dropped)}")
        content = _SHORTCODE.sub("", content)
    return _autop(content)


def _path_of(url: str) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.path and not parts.query:
        return None
    return (parts.path or "/") + ("?" + parts.query if parts.query else "")


class WXRSource:
    """Second pass: yield ``(item number, record or error)`` for every post."""

    def __init__(self, path: Path, channel: Channel, images: ImageFolder, report: ImportReport):
        self.path = path
        self.channel = channel
        self.images = images
        self.report = report
        self.ignored: Counter[str] = Counter()

    def __iter__(self) -> Iterator[tuple[int, dict | RecordError]]:
        number = 0
        for elem in _iterate(self.path):
            if NAMES.kind(elem.tag) != "item":
                continue
            number += 1
            try:
                record = self.convert(elem, number)
            except RecordError as exc:
                record = exc
            elem.clear()
            if record is not None:
                yield number, record
        self.report.ignored.update(self.ignored)

    def convert(self, elem, number: int) -> dict | None:
        values = _children(elem)
        post_type = values.get("wp:post_type", "post")
        status = values.get("wp:status", "publish")
        raw_id = values.get("wp:post_id", "")
        if post_type != "post":
            self.ignored[post_type] += 1
            return None
        if status in SKIPPED_STATUSES:
            self.ignored[f"post:{status}"] += 1
            return None
        if not raw_id.isdigit() or int(raw_id) <= 0:
            raise RecordError(f"wp:post_id {raw_id!r}이(가) 1 이상의 정수가 아닙니다")
        post_id = int(raw_id)
        self.report.labels[number] = f"wp:post_id {post_id}"
        if status not in PUBLISHED | DRAFTS:
            raise RecordError(f"알 수 없는 글 상태 {status!r}")
        published = status in PUBLISHED
        warnings: list[str] = []
        if status in DRAFTS - {"draft"}:
            warnings.append(f"상태가 {status}인 글을 초안으로 가져왔습니다")

        registered = _gmt(values.get("wp:post_date_gmt", ""), "wp:post_date_gmt")
        if published and registered is None:
            registered = _local_time(values.get("wp:post_date", ""), "wp:post_date")
            if registered is None and values.get("pubDate"):
                try:
                    registered = parsedate_to_datetime(values["pubDate"])
                except (TypeError, ValueError):
                    registered = None
            if registered is None:
                raise RecordError("발행된 글인데 발행 시각(wp:post_date_gmt)이 없습니다")
            warnings.append("wp:post_date_gmt가 없어 wp:post_date를 한국 시각으로 읽었습니다")
        modified = _gmt(values.get("wp:post_modified_gmt", ""), "wp:post_modified_gmt")
        if registered is None or modified is None or modified - registered <= MODIFIED_GRACE:
            modified = None

        categories, tags = [], []
        for child in elem:
            if NAMES.kind(child.tag) != "category":
                continue
            name = (child.text or "").strip()
            if child.get("domain") == "category":
                categories.append((child.get("nicename", ""), name))
            elif child.get("domain") == "post_tag" and name:
                tags.append(name)
        if categories:
            nicename, name = categories[0]
            known = self.channel.categories.get(nicename)
            if known is None:
                used = {code for _, code in self.channel.categories.values()}
                known = (name[:60] or nicename, _category_code(nicename, name[:60], used, {}))
                self.channel.categories[nicename] = known
            section = {"name": known[0], "code": known[1]}
            tags = [n for _, n in categories[1:] if n] + tags
        else:
            section = {"name": "미분류", "code": "uncategorized"}
            warnings.append("분류가 없는 글을 '미분류' 섹션에 넣었습니다")

        reporter = {}
        login = values.get("dc:creator", "")
        if not login:
            warnings.append("작성자(dc:creator)가 없어 기자 없이 가져왔습니다")
        else:
            name, email = self.channel.authors.get(login, (login, ""))
            if login not in self.channel.authors:
                warnings.append(f"작성자 {login!r}의 정보(wp:author)가 없어 로그인 이름을 썼습니다")
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    warnings.append(f"작성자 이메일 {email!r}이(가) 올바르지 않아 뺐습니다")
                    email = ""
            reporter = {"name": name[:60], "email": email}

        body_html = convert_body(values.get("content:encoded", ""), warnings)
        title = values.get("title", "")
        if not title:
            title = shorten(plain_text(body_html), 60) or f"제목 없는 글 {post_id}"
            warnings.append("제목이 없어 본문 앞부분을 제목으로 썼습니다")
        excerpt = plain_text(values.get("excerpt:encoded", ""))

        meta = _postmeta(elem)
        images = []
        thumbnail = meta.get("_thumbnail_id", "")
        if thumbnail.isdigit() and int(thumbnail) > 0:
            attachment = self.channel.attachments.get(int(thumbnail))
            if attachment is None:
                warnings.append(f"대표 사진(첨부 {thumbnail})이 내보내기 파일에 없습니다")
            else:
                try:
                    found = self.images.resolve(attachment.url)
                except MissingImage as exc:
                    found = None
                    warnings.append(f"대표 사진을 가져오지 못했습니다: {exc}")
                if found is None and self.images.root is None:
                    warnings.append("--uploads 폴더가 없어 대표 사진을 가져오지 않았습니다")
                if found is not None:
                    images.append(
                        {
                            "path": attachment.url,
                            "alt": attachment.alt[:250],
                            "caption": attachment.caption[:500],
                        }
                    )

        legacy = [f"/?p={post_id}"]
        for candidate in (values.get("link", ""), values.get("guid", "")):
            path = _path_of(candidate)
            if path and path not in legacy and path != "/":
                legacy.append(path)
        views = 0
        for key in ("views", "post_views_count"):
            if meta.get(key, "").isdigit():
                views = int(meta[key])
                break

        return {
            "type": "article",
            "id": post_id,
            "_renumber": True,
            "_warnings": warnings,
            "title": title,
            "subtitle": excerpt if len(excerpt) <= 300 else "",
            "section": section,
            "reporter": reporter,
            "registered_at": registered.isoformat() if registered else None,
            "modified_at": modified.isoformat() if modified else None,
            "status": "published" if published else "draft",
            "body_html": body_html,
            "images": images,
            "tags": tags,
            "legacy_urls": legacy,
            "views": views,
        }


def import_wxr(
    path: Path | str, *, uploads: Path | str | None = None, progress=None, batch_size=None
) -> ImportReport:
    """Import the posts of a WordPress export; see the module docstring."""
    path = Path(path)
    report = ImportReport(unit="항목")
    try:
        channel = read_channel(path)
    except WXRError as exc:
        report.errors.append((0, str(exc)))
        return report
    report.total = channel.items
    images = ImageFolder(Path(uploads) if uploads else None, wordpress=True)
    kwargs = {"batch_size": batch_size} if batch_size else {}
    importer = Importer(
        images=images,
        progress=progress,
        report=report,
        number_floor=channel.max_post_id,
        **kwargs,
    )
    try:
        importer.run(WXRSource(path, channel, images, report))
    except WXRError as exc:  # the file changed between the passes
        report.errors.append((0, str(exc)))
    return report
