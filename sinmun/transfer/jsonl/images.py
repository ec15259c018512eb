"""Image references in records: found in the import's folder and checked, or reported."""

from __future__ import annotations

from ..errors import RecordError
from ..media import ImageFolder, MissingImage, PendingImage, check_image


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
