"""Reading JSON Lines: each line decoded into a record, or the reason it cannot be read."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import RecordError
from ..media import ImageFolder
from .importer import BATCH_SIZE, Entry, Importer
from .report import ImportReport

MAX_LINE_BYTES = 5 * 1024 * 1024


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
