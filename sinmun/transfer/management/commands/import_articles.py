from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinmun.transfer.jsonl import import_jsonl


class Command(BaseCommand):
    help = "JSON Lines 파일에서 기사와 신문 정보를 가져옵니다 (sinmun import PATH)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="가져올 .jsonl 파일")

    def handle(self, *args, path, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"파일이 없습니다: {source}")
        report = import_jsonl(source)
        for line, message in report.warnings:
            self.stderr.write(f"{source}:{line}: 주의: {message}")
        for line, message in report.errors:
            self.stderr.write(self.style.ERROR(f"{source}:{line}: 건너뜀: {message}"))
        self.stdout.write(
            f"새 기사 {report.created}건, 이미 있는 기사 {report.existing}건, "
            f"신문 정보 {report.site_records}건, 오류 {len(report.errors)}건"
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)}개 줄을 가져오지 못했습니다(위 목록 참고)")
