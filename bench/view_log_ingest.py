#!/usr/bin/env python3
"""How fast the minute job counts the view log nginx writes (sinmun/readers/viewlog.py).

    SINMUN_DATA_DIR=/tmp/perf-data DJANGO_SETTINGS_MODULE=sinmun.settings.base \
        .venv/bin/python bench/view_log_ingest.py --lines 50000

Writes ``lines`` beacon lines (every one a different reader, spread over the site's
public articles, in nginx's JSON format) to a fresh log in a temporary folder and times
``ingest_view_log`` over it in this process; checks every line was counted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinmun.settings.base")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=50_000)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from django.db.models import Sum

    from sinmun.articles.models import Article
    from sinmun.readers.models import ArticleCounter
    from sinmun.readers.viewlog import ingest_view_log

    ids = list(Article.objects.public().values_list("pk", flat=True))
    log = Path(tempfile.mkdtemp(prefix="sinmun-viewlog-")) / "views.log"
    now = time.time()
    with open(log, "w") as handle:
        for i in range(args.lines):
            record = {
                "t": f"{now - (args.lines - i) * 0.001:.3f}",
                "method": "POST",
                "uri": f"/reader/article/{ids[i % len(ids)]}/view/",
                "ip": f"10.{i // 65025 % 250}.{i // 255 % 255}.{i % 255 + 1}",
                "ua": f"Mozilla/5.0 (Android 14; Mobile) bench/{i}",
                "sec_purpose": "",
                "purpose": "",
                "x_purpose": "",
                "x_moz": "",
            }
            handle.write(json.dumps(record) + "\n")
    before = ArticleCounter.objects.aggregate(s=Sum("views"))["s"] or 0
    started = time.perf_counter()
    report = ingest_view_log(log)
    seconds = time.perf_counter() - started
    after = ArticleCounter.objects.aggregate(s=Sum("views"))["s"] or 0
    print(
        f"{report.lines:,} lines, {report.views:,} views counted ({after - before:,} added to "
        f"the counters) in {seconds:.1f} s: {report.lines / seconds:,.0f} lines/s"
    )
    return 0 if after - before == args.lines else 1


if __name__ == "__main__":
    sys.exit(main())
