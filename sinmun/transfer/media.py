"""Photos that come with an import: finding their files safely and storing them once.

An import names its photos by path (JSON Lines: relative to the file's folder) or by
their old URL (WordPress: ``…/wp-content/uploads/YYYY/MM/name.jpg``, looked up in the
uploads folder given with ``--uploads``). A path may never leave its folder: absolute
paths, ``..`` and links pointing outside are refused. Each file is checked to be an
image of a known format and size before it is stored; a file already in the image
library (same bytes, by Wagtail's SHA-1 ``file_hash``) is reused, so running an import
twice stores nothing twice.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files import File
from PIL import Image as PILImage
from wagtail.images import get_image_model

from .errors import RecordError

IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
UPLOADS_MARKER = "/wp-content/uploads/"
_WP_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


@dataclass(frozen=True)
class PendingImage:
    """A checked image file, stored in the library when its record is written."""

    path: Path
    title: str

    def __json__(self):  # pragma: no cover - only for debugging output
        return str(self.path)


def _safe_join(root: Path, relative: str, shown: str) -> Path:
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or relative.startswith("/") or re.match(r"^[A-Za-z]:", relative):
        raise RecordError(f"사진 경로 {shown!r}은(는) 절대 경로라 쓸 수 없습니다")
    if any(part == ".." for part in pure.parts) or "\x00" in relative:
        raise RecordError(f"사진 경로 {shown!r}이(가) 가져올 폴더 밖을 가리킵니다(.. 사용 불가)")
    base = root.resolve()
    candidate = (base / Path(*pure.parts)).resolve() if pure.parts else base
    if not candidate.is_relative_to(base) or candidate == base:
        raise RecordError(f"사진 경로 {shown!r}이(가) 가져올 폴더 밖을 가리킵니다")
    return candidate


class ImageFolder:
    """Resolve the image references of one import to checked files.

    ``resolve`` returns a path inside the folder, None for an address that is not a
    local file (an outside ``http(s)://`` photo), or raises ``RecordError``.
    """

    def __init__(self, root: Path | None, *, wordpress: bool = False):
        self.root = Path(root) if root else None
        self.wordpress = wordpress

    def relative_path(self, src: str) -> str | None:
        src = (src or "").strip()
        if not src:
            return None
        parts = urlsplit(src)
        if self.wordpress:
            path = unquote(parts.path)
            if UPLOADS_MARKER in path:
                return path.split(UPLOADS_MARKER, 1)[1]
            if parts.scheme or parts.netloc or path.startswith("/"):
                return None
            return path
        if parts.scheme in ("http", "https") or parts.netloc:
            return None
        if parts.scheme:
            raise RecordError(f"사진 주소 {src!r}의 형식({parts.scheme}:)은 쓸 수 없습니다")
        return unquote(parts.path)

    def resolve(self, src: str) -> Path | None:
        relative = self.relative_path(src)
        if relative is None:
            return None
        if self.root is None:
            if self.wordpress:
                return None  # no --uploads: the caller reports it once per record
            raise RecordError(f"사진 {src!r}을(를) 찾을 폴더가 없습니다")
        path = _safe_join(self.root, relative, src)
        if not path.is_file() and self.wordpress:
            # A resized copy (name-300x200.jpg) stands for the original upload.
            original = _WP_SIZE_SUFFIX.sub("", relative)
            if original != relative:
                alternative = _safe_join(self.root, original, src)
                if alternative.is_file():
                    return alternative
        if not path.is_file():
            raise MissingImage(f"사진 파일 {relative!r}이(가) 없습니다")
        return path


class MissingImage(RecordError):
    """A referenced photo whose file is not there."""


def check_image(path: Path) -> PendingImage:
    """Return ``path`` as a pending image after checking it is a usable image file."""
    size = path.stat().st_size
    limit = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 15 * 1024 * 1024)
    if size > limit:
        raise RecordError(f"사진 파일 {path.name!r}이(가) 너무 큽니다({size}바이트)")
    try:
        with PILImage.open(path) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError):
        raise RecordError(f"파일 {path.name!r}은(는) 읽을 수 있는 사진이 아닙니다") from None
    if image_format not in IMAGE_FORMATS:
        raise RecordError(f"사진 {path.name!r}의 형식({image_format})은 쓸 수 없습니다")
    pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 40_000_000)
    if width * height > pixels:
        raise RecordError(f"사진 {path.name!r}이(가) 너무 큽니다({width}×{height})")
    return PendingImage(path=path, title=path.stem[:255])


def file_sha1(path: Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)  # Wagtail's file_hash is SHA-1 of the bytes
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def store_image(pending: PendingImage, *, title: str = "", focal_point=None):
    """Return the library image with ``pending``'s bytes, storing it if new."""
    Image = get_image_model()
    digest = file_sha1(pending.path)
    query = Image.objects.filter(file_hash=digest)
    if title:
        query = query.filter(title=title[:255])
    existing = query.order_by("id").first()
    if existing is not None:
        return existing
    with open(pending.path, "rb") as handle:
        image = Image(
            title=(title or pending.title)[:255] or "사진",
            file=File(handle, name=pending.path.name),
        )
        if focal_point:
            (
                image.focal_point_x,
                image.focal_point_y,
                image.focal_point_width,
                image.focal_point_height,
            ) = focal_point
        image._set_image_file_metadata()
        image.save()
    return image
