"""Generate a synthetic Korean news archive straight into the database (bulk inserts).

Sentences are built from word lists written for this benchmark: places, subjects,
actions and numbers combined into news-like sentences of realistic length (an article
body of 15-40 sentences, about 1,000 characters on average). Deterministic for a given seed.

    SINMUN_DATA_DIR=/tmp/sinmun-bench-search DJANGO_SETTINGS_MODULE=sinmun.settings.base \\
        .venv/bin/python bench/search/generate.py --articles 100000
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import timedelta

PLACES = [
    "성동구",
    "새여울시",
    "물빛구",
    "강변동",
    "은행동",
    "푸른마을",
    "시청",
    "구청",
    "주민센터",
    "보건소",
    "시의회",
    "구의회",
    "교육청",
    "소방서",
    "경찰서",
    "전통시장",
    "역 광장",
    "시민공원",
    "청소년수련관",
    "공공도서관",
    "문화회관",
    "체육센터",
    "복지관",
    "산업단지",
    "버스터미널",
]
SUBJECTS = [
    "어르신 돌봄",
    "사회적기업",
    "청년 창업",
    "코로나19 방역",
    "미세먼지 대책",
    "하천 정비",
    "시내버스 노선",
    "학교 급식",
    "공공 주택",
    "재개발 사업",
    "도시가스 요금",
    "지역 축제",
    "전기차 충전소",
    "자전거 도로",
    "아동 돌봄 교실",
    "주민 참여 예산",
    "경선 일정",
    "예산 심의",
    "일자리 사업",
    "관광 홍보",
    "SIB 사업",
    "AI 상담 서비스",
    "안전 점검",
    "주차장 확충",
    "노인 일자리",
    "장애인 이동권",
    "다문화 가정 지원",
    "공영 주차장",
    "방범 카메라",
    "쓰레기 감량",
    "폭염 대책",
    "한파 쉼터",
    "수돗물 검사",
    "도서관 신축",
    "체육 시설",
    "공원 조성",
    "생활 SOC",
]
ACTIONS = [
    "계획을 발표했다",
    "예산을 늘리기로 했다",
    "시범 운영에 들어갔다",
    "주민 설명회를 열었다",
    "협약을 맺었다",
    "대상을 넓힌다고 밝혔다",
    "개선 방안을 내놓았다",
    "현장 점검을 마쳤다",
    "공청회를 열 예정이다",
    "신청을 받는다",
    "결과를 공개했다",
    "추진 상황을 보고했다",
    "조례 개정안을 냈다",
    "전문가 자문을 받았다",
    "성과를 평가했다",
    "운영 시간을 연장했다",
]
OPENERS = [
    "{place}은(는) {subject} {action}.",
    "{place}이(가) 올해 {subject}에 {num}억 원을 들인다.",
    "{subject}을(를) 두고 {place}과(와) 주민들이 머리를 맞댔다.",
    '{place} 관계자는 "{subject}은(는) 주민 생활과 바로 닿아 있다"고 말했다.',
    "{num}명이 넘는 주민이 {subject} 설문에 참여했다.",
    "{year}년부터 이어진 {subject}은(는) 다음 달 {place}에서 마무리된다.",
    "{place}은(는) {subject} 담당 인력을 {num}명 늘렸다.",
    "이번 {subject}은(는) {place}의 {year}년 계획에 들어 있다.",
    "지난해 {subject} 관련 민원은 {num}건으로 집계됐다.",
    "{place}은(는) 이달 말까지 {subject} 의견을 받는다고 {action2}.",
]
TITLES = [
    "{place}, {subject} {short}",
    "{subject} {short}…{place} {num}억 투입",
    '"{subject} 서둘러야" {place} 목소리',
    "{place} {subject}, {year}년 이후 처음",
]
SHORTS = ["확대", "본격화", "첫발", "속도", "논란", "재검토", "마무리", "시동", "성과", "연기"]
FAMILY = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = [
    "서윤",
    "도현",
    "지우",
    "하늘",
    "민준",
    "서연",
    "예준",
    "하은",
    "시우",
    "지아",
    "주원",
    "수아",
]
SECTIONS = [
    ("S1N1", "정치·행정"),
    ("S1N2", "사회"),
    ("S1N3", "경제"),
    ("S1N4", "문화"),
    ("S1N5", "교육"),
    ("S1N6", "오피니언"),
    ("S1N7", "스포츠"),
    ("S1N8", "사람들"),
]


def sentence(rng: random.Random) -> str:
    return rng.choice(OPENERS).format(
        place=rng.choice(PLACES),
        subject=rng.choice(SUBJECTS),
        action=rng.choice(ACTIONS),
        action2="밝혔다",
        num=rng.randint(2, 950),
        year=rng.randint(2010, 2025),
    )


def article_text(rng: random.Random) -> tuple[str, str, list[str]]:
    place, subject = rng.choice(PLACES), rng.choice(SUBJECTS)
    title = rng.choice(TITLES).format(
        place=place,
        subject=subject,
        short=rng.choice(SHORTS),
        num=rng.randint(2, 900),
        year=rng.randint(2010, 2025),
    )
    paragraphs = []
    for _ in range(rng.randint(5, 8)):
        sentences = [sentence(rng) for _ in range(rng.randint(3, 5))]
        paragraphs.append(" ".join(sentences))
    subtitle = f"{place} {rng.choice(SUBJECTS)} {rng.choice(SHORTS)}" if rng.random() < 0.4 else ""
    return title, subtitle, paragraphs


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django.utils.html import escape

    from sinmun.articles.models import Article, Reporter, Section

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    sections = []
    for i, (code, name) in enumerate(SECTIONS):
        section, _ = Section.objects.get_or_create(code=code, defaults={"name": name, "order": i})
        sections.append(section)
    reporters = []
    for i in range(40):
        name = FAMILY[i % len(FAMILY)] + GIVEN[i % len(GIVEN)]
        reporter, _ = Reporter.objects.get_or_create(name=name, email=f"bench{i}@example.com")
        reporters.append(reporter)
    start_id = (Article.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    now = timezone.now()
    started, chars = time.monotonic(), 0
    for offset in range(0, args.articles, args.batch):
        batch = []
        for n in range(offset, min(offset + args.batch, args.articles)):
            title, subtitle, paragraphs = article_text(rng)
            html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            chars += sum(len(p) for p in paragraphs)
            when = now - timedelta(minutes=37 * (args.articles - n))
            batch.append(
                Article(
                    id=start_id + n,
                    title=title,
                    subtitle=subtitle,
                    section=rng.choice(sections),
                    reporter=rng.choice(reporters),
                    body=json.dumps([{"type": "paragraph", "value": html}], ensure_ascii=False),
                    rendered_body=html,
                    excerpt=paragraphs[0][:159],
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=when,
                    last_published_at=when,
                )
            )
        with transaction.atomic():
            Article.objects.bulk_create(batch)
        done = min(offset + args.batch, args.articles)
        print(f"{done} articles written", file=sys.stderr)
    elapsed = time.monotonic() - started
    print(
        json.dumps(
            {
                "articles": args.articles,
                "body_chars_avg": round(chars / max(args.articles, 1)),
                "seconds": round(elapsed, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
