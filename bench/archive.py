#!/usr/bin/env python3
"""Fill a database with a synthetic Korean archive: 100,000 articles over 15 years.

Reuses the sentence generator of bench/search/generate.py (word lists written for our
benchmarks) and shapes the archive like a small paper's: output grows over the years,
weekdays carry more than weekends, most articles are 600-2,000 characters with some short
briefs and long features, sections have unequal weights, and the last 30 days have
hourly view buckets so the ranking has work to do. Bulk inserts; about a minute per
100,000 articles on SQLite.

    SINMUN_DATA_DIR=/tmp/sinmun-archive DJANGO_SETTINGS_MODULE=sinmun.settings.base \\
        .venv/bin/python bench/archive.py --articles 100000
    .venv/bin/python bench/run.py --data /tmp/sinmun-archive     # benchmark on it
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
from datetime import UTC, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECTION_WEIGHTS = [30, 25, 14, 10, 8, 6, 4, 3]  # 정치·행정 … 사람들, as bench/search's list


def _text_module():
    spec = importlib.util.spec_from_file_location("sinmun_bench_text", HERE / "search/generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _paragraph_count(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.12:
        return rng.randint(1, 2)  # 단신 (briefs)
    if roll < 0.92:
        return rng.randint(4, 9)
    return rng.randint(12, 20)  # features and interviews


def _times(rng: random.Random, count: int, years: int, now):
    """``count`` registration times over ``years``, denser in later years and on weekdays,
    oldest first."""
    span = years * 365 * 24 * 3600
    times = []
    while len(times) < count:
        # density grows linearly with time: sqrt of a uniform draw
        back = span * (1 - rng.random() ** 0.5)
        when = now - timedelta(seconds=back)
        if when.weekday() >= 5 and rng.random() < 0.6:
            continue
        times.append(when.replace(microsecond=0))
    return sorted(times)


def generate(
    *,
    articles: int,
    years: int = 15,
    seed: int = 20240101,
    batch: int = 2000,
    view_days: int = 30,
    log=None,
) -> dict:
    """Insert the archive through the ORM's bulk_create; return a summary."""
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.html import escape

    from sinmun.articles.models import Article, Reporter, Section
    from sinmun.readers.models import ArticleCounter, ArticleViewHour

    text = _text_module()
    rng = random.Random(seed)
    sections = []
    for i, (code, name) in enumerate(text.SECTIONS):
        section, _ = Section.objects.get_or_create(code=code, defaults={"name": name, "order": i})
        sections.append(section)
    reporters = []
    for i in range(30):
        name = text.FAMILY[i % len(text.FAMILY)] + text.GIVEN[i % len(text.GIVEN)]
        reporter, _ = Reporter.objects.get_or_create(name=name, email=f"archive{i}@example.com")
        reporters.append(reporter)
    now = timezone.now()
    start_id = (Article.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    started, chars = time.monotonic(), 0
    times = _times(rng, articles, years, now - timedelta(minutes=5))
    for offset in range(0, articles, batch):
        rows, counters = [], []
        for n in range(offset, min(offset + batch, articles)):
            title, subtitle, _ = text.article_text(rng)
            paragraphs = [
                " ".join(text.sentence(rng) for _ in range(rng.randint(2, 5)))
                for _ in range(_paragraph_count(rng))
            ]
            html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            chars += sum(len(p) for p in paragraphs)
            pk = start_id + n
            rows.append(
                Article(
                    id=pk,
                    title=title,
                    subtitle=subtitle,
                    section=rng.choices(sections, weights=SECTION_WEIGHTS[: len(sections)])[0],
                    reporter=rng.choice(reporters),
                    body=json.dumps([{"type": "paragraph", "value": html}], ensure_ascii=False),
                    rendered_body=html,
                    excerpt=paragraphs[0][:159],
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=times[n],
                    last_published_at=times[n],
                )
            )
            counters.append(ArticleCounter(article_id=pk, views=rng.randint(0, 5000)))
        with transaction.atomic():
            Article.objects.bulk_create(rows)
            ArticleCounter.objects.bulk_create(counters, ignore_conflicts=True)
        if log:
            log(f"{min(offset + batch, articles)} articles written")

    # Hourly view buckets for the recent articles, so the ranking reads real rows.
    recent = list(
        Article.objects.filter(first_published_at__gte=now - timedelta(days=view_days)).values_list(
            "id", "first_published_at"
        )
    )
    hours = []
    for pk, when in recent:
        start = when.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        for h in range(rng.randint(3, 48)):
            hour = start + timedelta(hours=h)
            if hour > now:
                break
            hours.append(ArticleViewHour(article_id=pk, hour=hour, views=rng.randint(1, 400)))
    for i in range(0, len(hours), 5000):
        ArticleViewHour.objects.bulk_create(hours[i : i + 5000], ignore_conflicts=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "articles": articles,
        "years": years,
        "body_chars_avg": round(chars / max(articles, 1)),
        "view_hour_rows": len(hours),
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--seed", type=int, default=20240101)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    summary = generate(
        articles=args.articles,
        years=args.years,
        seed=args.seed,
        log=lambda m: print(m, file=sys.stderr),
    )
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
