from django.core.management.base import BaseCommand

from sinmun.readers.services import flush_view_counts


class Command(BaseCommand):
    help = "Redis에 쌓인 조회수를 데이터베이스로 옮깁니다 (1분마다 실행)."

    def handle(self, *args, **options):
        report = flush_view_counts()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"조회수 {report.views}건을 옮겼습니다 (묶음 {report.batches}개, 건너뜀 {report.skipped}개)."
            )
