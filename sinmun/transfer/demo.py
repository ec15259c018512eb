"""The demo paper: our own fictional local paper, loaded through the ordinary import."""

from pathlib import Path

from sinmun.articles.models import Article

from .jsonl import ImportReport, import_jsonl

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "demo_paper.jsonl"


def site_is_empty() -> bool:
    return not Article.objects.exists()


def load_demo() -> ImportReport:
    return import_jsonl(DEMO_FILE)
