"""Checking one value of a record: text, times, counts, lists, section codes."""

from __future__ import annotations

from datetime import datetime

from django.utils.text import slugify

from ..errors import RecordError

MAX_LIST_ITEMS = 200


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
