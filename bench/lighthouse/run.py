#!/usr/bin/env python3
"""Lighthouse 12 (mobile, its default preset) on the demo paper's home and article pages.

    .venv/bin/python bench/lighthouse/run.py               # 3 runs per page, median shown
    .venv/bin/python bench/lighthouse/run.py --runs 5 --keep /tmp/lh   # keep the JSON reports
    .venv/bin/python bench/lighthouse/run.py --nginx       # through deploy/nginx (gzip/brotli)

Installs Lighthouse 12.2.3 into bench/lighthouse/node_modules on first use (package.json and
package-lock.json next to this file; CI never installs or runs it), starts ``sinmun serve``
on 127.0.0.1 with a fresh data folder and the demo paper, production-like (DEBUG off, the
application page cache on, whitenoise's compressed static files, 2 gunicorn workers), and
runs Lighthouse against Debian's Chromium (CHROME_PATH, default /usr/bin/chromium). A run
that fails with NO_NAVSTART (it happens now and then in headless Chromium) is retried.

Prints a Markdown table: category scores (performance, accessibility, best practices,
SEO), LCP, CLS, TBT, bytes transferred and requests, for the median run of each page by
performance score. Lighthouse simulates a mid-range phone on a slow 4G link, so the figures
depend little on the server, but a busy machine still moves them: say so with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from tests.support.servers import LiveNginx, LiveSinmun, http_get  # noqa: E402

LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
RETRIES = 4


def install() -> None:
    if LIGHTHOUSE.exists():
        return
    print("installing lighthouse (bench/lighthouse/package-lock.json)…", file=sys.stderr)
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        check=True,
    )


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run; its report. NO_NAVSTART and other flaky starts are retried."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    last = ""
    for _ in range(RETRIES):
        done = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        report = json.loads(out.read_text()) if out.exists() else {}
        error = (report.get("runtimeError") or {}).get("code")
        if done.returncode == 0 and report and not error:
            return report
        last = error or done.stderr[-2000:]
        print(f"  retrying {url}: {last}", file=sys.stderr)
    raise RuntimeError(f"Lighthouse failed {RETRIES} times on {url}: {last}")


def figures(report: dict) -> dict:
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        **{c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES},
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": len(requests),
        "render_blocking": [
            item["url"]
            for item in (audits["render-blocking-resources"].get("details") or {}).get("items", [])
        ],
        "failed": [
            a["id"]
            for a in audits.values()
            if a.get("score") is not None
            and a["score"] < 1
            and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median shown)")
    parser.add_argument("--keep", type=Path, help="keep the JSON reports in this folder")
    parser.add_argument(
        "--nginx", action="store_true", help="read through deploy/nginx's configuration"
    )
    args = parser.parse_args()
    install()

    with tempfile.TemporaryDirectory(prefix="sinmun-lighthouse-") as tmp:
        tmp = Path(tmp)
        reports = args.keep or tmp / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        server = LiveSinmun(
            data_dir=tmp / "data",
            workers=2,
            env={"SINMUN_DEBUG": "false", "SINMUN_PAGE_CACHE": "true"},
        ).start()
        nginx = None
        try:
            base = server.url
            if args.nginx:
                nginx = LiveNginx(
                    workdir=tmp / "nginx",
                    upstreams=[f"127.0.0.1:{server.port}"],
                    static_root=tmp / "data" / "static",
                    media_root=tmp / "data" / "media",
                ).start()
                base = nginx.url
            _, _, home = http_get(base + "/", timeout=10)
            article = re.search(r'href="(/article/\d+/)"', home).group(1)
            pages = {"home": "/", "article": article}
            rows = []
            for name, path in pages.items():
                url = base + path
                http_get(url, timeout=10)  # the page cache holds it, as for any reader
                runs = []
                for n in range(args.runs):
                    runs.append(figures(lighthouse(url, reports / f"{name}-{n + 1}.json")))
                    print(f"  {name} run {n + 1}: {runs[-1]}", file=sys.stderr)
                perf = [r["performance"] for r in runs]
                # The median run by score, ties by LCP (Lighthouse's estimate varies
                # most there from run to run).
                median = sorted(runs, key=lambda r: (r["performance"], -r["lcp"]))[len(runs) // 2]
                rows.append((name, path, median, statistics.median(perf), perf, runs))
        finally:
            if nginx is not None:
                nginx.stop()
            server.stop()

    print(
        "| page | perf | a11y | best practices | SEO | LCP | CLS | TBT | transferred "
        "| requests | perf of each run | LCP of each run |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, path, r, _, perf, runs in rows:
        lcps = ", ".join(f"{run['lcp']:.2f}" for run in runs)
        print(
            f"| {name} (`{path}`) | {r['performance']} | {r['accessibility']} "
            f"| {r['best-practices']} | {r['seo']} | {r['lcp']:.2f} s | {r['cls']:.3f} "
            f"| {r['tbt']:.0f} ms | {r['bytes'] / 1024:.1f} KB | {r['requests']} "
            f"| {', '.join(map(str, perf))} | {lcps} |"
        )
    for name, _, r, _, _, _ in rows:
        if r["render_blocking"]:
            print(f"\n{name}: render-blocking: {', '.join(r['render_blocking'])}")
        if r["failed"]:
            print(f"{name}: audits below full marks: {', '.join(r['failed'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
