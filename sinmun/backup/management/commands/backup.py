from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinmun.backup.archive import create_backup
from sinmun.backup.manifest import BackupError


class Command(BaseCommand):
    help = (
        "사이트 전체(데이터베이스, 사진 등 미디어, 설정)를 파일 하나로 백업합니다. "
        "사이트가 돌아가는 동안에도 일관된 사본을 만듭니다."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help="백업 파일 경로 (기본: 데이터 폴더의 backups/sinmun-날짜-시각.tar.gz)",
        )

    def handle(self, *args, output=None, **options):
        try:
            path, manifest = create_backup(Path(output) if output else None)
        except BackupError as error:
            raise CommandError(str(error)) from None
        content = manifest["content"]
        self.stdout.write(
            f"백업했습니다: {path}\n"
            f"  데이터베이스 {manifest['engine']}, 기사 {content['articles']}건, "
            f"수정본 {content['revisions']}개, 사진 {content['images']}장, "
            f"미디어 파일 {len(manifest['media'])}개, 조회수 합계 {content.get('views_total', 0)}"
        )
        if manifest["media_missing"]:
            self.stderr.write(
                f"경고: 데이터베이스가 가리키지만 디스크에 없는 미디어 파일 "
                f"{len(manifest['media_missing'])}개: {manifest['media_missing'][:5]}"
            )
