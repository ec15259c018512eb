"""Build the search index of a generated archive quickly, for latency benchmarks only.

``sinmun rebuild_search_index`` analyses every article with Kiwi: about 30-70 articles
a second on two cores, over an hour for 100,000 articles on a busy machine. The archive
of bench/search/generate.py is made of template sentences, so this script analyses each
*distinct sentence* once with the real analyser (numbers masked, then put back) and
joins the sentences' terms into each article's entry. Titles, subtitles, reporters and
tags are analysed as they are. The entries are written through the real backend
(``get_backend().index``), on SQLite or PostgreSQL (``DATABASE_URL``).

The result is the index the rebuild would write, up to Kiwi's occasional context
effects across sentence boundaries: ``--check N`` analyses N articles both ways and
prints the share of terms both ways agree on (the differences are surface forms where
``plain_text`` joins two paragraphs without a space, "…했다.성동구는"). Never use this for a real paper's index.

    SINMUN_DATA_DIR=/tmp/sinmun-bench-search DJANGO_SETTINGS_MODULE=sinmun.settings.base \\
        .venv/bin/python bench/search/fast_index.py --check 50
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from functools import cache

NUMBER = re.compile(r"\d+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s*")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--check", type=int, default=0, help="compare N articles with the rebuild")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import transaction

    from sinmun.articles.models import Article
    from sinmun.search.analyzer import analyse, clean_term, index_terms
    from sinmun.search.backends import IndexDocument, get_backend
    from sinmun.search.services import FIELD_ORDER, build_documents, live_sources

    @cache
    def masked_terms(masked: str) -> tuple[str, ...]:
        return tuple(index_terms(analyse(masked)))

    def sentence_terms(sentence: str) -> list[str]:
        numbers = NUMBER.findall(sentence)
        if not numbers:
            return list(masked_terms(sentence))
        # The k-th number becomes 9000+k for Kiwi, then each term gets it back.
        counter = iter(range(len(numbers)))
        masked = NUMBER.sub(lambda m: str(9000 + next(counter)), sentence)
        back = {str(9000 + k): number for k, number in enumerate(numbers)}
        return [
            NUMBER.sub(lambda m: back.get(m.group(), m.group()), term)
            for term in masked_terms(masked)
        ]

    def text_terms(text: str) -> list[str]:
        return [t for s in SENTENCE_END.split(text) if s.strip() for t in sentence_terms(s)]

    def document(pk: int, sources: dict[str, str]) -> IndexDocument:
        fields = {name: text_terms(sources[name]) for name in FIELD_ORDER}
        whole = clean_term(sources["reporter"])
        if whole and whole not in fields["reporter"]:
            fields["reporter"].append(whole)
        return IndexDocument(article_id=pk, **fields)

    if args.check:
        from collections import Counter

        ids = list(Article.objects.filter(live=True).order_by("?").values_list("pk", flat=True))
        items = live_sources(ids[: args.check])
        same = total = identical = 0
        for (pk, sources), real in zip(items, build_documents(items), strict=True):
            fast = document(pk, sources)
            for name in FIELD_ORDER:
                a, b = Counter(getattr(real, name)), Counter(getattr(fast, name))
                same += sum((a & b).values())
                total += max(sum(a.values()), sum(b.values()))
            identical += all(
                Counter(getattr(real, n)) == Counter(getattr(fast, n)) for n in FIELD_ORDER
            )
        print(
            json.dumps(
                {
                    "checked": len(items),
                    "identical_entries": identical,
                    "terms_in_common": f"{same / max(total, 1):.2%}",
                }
            )
        )
        return 0

    backend = get_backend()
    started = time.monotonic()
    last, done = 0, 0
    live = Article.objects.filter(live=True).order_by("pk")
    while True:
        ids = list(live.filter(pk__gt=last).values_list("pk", flat=True)[: args.batch])
        if not ids:
            break
        last = ids[-1]
        documents = [document(pk, sources) for pk, sources in live_sources(ids)]
        with transaction.atomic():
            backend.index(documents)
        done += len(documents)
        print(
            f"{done} indexed, {masked_terms.cache_info().currsize} distinct sentences, "
            f"{time.monotonic() - started:.0f} s",
            file=sys.stderr,
        )
    print(json.dumps({"indexed": done, "seconds": round(time.monotonic() - started, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
