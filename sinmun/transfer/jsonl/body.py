"""Article bodies: HTML turned into body blocks, and blocks given as data checked."""

from __future__ import annotations

import html
from collections.abc import Callable

from bs4 import BeautifulSoup, NavigableString, Tag
from django.core.exceptions import ValidationError

from sinmun.articles.blocks import ArticleBodyBlock
from sinmun.core.sanitize import clean_html, plain_text

from ..errors import RecordError
from ..media import PendingImage
from .fields import _text
from .images import _ImageResolver


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
