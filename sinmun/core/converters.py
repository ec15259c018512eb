"""The ``<id:pk>`` path converter: a number the database can hold, or no match at all.

Django's ``<int:…>`` accepts any run of digits. A 30-digit article number then reaches
the database as a value SQLite (and PostgreSQL's bigint) cannot hold, and the prepared
queries of the reader pages (sinmun/core/prepared.py), which skip the ORM's range check,
raise ``OverflowError``: a 500 for a typo or a scanner. ``id`` refuses such numbers in
the resolver, so the address answers the ordinary 404 before any view runs. Every URL
pattern of sinmun that takes a number uses it (sinmun/core/tests/test_converters.py
walks the resolver to keep it so).
"""

from django.urls import register_converter

# Every id column is a 64-bit signed integer (BigAutoField, SQLite's INTEGER).
MAX_ID = 2**63 - 1


class DatabaseIdConverter:
    """Digits, as an ``int`` no larger than ``MAX_ID``."""

    # 19 digits at most: the resolver never even converts a longer run.
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            # ValueError tells the resolver "this pattern does not match".
            raise ValueError(f"{value} is larger than a database id")
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(DatabaseIdConverter, "id")
