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
import html
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
SINMUN = ROOT / ".venv" / "bin" / "sinmun"


def _text_module():
    """The sentence generator of bench/search (word lists written for our benchmarks)."""
    spec = importlib.util.spec_from_file_location(
        "sinmun_bench_text", ROOT / "bench" / "search" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_archive(path: Path, count: int, *, seed: int = 8) -> None:
    """Articles like bench/search's (same vocabulary and reporters, ~1,000 characters of
    body), so the imported archive also serves bench/search/measure.py."""
    text = _text_module()
    rng = random.Random(seed)
    reporters = [
        (
            text.FAMILY[i % len(text.FAMILY)] + text.GIVEN[i % len(text.GIVEN)],
            f"bench{i}@example.com",
        )
        for i in range(40)
    ]
    now = datetime.now(UTC).replace(microsecond=0)
    with open(path, "w", encoding="utf-8") as out:
        for n in range(1, count + 1):
            code, name = text.SECTIONS[rng.randrange(len(text.SECTIONS))]
            title, subtitle, paragraphs = text.article_text(rng)
            when = now - timedelta(minutes=37 * (count - n) + 60)
            reporter_name, email = rng.choice(reporters)
            record = {
                "id": n,
                "title": title,
                "subtitle": subtitle,
                "section": {"code": code, "name": name},
                "reporter": {"name": reporter_name, "email": email},
                "registered_at": when.isoformat(),
                "status": "published",
                "body_html": "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
                "tags": [rng.choice(text.SUBJECTS), rng.choice(text.PLACES)],
                "views": rng.randint(0, 5000),
                "legacy_urls": [f"/news/articleView.html?idxno={n + 500000}"],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


NO_SEARCH = (
    "import sys, django; django.setup();"
    "from sinmun.search.services import BulkIndexer;"
    "BulkIndexer.batch_committed = BulkIndexer.finish = lambda self: None;"
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
