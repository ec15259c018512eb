"""Turn the reference page (../shared/fixtures/seed-article-page.txt) into import records.

The seed file is the text of a real article page; it belongs to its newspaper, so it is
read at test time and never copied into the project. Where it is absent (a plain clone),
the tests that need it skip and say so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

SEED_PATH = (
    Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / ("seed-article-page.txt")
)

_REGISTERED = re.compile(r"등록\s+(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})")
_RANKED = re.compile(r"^\s*(\d+)\.\s+(.*)$")


@dataclass
class SeedPage:
    title: str
    reporter: str
    registered: str  # "YYYY-MM-DD HH:MM:SS" as printed
    paragraphs: list[str]
    ranked: list[str]  # the most-viewed items' visible text, in order
    banner: str


def parse_seed(text: str) -> SeedPage:
    lines = [line.rstrip() for line in text.splitlines()]
    title = lines[1].strip()
    reporter = lines[2].strip().lstrip("•").strip()
    registered = " ".join(_REGISTERED.search(lines[3]).groups())
    start = lines.index("기사수정") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "0")
    paragraphs = [line.strip() for line in lines[start:end] if line.strip()]
    ranked_start = next(i for i, line in enumerate(lines) if line.startswith("가장 많이 본 뉴스"))
    ranked = []
    banner = ""
    for line in lines[ranked_start + 1 :]:
        match = _RANKED.match(line)
        if match:
            ranked.append(match.group(2).strip())
        elif line.strip() and "모바일 버전" not in line:
            banner = line.strip()
    return SeedPage(title, reporter, registered, paragraphs, ranked, banner)


def split_ranked_item(text: str, limit: int = 50) -> tuple[str, str]:
    """Split a ranked item's visible text into a headline and the rest.

    The seed page prints each ranked headline and its excerpt as one run of text with
    nothing marking where one ends, so the test imports a word-boundary prefix as the
    headline and the rest as the body, and compares the visible text as a whole.
    """
    if len(text) <= limit:
        return text, ""
    cut = text.rfind(" ", 0, limit)
    cut = cut if cut > 10 else limit
    return text[:cut].strip(), text[cut:].strip()


def seed_records(seed: SeedPage) -> list[str]:
    """Return JSON Lines records: the seed article, its seven most-viewed articles (views
    in the seed's order) and a site record carrying the banner."""
    section = {"code": "seedtown", "name": "자치행정"}
    date, time = seed.registered.split(" ")
    records = [
        {
            "type": "site",
            "name": "시험신문",
            "banners": [{"label": seed.banner, "url": "/ranking/"}],
        },
        {
            "id": 5001,
            "title": seed.title,
            "subtitle": "",
            "section": section,
            "reporter": {"name": seed.reporter, "email": ""},
            "registered_at": f"{date}T{time}+09:00",
            "modified_at": None,
            "status": "published",
            "body_html": "".join(f"<p>{p}</p>" for p in seed.paragraphs),
            "tags": [],
            "views": 0,
            "likes": 0,
        },
    ]
    for rank, item in enumerate(seed.ranked, start=1):
        headline, rest = split_ranked_item(item)
        records.append(
            {
                "id": 6000 + rank,
                "title": headline,
                "section": section,
                "reporter": {"name": "시험기자", "email": "tester@example.com"},
                # One ranked item is older than the seed article, so both 이전 기사 보기 and
                # 다음 기사 보기 have somewhere to go, as on the seed page.
                "registered_at": (
                    "2020-12-30T09:00:00+09:00"
                    if rank == 7
                    else f"2026-03-{rank:02d}T10:00:00+09:00"
                ),
                "status": "published",
                "body_html": f"<p>{rest}</p>" if rest else "",
                "views": 10_000 - rank * 1000,
            }
        )
    return [json.dumps(r, ensure_ascii=False) for r in records]
