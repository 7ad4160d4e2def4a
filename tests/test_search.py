"""The search library's parts: tokenising, compound words, and the index against BM25 itself."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from crampcli.answers import search, text
from crampcli.knowledge.model import Entry


def _entry(entry_id: str, title: str, body: str = "", aliases: tuple[str, ...] = ()) -> Entry:
    return Entry(entry_id, "cause", title, "A summary.", aliases=aliases, details=(body,))


ENTRIES = (
    _entry("warm-up", "Warm up before exercise", "Start slowly."),
    _entry("leg-cramp", "Leg cramp", "A calf cramp at night.", aliases=("charley horse",)),
    _entry("hamstring", "Hamstring strain", "The back of the thigh."),
)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_fast_ascii_words_match_the_general_rule(sample: str) -> None:
    assert text.words(sample) == text._WORD_RE.findall(text.fold(sample))


def test_words_run_together_are_split_into_known_words() -> None:
    index = search.build_index(ENTRIES)
    assert search.split_compounds(index, ["warmup"]) == ["warm", "up"]
    assert search.split_compounds(index, ["legcramps"]) == ["leg", "cramps"]


def test_known_words_and_unsplittable_words_stay_whole() -> None:
    index = search.build_index(ENTRIES)
    assert search.split_compounds(index, ["hamstring"]) == ["hamstring"]  # not ham + string
    assert search.split_compounds(index, ["zzzzzz"]) == ["zzzzzz"]
    assert search.split_compounds(index, ["legcramp", "leg"]) == ["leg", "cramp"]  # no repeats


def test_a_compound_query_finds_its_entry() -> None:
    from crampcli.knowledge.model import KnowledgeBase

    kb = KnowledgeBase("t", "1", "2026-01-01", "en", "-", (), ENTRIES)
    hits = search.search(search.build_index(ENTRIES), kb, "warmup").hits
    assert hits and hits[0].entry.id == "warm-up"


def test_index_holds_the_bm25_impact_of_every_term() -> None:
    """Recompute each posting the slow, obvious way and compare."""
    index = search.build_index(ENTRIES)
    weights = {"title": 3.0, "aliases": 3.0, "summary": 1.5, "body": 1.0}
    counts = []
    for entry in ENTRIES:
        fields = {
            "title": f"{entry.title} {entry.id.replace('-', ' ')}",
            "aliases": " ".join(entry.aliases),
            "summary": entry.summary,
            "body": " ".join(entry.body),
        }
        tf: dict[str, float] = {}
        for name, content in fields.items():
            for term in text.terms(content):
                tf[term] = tf.get(term, 0.0) + weights[name]
        counts.append(tf)
    avg = sum(sum(tf.values()) for tf in counts) / len(counts)
    assert sorted(index.postings) == sorted({t for tf in counts for t in tf})
    for term in index.postings:
        positions, impacts = index.postings_of(term)
        assert list(positions) == [p for p, tf in enumerate(counts) if term in tf]
        for pos, impact in zip(positions, impacts, strict=True):
            w = counts[pos][term]
            damping = search.K1 * (1 - search.B + search.B * sum(counts[pos].values()) / avg)
            assert math.isclose(impact, w * (search.K1 + 1) / (w + damping), rel_tol=1e-6)


def test_swapped_letters_cost_one_edit() -> None:
    index = search.build_index((_entry("magnesium", "Magnesium", "Supplements."), *ENTRIES))
    assert ("magnesium", 0.8, "typo:1") in search._candidates(index, "magnesuim")
    assert search._candidates(index, "hamsrting")[0][2] == "typo:1"  # stem "hamsrt"
