import time

from django.core.management.base import BaseCommand

from sinmun.search.services import search_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every live article (batched; searching goes on)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, verbosity, **options):
        started = time.monotonic()

        def progress(done):
            if verbosity > 1:
                self.stdout.write(f"{done} articles indexed")

        report = search_rebuild(batch_size=max(1, batch_size), progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {report.indexed} articles, removed {report.removed} stale entries "
                f"in {elapsed:.1f}s."
            )
        )
