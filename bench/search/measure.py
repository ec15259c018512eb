"""Measure search latency through the real view (Django's test client, in process).

Every request goes through the middleware, URL routing, the view, the analyser, the
database's full-text query, highlighting and the template — everything but the HTTP
server. Each URL is unique, so the page cache never answers.
Reports p50/p95/p99/max per query group and overall, in milliseconds, as JSON, with the
number of results of each query (the synthetic vocabulary is small, so common words
match a large share of the archive: the hard case for ranking and counting).

    SINMUN_DATA_DIR=/tmp/sinmun-bench-search DJANGO_SETTINGS_MODULE=sinmun.settings.base \\
        .venv/bin/python bench/search/measure.py --rounds 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from urllib.parse import urlencode

QUERIES = {
    "common word": ["돌봄", "예산", "주민", "사업", "계획"],
    "rare word": ["한파 쉼터", "수돗물", "이동권", "방범 카메라", "다문화"],
    "particles": ["성동구는", "경선을", "도서관에서", "주민들이", "예산을"],
    "place stem": ["성동", "물빛", "새여울", "강변"],
    "compound": ["사회적기업", "사회적 기업", "공공도서관", "시내버스", "전기차 충전소"],
    "numbers/latin": ["코로나19", "SIB", "2020", "AI", "SOC"],
    "reporter": ["김서윤", "박지우", "최하늘", "윤민준", "장도현"],
    "several words": ["청년 창업 지원", "미세먼지 대책 발표", "하천 정비 예산", "노인 일자리 확대"],
    "no result": ["우주정거장", "해저터널", "스키점프대"],
    "filtered": ["돌봄&section=S1N2", "예산&from=2024-01-01&to=2024-12-31", "주민&sort=newest"],
    "deep page": ["주민&page=40", "사업&page=25"],
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from sinmun.articles.models import Article
    from sinmun.search.backends import get_backend

    client = Client(SERVER_NAME="127.0.0.1")
    client.get("/search?q=" + "워밍업")  # loads Kiwi once, as the first search of a process does
    timings: dict[str, list[float]] = {group: [] for group in QUERIES}
    results: dict[str, int] = {}
    serial = 0
    for _ in range(args.rounds):
        for group, queries in QUERIES.items():
            for query in queries:
                word, _, extra = query.partition("&")
                serial += 1
                # A parameter the view ignores keeps the page cache (sinmun.delivery) out
                # of the measurement: every request does the search work.
                url = (
                    "/search?"
                    + urlencode({"q": word})
                    + ("&" + extra if extra else "")
                    + f"&bench={serial}"
                )
                started = time.perf_counter()
                response = client.get(url)
                timings[group].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                if b"search-count" in response.content:
                    results[query] = int(
                        response.content.split(b'data-testid="search-count">')[1]
                        .split("건".encode())[0]
                        .split()[-1]
                        .replace(b",", b"")
                    )
    every = [t for values in timings.values() for t in values]
    report = {
        "database": connection.vendor,
        "articles_public": Article.objects.public().count(),
        "indexed": len(get_backend().indexed_ids()),
        "requests": len(every),
        "overall_ms": {
            "p50": round(statistics.median(every), 1),
            "p95": round(percentile(every, 95), 1),
            "p99": round(percentile(every, 99), 1),
            "max": round(max(every), 1),
        },
        "groups_ms": {
            group: {
                "p50": round(statistics.median(values), 1),
                "p95": round(percentile(values, 95), 1),
                "max": round(max(values), 1),
            }
            for group, values in timings.items()
        },
        "result_counts": results,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
