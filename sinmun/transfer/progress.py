"""A one-line progress display on a terminal (stderr), with no extra dependency."""

from __future__ import annotations

import sys
import time


def count_lines(path) -> int:
    count = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            count += chunk.count(b"\n")
    return count


class Progress:
    """Call with the number of the record just done; redraws at most five times a second."""

    def __init__(self, total: int | None, *, stream=None, label: str = "가져오는 중"):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.total = total
        self.label = label
        self.started = time.monotonic()
        self.shown = 0.0
        self.done = 0

    def __call__(self, done: int) -> None:
        self.done = done
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.shown < 0.2 and done != self.total:
            return
        self.shown = now
        self.stream.write("\r" + self.line(now) + "\x1b[K")
        self.stream.flush()

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.started, 1e-6)
        rate = self.done / elapsed
        text = f"{self.label}: {self.done:,}"
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = int(share * 24)
            text = (
                f"{self.label} [{'#' * filled}{'.' * (24 - filled)}] "
                f"{self.done:,}/{self.total:,} ({share:.0%})"
            )
            if rate > 0 and self.done < self.total:
                left = int((self.total - self.done) / rate)
                text += f" · 남은 시간 약 {left // 60}분 {left % 60}초"
        return text + f" · {rate:,.0f}건/초"

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
