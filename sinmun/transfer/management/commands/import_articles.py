from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinmun.transfer.jsonl import import_jsonl
from sinmun.transfer.progress import Progress, count_lines
from sinmun.transfer.wxr import import_wxr, is_wxr

EXPORT_FILE = "paper.jsonl"


class Command(BaseCommand):
    help = (
        "기사와 신문 정보를 가져옵니다 (sinmun import PATH): JSON Lines 파일, "
        "WordPress 내보내기(WXR) 파일, 또는 sinmun export로 만든 폴더. "
        "두 번 실행해도 겹치지 않고, 중단된 가져오기는 다시 실행하면 이어집니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="가져올 .jsonl 파일, WXR(.xml) 파일 또는 내보내기 폴더")
        parser.add_argument(
            "--format",
            choices=["jsonl", "wxr"],
            help="파일 형식 (기본: 파일 내용을 보고 정함)",
        )
        parser.add_argument(
            "--uploads",
            help="WordPress의 wp-content/uploads 폴더 (WXR의 사진을 이 폴더에서 찾음)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="한 트랜잭션에 쓰는 기사 수 (기본 500)"
        )

    def handle(self, *args, path, format=None, uploads=None, batch_size=500, **options):
        source = Path(path)
        if source.is_dir() and (source / EXPORT_FILE).is_file():
            source = source / EXPORT_FILE
        if not source.is_file():
            raise CommandError(f"파일이 없습니다: {source}")
        if batch_size < 1:
            raise CommandError("--batch-size는 1 이상이어야 합니다")
        kind = format or ("wxr" if is_wxr(source) else "jsonl")
        if uploads and not Path(uploads).is_dir():
            raise CommandError(f"--uploads 폴더가 없습니다: {uploads}")
        if kind == "wxr":
            progress = Progress(None, stream=self.stderr._out)
            report = import_wxr(source, uploads=uploads, progress=progress, batch_size=batch_size)
        else:
            if uploads:
                raise CommandError("--uploads는 WXR 파일에만 씁니다(JSON Lines는 파일 옆 폴더)")
            progress = Progress(count_lines(source), stream=self.stderr._out)
            report = import_jsonl(source, progress=progress, batch_size=batch_size)
        progress.finish()
        for number, message in report.warnings:
            self.stderr.write(f"{source}:{report.where(number)}: 주의: {message}")
        for number, message in report.errors:
            self.stderr.write(
                self.style.ERROR(f"{source}:{report.where(number)}: 건너뜀: {message}")
            )
        summary = (
            f"새 기사 {report.created}건, 이미 있는 기사 {report.existing}건, "
            f"신문 정보 {report.site_records}건, 오류 {len(report.errors)}건"
        )
        if report.other_records:
            summary += f", 섹션·기자·사진 {report.other_records}건"
        if report.renumbered:
            summary += f", 새 번호를 받은 기사 {len(report.renumbered)}건"
        if report.ignored:
            ignored = ", ".join(f"{k} {v}건" for k, v in sorted(report.ignored.items()))
            summary += f"\n기사가 아니어서 가져오지 않은 항목: {ignored}"
        self.stdout.write(summary)
        if report.errors:
            raise CommandError(f"{len(report.errors)}개 항목을 가져오지 못했습니다(위 목록 참고)")
