"""Korean analysis for search: text and queries reduced to the same morpheme terms.

Kiwi (kiwipiepy) splits text into morphemes. We keep what carries meaning — nouns,
verb and adjective stems, numbers, Latin words (lowercased) and hanja — and drop
particles, endings and punctuation, so '성동구는' and '성동구' give the same term.

Every term has a role:

- ``unit``: one meaningful piece (``사회적``, ``기업``, ``돌봄``, ``2020``, ``sib``).
  A query requires all of its units.
- ``variant``: another form of a unit, indexed so that shorter queries find it
  (``사회`` for ``사회적``, ``개발`` for ``재개발``, the stem ``돌보`` for ``돌봄``).
- ``compound``: adjacent units joined (``사회적기업``, ``코로나19``). Kiwi splits
  '사회적기업' and '사회적 기업' into the same units, and we join them whether or not
  a space stood between, so both spellings index the same compound. A query's
  compounds only raise the rank of articles that contain them.

The Kiwi model takes about two seconds and ~100 MB to load, so it is loaded lazily,
once per process, on the first analysis — never when Django settings or apps load.
"""

from __future__ import annotations

import gc
import os
import threading
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache

UNIT = "unit"
VARIANT = "variant"
COMPOUND = "compound"
SURFACE = "surface"

NOUN_TAGS = frozenset({"NNG", "NNP", "SN", "SL", "SH", "XR"})
# Tags that may make up the noun part of a written word, determiners included
# (Kiwi reads 온누리상품권 as 온 + 누리 + 상품권 in some sentences).
NOUNISH_TAGS = NOUN_TAGS | {"XSN", "XPN", "MM", "NNB", "NR"}
LEADING_PUNCTUATION = frozenset({"SS", "SSO", "SSC", "SW", "SO", "SP"})
# Suffixes that stay separate terms only: plural and honorific markers.
DETACHED_SUFFIXES = frozenset({"들", "님", "씨", "께", "쯤", "짜리", "여", "꼴"})
# Stems too common to mean anything on their own.
STOP_STEMS = frozenset({"하", "되", "있", "없", "않", "같", "이", "아니", "그렇", "이렇"})
# Compounds longer than this many units are not joined as a whole (pairs still are).
MAX_COMPOUND_UNITS = 4
QUERY_NOISE = frozenset({"기자", "기사", "뉴스", "소식"})
MAX_TERM_LENGTH = 40
# Nouns this long are checked for parts Kiwi's dictionary keeps whole (see noun_parts).
MIN_DECOMPOUND_LENGTH = 4
DECOMPOUND_MARGIN = 6.0

# Administrative units written after a place name (성동구, 수원시, 평창군, 역삼동, 가평읍, 제주도).
PLACE_UNITS = frozenset("시군구동읍면리도")
# On common nouns (NNG) only these: 만족도, 신도시 and the like are not places.
PLACE_UNITS_COMMON = frozenset("구군읍면동")
# Offices and people named by a unit: Kiwi splits 성동구청 into 성동 + 구청.
PLACE_FOLLOWERS = frozenset(
    {
        "구청", "구청장", "구의회", "구민",
        "시청", "시장", "시의회", "시민",
        "군청", "군수", "군의회", "군민",
        "도청", "도지사", "도의회", "도민",
        "동장", "읍장", "면장",
    }
)  # fmt: skip
PLACE_OFFICES = ("청장", "청")

# Full-width ASCII (ＳＩＢ, ２０２０) folded to ASCII without changing string length,
# so offsets into the original text stay valid for highlighting.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}

_kiwi = None
_kiwi_lock = threading.Lock()
_kiwi_threads = 0  # Kiwi's worker threads (0: single-threaded, no batch API)
_kiwi_pid = 0  # the process that created it; its threads do not survive a fork
WARM_UP_TEXT = "성동구청은 올해 어르신 돌봄 예산을 1,200만 원 늘렸다. SIB 사업도 시작한다."


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    role: str
    chunk: int = -1  # which whitespace-separated word of the text it came from


def _new_kiwi(workers: int):
    from kiwipiepy import Kiwi

    global _kiwi_threads, _kiwi_pid
    with warnings.catch_warnings():
        # kiwipiepy warns that num_workers=0 meant "all cores" before 0.21; we mean
        # its current sense: a single thread and no thread pool.
        warnings.simplefilter("ignore", DeprecationWarning)
        kiwi = Kiwi(num_workers=workers)
    _kiwi_threads, _kiwi_pid = workers, os.getpid()
    return kiwi


def get_kiwi():
    """Return this process's Kiwi, loading it on first use (with a thread pool)."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                workers = int(os.environ.get("SINMUN_KIWI_WORKERS", "0")) or min(
                    os.cpu_count() or 1, 4
                )
                _kiwi = _new_kiwi(workers)
    return _kiwi


def preload_shared_kiwi() -> None:
    """Load Kiwi in a server's master process, before it forks its workers.

    Kiwi is made single-threaded (``num_workers=0``: no thread pool, which would not
    survive ``fork``) and warmed with one analysis, which allocates the rest of its
    model (~500 MB in all). Every worker forked afterwards uses this instance; the
    model's pages stay shared copy-on-write, so a worker's own memory does not grow by
    the model's size when it serves its first search. Single-text analysis, all a
    search needs, is as fast as with threads; imports run in their own process with a
    threaded Kiwi for batches.
    """
    global _kiwi
    with _kiwi_lock:
        if _kiwi is not None and _kiwi_threads == 0:
            return
        _kiwi = None  # a threaded one from before (the demo import of `sinmun serve`)
        gc.collect()
        _kiwi = _new_kiwi(0)
    analyse(WARM_UP_TEXT)
    noun_parts("시내버스노선")
    gc.collect()
    gc.freeze()  # what exists now stays in the shared pages (no refcount-free writes)


_single_lock = threading.Lock()


def _single_thread_guard():
    """A lock around Kiwi calls when Kiwi has no thread pool of its own (a preloaded
    server's Kiwi, used by gthread workers' request threads); nothing otherwise."""
    return _single_lock if _kiwi_threads == 0 else nullcontext()


def _can_batch() -> bool:
    return _kiwi_threads > 0 and _kiwi_pid == os.getpid()


def normalize_text(text: str) -> str:
    """Fold full-width ASCII and replace control characters, keeping the length."""
    text = (text or "").translate(_FULLWIDTH)
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch for ch in text
    )


def clean_term(form: str) -> str:
    """Keep letters and digits only, lowercased; a term never holds search syntax."""
    kept = "".join(ch for ch in form.lower() if ch.isalnum())
    if not kept or all(_is_jamo(ch) for ch in kept):
        return ""
    return kept[:MAX_TERM_LENGTH]


def _is_jamo(ch: str) -> bool:
    code = ord(ch)
    return 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F


def _end(token) -> int:
    return token.start + token.len


@lru_cache(maxsize=65536)
def noun_parts(noun: str) -> tuple[str, ...]:
    """Return the parts of a noun Kiwi keeps whole ('시내버스' -> 시내, 버스), or ().

    Kiwi's dictionary holds many compounds as one word, so '버스' would not find
    '시내버스'. Its next-best analyses of the noun alone show a split; we take one made
    only of nouns of two or more syllables, close in score to the best.
    """
    if not all("\uac00" <= ch <= "\ud7a3" for ch in noun):
        return ()
    kiwi = get_kiwi()
    with _single_thread_guard():
        candidates = kiwi.analyze(noun, top_n=3)
    if not candidates:
        return ()
    best = candidates[0][1]
    for tokens, score in candidates:
        if len(tokens) < 2 or best - score > DECOMPOUND_MARGIN:
            continue
        if all(t.tag in ("NNG", "NNP") and len(t.form) >= 2 for t in tokens):
            return tuple(t.form for t in tokens)
    return ()


def _hangul(word: str) -> bool:
    return all("\uac00" <= ch <= "\ud7a3" for ch in word)


@lru_cache(maxsize=65536)
def place_stems(noun: str, proper: bool = True) -> tuple[str, ...]:
    """Shorter names under which a place noun is also found.

    '성동구' -> 성동; '부산시청' -> 부산시, 부산; '경기도청' -> 경기도, 경기. The stem
    keeps at least two syllables, so 중구 and 동구 stay whole.
    """
    if not _hangul(noun):
        return ()
    found = []
    base = noun
    for office in PLACE_OFFICES:
        if (
            base.endswith(office)
            and len(base) - len(office) >= 3
            and base[-len(office) - 1] in PLACE_UNITS
        ):
            base = base[: -len(office)]
            found.append(base)
            break
    units = PLACE_UNITS if proper or found else PLACE_UNITS_COMMON
    if len(base) >= 3 and base[-1] in units:
        found.append(base[:-1])
    return tuple(found)


def _chunk_starts(text: str) -> list[int]:
    """Return, for each character, the number of the whitespace-separated word it is in."""
    numbers, current, in_space = [], -1, True
    for ch in text:
        if ch.isspace():
            in_space = True
        elif in_space:
            current += 1
            in_space = False
        numbers.append(max(current, 0))
    return numbers


def terms_from_tokens(tokens: Sequence, text: str) -> list[Term]:
    """Turn Kiwi tokens of ``text`` into search terms, in text order."""
    terms: list[Term] = []
    run: list[str] = []
    prefix: str | None = None
    prefix_end = -1
    last_unit_end = -1
    chunk_of = _chunk_starts(text)
    chunk = -1
    # The noun part of the current word as written ('온누리상품권' in '온누리상품권을').
    lead = {"start": -1, "end": -1, "open": False, "noun": False}

    chunk_units: set[str] = set()

    def emit(value: str, role: str):
        terms.append(Term(value, role, chunk))
        if role == UNIT:
            chunk_units.add(value)

    def close_word():
        if lead["noun"]:
            surface = clean_term(text[lead["start"] : lead["end"]])
            if len(surface) >= 2 and surface not in chunk_units:
                emit(surface, SURFACE)

    def flush():
        if len(run) >= 2:
            for left, right in zip(run, run[1:], strict=False):
                emit(left + right, COMPOUND)
            if 2 < len(run) <= MAX_COMPOUND_UNITS:
                emit("".join(run), COMPOUND)
        run.clear()

    def add_unit(form: str, start: int, end: int):
        nonlocal prefix, last_unit_end
        if prefix is not None and prefix_end == start:
            emit(form, VARIANT)
            form = prefix + form
        prefix = None
        emit(form, UNIT)
        run.append(form)
        last_unit_end = end

    skip_next_etn = False
    for i, token in enumerate(tokens):
        tag = token.tag
        form = token.form
        token_chunk = chunk_of[token.start] if token.start < len(chunk_of) else chunk
        if token_chunk != chunk:
            close_word()
            chunk = token_chunk
            chunk_units.clear()
            lead.update(start=-1, end=-1, open=True, noun=False)
        if lead["open"]:
            if tag in NOUNISH_TAGS:
                if lead["start"] < 0:
                    lead["start"] = token.start
                lead["end"] = _end(token)
                lead["noun"] = lead["noun"] or tag in NOUN_TAGS
            elif not (lead["start"] < 0 and tag in LEADING_PUNCTUATION):
                lead["open"] = False
        if tag in NOUN_TAGS:
            cleaned = clean_term(form)
            if cleaned:
                place = (
                    run[-1] + cleaned[0]
                    if cleaned in PLACE_FOLLOWERS
                    and run
                    and last_unit_end == token.start
                    and len(run[-1]) >= 2
                    and _hangul(run[-1])
                    else None
                )
                add_unit(cleaned, token.start, _end(token))
                if place:  # 성동 + 구청: 성동구 is named too
                    emit(place, VARIANT)
                if tag in ("NNG", "NNP"):
                    for stem in place_stems(cleaned, tag == "NNP"):
                        emit(stem, VARIANT)
                    if len(cleaned) >= MIN_DECOMPOUND_LENGTH:
                        for part in noun_parts(cleaned):
                            emit(part, VARIANT)
            else:
                flush()
        elif tag == "XSN":
            if run and last_unit_end == token.start and form not in DETACHED_SUFFIXES:
                base = run[-1]
                joined = clean_term(base + form)
                # The bare noun stays findable as a variant of the longer unit.
                for k in range(len(terms) - 1, -1, -1):
                    if terms[k].role == UNIT and terms[k].text == base:
                        terms[k] = Term(base, VARIANT, terms[k].chunk)
                        break
                emit(joined, UNIT)
                run[-1] = joined
                last_unit_end = _end(token)
        elif tag == "XPN":
            prefix, prefix_end = clean_term(form) or None, _end(token)
        elif tag.startswith(("VV", "VA")):
            stem = clean_term(form)
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            nominal = nxt is not None and (
                nxt.tag == "ETN" or (nxt.tag == "EF" and nxt.form in ("ᆷ", "음"))
            )
            if nominal and nxt.start <= _end(token) + 1:
                # '돌봄' analysed as 돌보 + ㅁ: the noun as written is the unit.
                noun = clean_term(text[token.start : _end(nxt)])
                if noun and stem not in STOP_STEMS:
                    if stem and stem != noun:
                        emit(stem, VARIANT)
                    add_unit(noun, token.start, _end(nxt))
                    skip_next_etn = True
                    continue
            flush()
            if stem and stem not in STOP_STEMS:
                emit(stem, UNIT)
        elif skip_next_etn:  # the ending of a nominalised stem, already taken
            skip_next_etn = False
            continue
        elif tag in ("W_HASHTAG", "W_SERIAL"):
            flush()
            for part in "".join(ch if ch.isalnum() else " " for ch in form).split():
                cleaned = clean_term(part)
                if cleaned:
                    emit(cleaned, UNIT)
        else:
            flush()
        if tag != "XPN":
            prefix = None
        skip_next_etn = False
    flush()
    close_word()
    return terms


def analyse(text: str) -> list[Term]:
    text = normalize_text(text)
    if not text.strip():
        return []
    kiwi = get_kiwi()
    with _single_thread_guard():
        tokens = kiwi.tokenize(text)
    return terms_from_tokens(tokens, text)


def analyse_many(texts: Iterable[str]) -> list[list[Term]]:
    """Analyse many texts at once; Kiwi spreads the work over its worker threads."""
    normalized = [normalize_text(t) for t in texts]
    results: list[list[Term]] = [[] for _ in normalized]
    todo = [i for i, t in enumerate(normalized) if t.strip()]
    if todo:
        kiwi = get_kiwi()
        texts = [normalized[i] for i in todo]
        if _can_batch():
            tokenized = kiwi.tokenize(texts)
        else:  # single-threaded (a server worker) or inherited over a fork
            tokenized = []
            for text in texts:
                with _single_thread_guard():
                    tokenized.append(kiwi.tokenize(text))
        for i, tokens in zip(todo, tokenized, strict=True):
            results[i] = terms_from_tokens(tokens, normalized[i])
    return results


def index_terms(terms: Iterable[Term]) -> list[str]:
    """Every term of a field, in text order, for the index."""
    return [t.text for t in terms]


@dataclass(frozen=True)
class Clause:
    """One written word of a query: all its units, or else the word as written."""

    units: tuple[str, ...]
    surface: str | None = None

    @property
    def terms(self) -> tuple[str, ...]:
        return self.units + ((self.surface,) if self.surface else ())


@dataclass(frozen=True)
class AnalysedQuery:
    text: str
    clauses: tuple[Clause, ...]
    optional: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.clauses

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        seen = dict.fromkeys(t for c in self.clauses for t in c.terms)
        seen.update(dict.fromkeys(self.optional))
        return tuple(seen)

    def limited(self, max_clauses: int) -> AnalysedQuery:
        return AnalysedQuery(self.text, self.clauses[:max_clauses], ())


def analyse_query(text: str) -> AnalysedQuery:
    """Reduce a reader's query to clauses (all required) and optional rank-raising terms.

    Each written word is one clause: its units all present, or the word's noun part
    as written present as one term (the index holds both), so an analysis that differs
    between the query and an article still meets on the written form.
    """
    units: dict[int, dict[str, None]] = {}
    surfaces: dict[int, str] = {}
    optional: dict[str, None] = {}
    for term in analyse(text):
        if term.role == UNIT:
            units.setdefault(term.chunk, {})[term.text] = None
        elif term.role == SURFACE:
            surfaces[term.chunk] = term.text
        else:
            optional[term.text] = None
    clauses = []
    for chunk, words in units.items():
        surface = surfaces.get(chunk)
        clauses.append(Clause(tuple(words), surface if surface not in words else None))
    if not clauses:
        # Nothing Kiwi calls a noun or stem (a rare name read as a verb, say '나들이'):
        # look the written words up as they are; reporters' whole names are indexed so.
        words = dict.fromkeys(w for w in map(clean_term, text.split()) if len(w) >= 2)
        clauses = [Clause((word,)) for word in words]
    # '최도현 기자', '돌봄 기사': words about the search itself, dropped when others remain.
    kept = [c for c in clauses if not set(c.units) <= QUERY_NOISE] or clauses
    in_clauses = {t for c in kept for t in c.terms}
    return AnalysedQuery(
        text=text,
        clauses=tuple(kept),
        optional=tuple(t for t in optional if t not in in_clauses),
    )
