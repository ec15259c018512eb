#!/usr/bin/env python3
"""Publish → visible through nginx: how long a reader behind nginx's cache waits.

    .venv/bin/python bench/publish_latency.py --rounds 5

Starts ``sinmun serve`` (with nginx's purge listener configured) and nginx with
deploy/nginx's configuration on 127.0.0.1, fills nginx's cache with an article, then
one ``sinmun shell`` edits the article's title through the model
(``save_revision().publish()``, the path the admin takes) ``rounds`` + 1 times (the
first warms the process up and is not measured), printing the time around each publish,
while this process polls the article through nginx every 10 ms until each new title
appears. Prints each delay and the worst.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.servers import LiveNginx, LiveSinmun, free_port, http_get  # noqa: E402

PUBLISH = """
import time
from sinmun.articles.models import Article
# One process for every round, warmed by a first publish (search indexing loads its
# analyzer, the purge machinery its modules): like an editor's request to a warm worker.
for title in {titles!r}:
    article = Article.objects.get(pk={pk})
    article.title = title
    revision = article.save_revision(log_action=False)
    print("PUBLISH_AT", title, repr(time.time()), flush=True)
    revision.publish()
    print("PUBLISHED_AT", title, repr(time.time()), flush=True)
    time.sleep(3)  # let the repeated purge (SINMUN_PURGE_REPEAT_SECONDS) pass
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="sinmun-publish-"))
    data = work / "data"
    port = free_port()
    nginx = LiveNginx(
        workdir=work / "nginx",
        upstreams=[f"127.0.0.1:{port}"],
        static_root=data / "static",
        media_root=data / "media",
    )
    app = LiveSinmun(
        data_dir=data,
        port=port,
        workers=args.workers,
        env={"SINMUN_NGINX_PURGE_URL": nginx.purge_url, "SINMUN_BEHIND_PROXY": "true"},
    )
    delays = []
    try:
        app.start()
        nginx.start()
        pk = int(re.search(r'href="/article/(\d+)/"', http_get(app.url + "/")[2]).group(1))
        url = f"{nginx.url}/article/{pk}/"
        for _ in range(3):
            http_get(url)
        if http_get(url)[1].get("X-Cache-Status") != "HIT":
            sys.exit("nginx did not cache the article")
        stamp = f"{time.time():.0f}"
        titles = [f"발행 지연 측정 {i} {stamp}" for i in range(args.rounds + 1)]
        seen: dict[str, float] = {}
        done = threading.Event()

        def poll():
            waiting = list(titles[1:])
            while waiting and not done.is_set():
                if waiting[0] in http_get(url)[2]:
                    seen[waiting.pop(0)] = time.time()
                time.sleep(0.01)

        poller = threading.Thread(target=poll)
        poller.start()
        result = app.run("shell", "-c", PUBLISH.format(pk=pk, titles=titles), timeout=900)
        time.sleep(2)
        done.set()
        poller.join()
        called = dict(re.findall(r"PUBLISH_AT (.+) (\S+)\n", result.stdout))
        returned = dict(re.findall(r"PUBLISHED_AT (.+) (\S+)\n", result.stdout))
        for title in titles[1:]:
            if title not in seen or title not in called:
                print("not seen:", title, result.stderr[-1500:])
                continue
            delay = seen[title] - float(called[title])
            after_return = seen[title] - float(returned[title])
            delays.append(delay)
            print(
                f"{title}: visible through nginx {delay * 1000:.0f} ms after publish() was "
                f"called, {after_return * 1000:.0f} ms after it returned (publish() took "
                f"{(float(returned[title]) - float(called[title])) * 1000:.0f} ms)"
            )
    finally:
        nginx.stop()
        app.stop()
    if delays:
        print(
            f"\n`bench/publish_latency.py {' '.join(sys.argv[1:])}`: {len(delays)} rounds, "
            f"median {sorted(delays)[len(delays) // 2] * 1000:.0f} ms, "
            f"worst {max(delays) * 1000:.0f} ms"
        )
    return 0 if delays and len(delays) == args.rounds else 1


if __name__ == "__main__":
    sys.exit(main())
