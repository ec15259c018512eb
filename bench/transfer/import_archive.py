"""Benchmark: import a generated archive with ``sinmun import`` and time it.

    .venv/bin/python bench/transfer/import_archive.py --articles 100000
    .venv/bin/python bench/transfer/import_archive.py --articles 100000 \
        --database-url postgres://postgres@127.0.0.1:5432/sinmun_transfer

Each run uses a fresh data folder (SQLite) or a freshly created PostgreSQL database,
migrates it, writes the archive (Korean sentences from a fixed pool, seeded, 3–6
paragraphs, tags, 8 sections, 40 reporters, an old address per article), and runs the
real command in a subprocess. Side by side in the same run: the baseline, the same
kind of file imported with one transaction per article (``--batch-size 1``, the
import's behaviour before batching), on ``--baseline-articles`` lines. Then the import
is run again on the full file to time the resume/skip path (nothing new is written).

``--without-search`` also times the full file with the search app's per-article hook
disconnected (bench only: the real command always indexes), to separate the import's own
cost from Kiwi's analysis of every article.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
SINMUN = ROOT / ".venv" / "bin" / "sinmun"
SECTIONS = [
    ("S1N1", "정치"),
    ("S1N2", "사회"),
    ("S1N3", "경제"),
    ("S1N4", "문화"),
    ("S1N5", "교육"),
    ("S1N6", "스포츠"),
    ("S1N7", "오피니언"),
    ("S1N8", "사람들"),
]
SUBJECTS = ["시의회", "구청", "주민자치회", "교육지원청", "상인회", "소방서", "도서관", "보건소"]
VERBS = ["발표했다", "논의했다", "추진한다", "밝혔다", "점검했다", "마련했다", "확정했다"]
OBJECTS = ["예산안", "정비 사업", "돌봄 지원", "교통 대책", "축제 계획", "안전 점검", "공모 결과"]
PLACES = ["물빛동", "솔내천", "한빛시장", "윗말", "새터", "너른들", "강변공원"]


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(PLACES)} {rng.choice(SUBJECTS)}가 {rng.randint(1, 31)}일 "
        f"{rng.choice(OBJECTS)}을 {rng.choice(VERBS)}. "
        f'관계자는 "주민 의견을 {rng.randint(2, 9)}차례 들었다"고 말했다.'
    )


def write_archive(path: Path, count: int, *, seed: int = 8) -> None:
    rng = random.Random(seed)
    start = datetime.fromisoformat("2012-01-01T09:00:00+09:00")
    with open(path, "w", encoding="utf-8") as out:
        for n in range(1, count + 1):
            code, name = SECTIONS[n % len(SECTIONS)]
            when = start + timedelta(minutes=47 * n)
            paragraphs = "".join(
                f"<p>{' '.join(sentence(rng) for _ in range(3))}</p>"
                for _ in range(rng.randint(3, 6))
            )
            record = {
                "id": n,
                "title": f"{rng.choice(PLACES)} {rng.choice(OBJECTS)} {n}호",
                "section": {"code": code, "name": name},
                "reporter": {"name": f"기자{n % 40:02d}", "email": f"r{n % 40}@example.com"},
                "registered_at": when.isoformat(),
                "status": "published",
                "body_html": paragraphs,
                "tags": [rng.choice(OBJECTS), rng.choice(PLACES)],
                "views": rng.randint(0, 5000),
                "legacy_urls": [f"/news/articleView.html?idxno={n + 500000}"],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


NO_SEARCH = (
    "import sys, django; django.setup();"
    "from django.db.models.signals import post_save;"
    "from sinmun.articles.models import Article;"
    "post_save.disconnect(sender=Article, dispatch_uid='search_article_saved');"
    "from django.core.management import call_command;"
    "call_command('import_articles', *sys.argv[1:])"
)


def run(args: list[str], env: dict, *, without_search: bool = False) -> float:
    started = time.perf_counter()
    command = [str(SINMUN), *args]
    if without_search:
        command = [str(ROOT / ".venv" / "bin" / "python"), "-c", NO_SEARCH, *args[1:]]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-2000:])
        raise SystemExit(f"sinmun {' '.join(args)} failed")
    print("   ", result.stdout.strip().splitlines()[-1])
    return elapsed


def fresh_env(workdir: Path, database_url: str | None, suffix: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SINMUN_DATA_DIR"] = str(workdir / f"data-{suffix}")
    env["DJANGO_SETTINGS_MODULE"] = "sinmun.settings.base"
    if database_url:
        import psycopg

        parts = urlsplit(database_url)
        name = parts.path.lstrip("/") + f"_{suffix}"
        admin = parts._replace(path="/postgres").geturl()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = parts._replace(path="/" + name).geturl()
    subprocess.run([str(SINMUN), "migrate", "-v0"], env=env, check=True)
    return env


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--baseline-articles", type=int, default=3_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--without-search", action="store_true")
    args = parser.parse_args()

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="sinmun-import-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    archive = workdir / "archive.jsonl"
    baseline = workdir / "baseline.jsonl"
    write_archive(archive, args.articles)
    write_archive(baseline, args.baseline_articles)
    print(f"archive: {args.articles:,} articles, {archive.stat().st_size / 1e6:.0f} MB; {engine}")

    env = fresh_env(workdir, args.database_url, "base")
    base = run(["import", str(baseline), "--batch-size", "1"], env)
    print(
        f"baseline (one transaction per article): {args.baseline_articles:,} in {base:.1f} s "
        f"= {args.baseline_articles / base:,.0f} articles/s"
    )

    env = fresh_env(workdir, args.database_url, "batched")
    full = run(["import", str(archive)], env)
    print(
        f"batched (500 per transaction): {args.articles:,} in {full:.1f} s "
        f"= {args.articles / full:,.0f} articles/s"
    )
    again = run(["import", str(archive)], env)
    print(
        f"second run (all present, nothing written): {again:.1f} s "
        f"= {args.articles / again:,.0f} lines/s"
    )
    if args.without_search:
        env = fresh_env(workdir, args.database_url, "nosearch")
        bare = run(["import", str(archive)], env, without_search=True)
        print(
            f"batched, search hook disconnected: {args.articles:,} in {bare:.1f} s "
            f"= {args.articles / bare:,.0f} articles/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
