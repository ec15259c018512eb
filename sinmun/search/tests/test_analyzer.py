"""The analyser: what Korean text and queries become, and that Kiwi loads lazily."""

import os
import subprocess
import sys
from pathlib import Path

from sinmun.search.analyzer import (
    COMPOUND,
    UNIT,
    VARIANT,
    analyse,
    analyse_query,
    clean_term,
)
from sinmun.search.highlight import highlight, snippet

ROOT = Path(__file__).resolve().parents[3]


def roles(text):
    return {(t.text, t.role) for t in analyse(text)}


def test_particles_and_endings_are_dropped():
    assert analyse_query("성동구는").clauses[0].units == ("성동구",)
    assert analyse_query("경선에서").clauses[0].units == ("경선",)
    assert {t.text for t in analyse("주민들이 늘렸다")} >= {"주민", "늘리"}
    assert not {"는", "에서", "이", "다"} & {t.text for t in analyse("성동구는 경선에서 이겼다")}


def test_compounds_are_indexed_whole_and_by_parts_with_or_without_space():
    closed, open_ = roles("사회적기업을 돕는다"), roles("사회적 기업을 돕는다")
    for terms in (closed, open_):
        assert ("사회적", UNIT) in terms and ("기업", UNIT) in terms
        assert ("사회", VARIANT) in terms
        assert ("사회적기업", COMPOUND) in terms
    assert analyse_query("사회적기업").clauses[0].units == ("사회적", "기업")
    # A dictionary compound Kiwi keeps whole is still found by its parts.
    assert {("시내버스", UNIT), ("버스", VARIANT)} <= roles("시내버스 노선")


def test_two_syllable_words_numbers_latin_hanja_are_kept():
    terms = {t.text for t in analyse("코로나19 이후 SIB 도입, 2020년 韓中 경선 돌봄")}
    assert {"코로나", "19", "코로나19", "sib", "2020", "韓中", "경선", "돌봄"} <= terms


def test_nominalised_verb_meets_the_noun():
    # Kiwi reads '돌봄' as 돌보+ㅁ in some sentences; the written noun is the unit.
    assert ("돌봄", UNIT) in roles("성동구청장은 돌봄을 강조했다")


def test_search_syntax_never_survives_analysis():
    for query in ['"돌봄" OR *', "NEAR(a b)", "title:x", "^-()", "a' OR '1'='1"]:
        for clause in analyse_query(query).clauses:
            for term in clause.terms:
                assert term == clean_term(term) and term.isalnum(), term


def test_reporter_words_in_a_query_are_dropped_when_others_remain():
    assert [c.units for c in analyse_query("최도현 기자").clauses] == [("최도현",)]
    assert [c.units for c in analyse_query("기자").clauses] == [("기자",)]


def test_highlight_escapes_everything_then_marks():
    html = highlight('<b>돌봄</b> & "돌봄"', ("돌봄",))
    assert html == "&lt;b&gt;<mark>돌봄</mark>&lt;/b&gt; &amp; &quot;<mark>돌봄</mark>&quot;"
    assert highlight("2019년과 19일", ("19",)) == "2019년과 <mark>19</mark>일"
    assert highlight("SIB와 sib", ("sib",)) == "<mark>SIB</mark>와 <mark>sib</mark>"


def test_snippet_centres_on_the_matches():
    text = "가나다 " * 60 + "여기서 돌봄 사업과 돌봄 교실을 말한다. " + "라마바 " * 60
    html = snippet(text, ("돌봄",))
    assert html.startswith("…") and html.endswith("…")
    assert html.count("<mark>돌봄</mark>") == 2
    assert len(html) < 260


def test_django_setup_does_not_load_kiwi():
    code = (
        "import sys, django; django.setup();"
        "from django.urls import reverse; reverse('search:search');"
        "import sinmun.search.analyzer as a;"
        "assert a._kiwi is None, 'Kiwi loaded';"
        "assert 'kiwipiepy' not in sys.modules, 'kiwipiepy imported'"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sinmun.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
