"""What an import reports: counts, errors and warnings with the line (or item) they are on."""

from __future__ import annotations

from dataclasses import dataclass, field


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
