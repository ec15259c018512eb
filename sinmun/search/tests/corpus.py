"""A small Korean news corpus and the queries it must answer (written for these tests).

Each article is fictional; each query names the articles it must find and the ones it
must not. The set covers particles, compounds spelled with and without spaces,
two-syllable words, numbers, Latin acronyms, hanja, reporters' names, tags, verb
stems, and articles readers may not see (a draft and an embargoed piece).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CorpusArticle:
    id: int
    section: str
    reporter: str
    title: str
    paragraphs: tuple[str, ...]
    subtitle: str = ""
    tags: tuple[str, ...] = ()
    live: bool = True
    embargo: bool = False  # live, but registered in the future


SECTIONS = {"society": "사회", "politics": "정치", "economy": "경제", "culture": "문화"}
REPORTERS = ("박서윤", "최도현", "한지우", "이하늘")

ARTICLES = (
    CorpusArticle(
        101,
        "society",
        "박서윤",
        "성동구, 홀몸 어르신 돌봄 서비스 확대",
        (
            "성동구는 혼자 사는 어르신을 위한 방문 돌봄 서비스를 내년부터 모든 동으로 "
            "넓힌다고 밝혔다.",
            "구는 간호사와 사회복지사가 한 조를 이뤄 일주일에 두 번 가정을 찾아가도록 했다. "
            "주민센터에 신청하면 누구나 상담을 받을 수 있다.",
        ),
        subtitle="방문 간호사 20명 새로 배치",
        tags=("복지", "어르신"),
    ),
    CorpusArticle(
        102,
        "economy",
        "최도현",
        "사회적기업 인증 받은 마을 빵집, 청년 일자리 늘려",
        (
            "한 마을 빵집이 올해 사회적기업 인증을 받으면서 지역 청년 다섯 명을 새로 채용했다.",
            "대표는 이익의 절반을 장애인 고용에 다시 쓰겠다고 약속했다.",
        ),
        tags=("일자리",),
    ),
    CorpusArticle(
        103,
        "economy",
        "한지우",
        "사회적 기업 박람회 다음 달 시민광장서 열려",
        (
            "시는 사회적 기업 마흔여 곳이 참여하는 박람회를 다음 달 시민광장에서 연다.",
            "친환경 생활용품과 수공예품을 직접 사고파는 장터도 함께 마련된다.",
        ),
    ),
    CorpusArticle(
        104,
        "politics",
        "이하늘",
        "여당 시장 후보 경선, 세 명으로 압축",
        (
            "여당이 시장 후보를 뽑는 경선에서 예비 후보 세 명이 본선에 올랐다.",
            "당원 투표와 여론조사를 절반씩 반영하는 방식으로 다음 주 최종 후보가 정해진다.",
            "지난 선거에서 경선을 치렀던 후보도 다시 이름을 올렸다.",
        ),
        tags=("지방선거",),
    ),
    CorpusArticle(
        105,
        "society",
        "박서윤",
        "코로나19 예방접종 센터 운영 연장",
        (
            "보건소는 코로나19 예방접종 센터를 석 달 더 운영하기로 했다.",
            "고령층의 추가 접종 예약이 꾸준히 이어지고 있기 때문이다.",
        ),
        tags=("보건",),
    ),
    CorpusArticle(
        106,
        "economy",
        "최도현",
        "SIB로 청소년 진로 교육 지원한다",
        (
            "시가 민간 투자자의 돈으로 사업을 먼저 하고 성과가 나면 예산으로 갚는 SIB "
            "방식을 처음 도입한다.",
            "첫 사업은 학교 밖 청소년의 진로 교육이다.",
        ),
        subtitle="사회성과연계채권 첫 도입",
    ),
    CorpusArticle(
        107,
        "politics",
        "이하늘",
        "2020년 이후 구의회 예산 심의 기록 공개",
        (
            "구의회는 2020년부터 지금까지의 예산 심의 회의록을 누리집에 모두 올렸다.",
            "주민 누구나 의원별 발언을 찾아볼 수 있다.",
        ),
    ),
    CorpusArticle(
        108,
        "culture",
        "한지우",
        "구립 공공도서관 신축 공사 시작",
        (
            "낡은 구립 도서관을 허물고 새로 짓는 공사가 이번 주 시작됐다.",
            "새 도서관에는 어린이 열람실과 북카페가 들어선다.",
        ),
        tags=("도서관",),
    ),
    CorpusArticle(
        109,
        "society",
        "박서윤",
        "장마철 앞두고 하천 정비 서둘러",
        (
            "구는 여름 홍수 피해를 줄이려고 하천 바닥의 흙을 걷어내고 제방을 보강하는 "
            "공사를 서두르고 있다.",
            "작년에는 집중호우로 산책로 일부가 물에 잠겼다.",
        ),
    ),
    CorpusArticle(
        110,
        "economy",
        "최도현",
        "전통시장 주차장 확충에 주말 손님 늘어",
        (
            "상인회는 공영 주차장이 생긴 뒤 주말 손님이 눈에 띄게 많아졌다고 말했다.",
            "상인들은 온누리상품권 할인 행사도 이어 가기로 했다.",
        ),
    ),
    CorpusArticle(
        111,
        "society",
        "한지우",
        "미세먼지 주의보 발령…야외 활동 자제",
        (
            "오늘 오후 미세먼지 농도가 크게 올라 주의보가 내려졌다.",
            "어린이와 노약자는 바깥 활동을 줄이고 외출할 때 마스크를 써야 한다.",
        ),
    ),
    CorpusArticle(
        112,
        "culture",
        "이하늘",
        "강변 불꽃축제, 올해는 드론 공연 더해",
        (
            "해마다 가을에 열리는 강변 불꽃축제에 올해는 드론 오백 대가 밤하늘을 수놓는 "
            "공연이 더해진다.",
        ),
    ),
    CorpusArticle(
        113,
        "politics",
        "박서윤",
        '구청장 "아이 돌봄 공백 없게 하겠다"',
        (
            "성동구청장은 간담회에서 맞벌이 가정의 아이 돌봄 공백을 줄이겠다고 강조했다.",
            "방과 후 돌봄 교실을 두 배로 늘리는 계획도 내놓았다.",
        ),
    ),
    CorpusArticle(
        114,
        "economy",
        "한지우",
        "AI 상담원 도입한 구청 민원실",
        (
            "구청 민원실이 인공지능 상담원을 시범 도입했다.",
            "AI가 자주 묻는 질문에 먼저 답하고 복잡한 민원은 직원에게 넘긴다.",
        ),
    ),
    CorpusArticle(
        115,
        "politics",
        "최도현",
        "韓中 자매도시 교류 협약 체결",
        ("시는 중국의 한 자매도시와 청소년 교류와 관광 홍보를 함께하는 협약을 맺었다.",),
    ),
    CorpusArticle(
        116,
        "society",
        "이하늘",
        "학교 급식에 지역 농산물 쓴다",
        (
            "교육청은 내년부터 관내 모든 초등학교 급식에 지역에서 기른 친환경 쌀과 채소를 "
            "쓰기로 했다.",
        ),
    ),
    CorpusArticle(
        117,
        "society",
        "박서윤",
        "시내버스 노선 개편안 발표",
        (
            "시는 출퇴근 시간 배차 간격을 줄이는 시내버스 노선 개편안을 내놓았다.",
            "새 노선은 석 달 뒤부터 달린다.",
        ),
    ),
    CorpusArticle(
        118,
        "economy",
        "최도현",
        "기업의 사회적 책임 보고서 내는 곳 늘어",
        (
            "지역 기업들이 환경과 노동에 관한 사회적 책임 보고서를 잇따라 내놓고 있다.",
            "전문가들은 숫자보다 실제 변화가 중요하다고 지적했다.",
        ),
    ),
    CorpusArticle(
        119,
        "culture",
        "한지우",
        "청년 창업 지원센터 문 열어",
        (
            "청년 창업가에게 사무 공간과 상담을 제공하는 지원센터가 역 앞에 문을 열었다.",
            "입주 기업은 최대 이 년 동안 임대료를 내지 않는다.",
        ),
    ),
    CorpusArticle(
        120,
        "society",
        "이하늘",
        "해오름다리 개통 연기",
        ("해오름다리 개통이 안전 점검 때문에 한 달 늦춰진다.",),
        live=False,
    ),
    CorpusArticle(
        121,
        "culture",
        "한지우",
        "달빛공원 조성 계획 발표",
        ("시는 옛 공장 터에 달빛공원을 만드는 계획을 곧 발표한다.",),
        embargo=True,
    ),
    CorpusArticle(
        122,
        "society",
        "이하늘",
        "해운대구, 여름 해변 안전요원 늘린다",
        (
            "해운대구는 올여름 해수욕장 안전요원을 작년보다 서른 명 늘리기로 했다.",
            "야간 수영을 막는 순찰도 밤 열 시까지 이어진다.",
        ),
    ),
    CorpusArticle(
        123,
        "culture",
        "한지우",
        "양양군청 앞마당에서 서핑 영화제",
        (
            "강원도 양양군청 앞마당에서 다음 달 서핑 영화제가 열린다.",
            "수원시민 모임도 단체 관람을 신청했다.",
        ),
    ),
)

ARTICLE_IDS = frozenset(a.id for a in ARTICLES)


@dataclass(frozen=True)
class QueryCase:
    query: str
    find: set[int]
    not_find: set[int] = field(default_factory=set)
    note: str = ""


BY_PARK = {101, 105, 109, 113, 117}
BY_CHOI = {102, 106, 110, 115, 118}

QUERIES = (
    # Particles and endings do not matter.
    QueryCase("성동구", {101, 113}, {102, 104, 109}, "proper noun, also in 성동구청장"),
    # Place names without their administrative unit, and inside an office's name.
    QueryCase("성동", {101, 113}, {102, 122}, "district name without 구"),
    QueryCase("해운대", {122}, {101, 113}, "해운대구 found by 해운대"),
    QueryCase("해운대구에서", {122}, {101}, "district with a particle"),
    QueryCase("양양군", {123}, {122}, "county inside 양양군청"),
    QueryCase("양양", {123}, {122}, "county name without 군"),
    QueryCase("강원", {123}, {122}, "province name without 도"),
    QueryCase("수원시", {123}, {101}, "city inside 수원시민"),
    QueryCase("성동구는", {101}, {102, 104}, "topic particle"),
    QueryCase("성동구의", {101}, {102}, "genitive particle"),
    QueryCase("경선", {104}, {107, 103}, "two-syllable word"),
    QueryCase("경선에서", {104}, {107}, "locative particle"),
    QueryCase("돌봄", {101, 113}, {116, 117}, "two-syllable word"),
    QueryCase("돌봄을", {101, 113}, {116}, "object particle"),
    QueryCase("도서관을", {108}, {107}, "object particle"),
    QueryCase("노선을", {117}, {116}, "object particle"),
    QueryCase("하천", {109}, {111}, "two-syllable word"),
    QueryCase("급식", {116}, {101}, "two-syllable word"),
    QueryCase("드론", {112}, {114}, "loanword"),
    QueryCase("창업", {119}, {102}, "two-syllable word"),
    # Compounds: as a whole and by parts, with or without a space.
    QueryCase("사회적기업", {102, 103}, {101, 106, 116}, "compound, closed"),
    QueryCase("사회적 기업", {102, 103}, {101, 106}, "compound, open"),
    QueryCase("전통시장", {110}, {104}, "compound, closed"),
    QueryCase("전통 시장", {110}, {104}, "compound, open"),
    QueryCase("공공도서관", {108}, {107}, "compound, closed"),
    QueryCase("공공 도서관", {108}, {107}, "compound, open"),
    QueryCase("불꽃축제", {112}, {103}, "compound, closed"),
    QueryCase("불꽃 축제", {112}, {103}, "compound, open"),
    QueryCase("미세 먼지", {111}, {109}, "compound, open"),
    QueryCase("시내버스", {117}, {116}, "compound"),
    QueryCase("버스 노선", {117}, {116}, "two nouns"),
    QueryCase("사회성과연계채권", {106}, {102, 103}, "long compound in a subtitle"),
    QueryCase("지원센터", {119}, {101}, "compound inside a longer one"),
    QueryCase("구청장", {113}, {101, 114}, "compound noun"),
    # Numbers, Latin and hanja are kept.
    QueryCase("2020", {107}, {105, 101}, "year"),
    QueryCase("2020년", {107}, {105}, "year with a counter"),
    QueryCase("코로나19", {105}, {107, 111}, "name with a number"),
    QueryCase("코로나", {105}, {111}, "name without its number"),
    QueryCase("SIB", {106}, {102, 114}, "acronym"),
    QueryCase("sib", {106}, {102}, "acronym, lower case"),
    QueryCase("ＳＩＢ", {106}, {102}, "acronym, full-width letters"),
    QueryCase("AI", {114}, {106, 119}, "acronym"),
    QueryCase("韓中", {115}, {114}, "hanja"),
    # Reporters' names and tags.
    QueryCase("박서윤", BY_PARK, BY_CHOI, "reporter name"),
    QueryCase("최도현 기자", BY_CHOI, BY_PARK, "reporter name with 기자"),
    QueryCase("지방선거", {104}, {107}, "tag"),
    QueryCase("복지", {101}, {102}, "tag"),
    # Verb stems.
    QueryCase("치렀다", {104}, {105}, "irregular verb, other ending"),
    QueryCase("늘렸다", {113}, {110}, "verb stem: 늘리다 (113 늘리는), not 늘다"),
    # Several words: all must be there.
    QueryCase("청년 창업", {119}, {102}, "two words, both required"),
    QueryCase("홍수 피해", {109}, {111}, "two words"),
    QueryCase("지역 농산물", {116}, {118}, "two words"),
    QueryCase("온누리상품권", {110}, {117}, "compound"),
    QueryCase("박람회가", {103}, {102}, "subject particle"),
    # Articles readers may not see are never found.
    QueryCase("해오름다리", set(), {120}, "draft"),
    QueryCase("달빛공원", set(), {121}, "embargoed until later"),
)
