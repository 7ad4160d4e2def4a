"""Search reads questions as people type them (issue 19): lay words, ages and people, what
kind of answer is wanted, remedies people ask about; and its safety rules hold over every
entry, not only examples."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from conftest import run
from crampcli.answers.index_cache import index_for
from crampcli.answers.query import understand
from crampcli.answers.search import Index, SearchResult, search
from crampcli.answers.text import stem, terms
from crampcli.knowledge import loading
from crampcli.knowledge.model import NO_VOCABULARY, KnowledgeBase, Vocabulary
from crampcli.knowledge.rows import to_rows, well_formed
from crampcli.knowledge.validate import validate


@pytest.fixture(scope="module")
def bundled() -> tuple[Index, KnowledgeBase]:
    kb = loading.load(loading.bundled_path())
    return index_for(kb), kb


def ask(bundled: tuple[Index, KnowledgeBase], query: str, limit: int = 10) -> SearchResult:
    index, kb = bundled
    return search(index, kb, query, limit=limit)


def ids(result: SearchResult) -> list[str]:
    return [h.entry.id for h in result.hits]


VOCAB: Vocabulary = (
    ("please",),  # ignore
    (  # terms: say, means, audience
        (("pee", "peeing"), "urine", None),
        (("charley horse",), "cramp", None),
        (("grandma",), "older", "older"),
        (("son",), "children", None),
    ),
    (  # ages: from, below, means, audience, words that say it
        (0, 13, "children", None, ()),
        (13, 20, "", None, ("teenage", "in my teens")),
        (60, None, "older", "older", ()),
    ),
    (  # intents: say, prefer
        (("right now", "what do i do"), ("relief",)),
        (("does * help",), ("remedy",)),
    ),
)


# --- reading a question ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "age"),
    [
        ("im 72", "older"),
        ("i'm 72 and cramping", "older"),
        ("i am 81", "older"),
        ("aged 65", "older"),
        ("my 6 year old", "children"),
        ("my 85 year old mum", "older"),
        ("4yo with sore legs", "children"),
        ("9 yrs old", "children"),
        ("night cramps in my 70s", "older"),
        ("mum is 92 and has cramps", "older"),
        ("she's 7", "children"),
    ],
)
def test_an_age_typed_as_a_number_reads_as_its_age_group(query: str, age: str) -> None:
    asked = understand(query, VOCAB)
    assert any(c.alternatives == ((age,),) for c in asked.concepts)
    assert not any(c.said.isdigit() for c in asked.concepts)  # the number itself is spent


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("teenage son cramps", {"cramps"}),
        ("my 40 year old son cramps", {"cramps"}),
        ("cramps in my teens", {"cramps"}),
        ("my son cramps", {"son", "cramps"}),
    ],
)
def test_an_age_said_in_words_or_numbers_outweighs_a_relation_word(
    query: str, kept: set[str]
) -> None:
    """A teenage son is not read as a child, nor a 40-year-old one; a son of no stated age is."""
    assert {c.said for c in understand(query, VOCAB).concepts} == kept


@pytest.mark.parametrize(
    "query",
    [
        "type 2 diabetes",
        "b 12",
        "30 minutes",
        "1000 year old",
        "the cramp is 10 minutes long",
        "it is 2 times a week",
    ],
)
def test_a_number_that_is_not_an_age_is_left_alone(query: str) -> None:
    asked = understand(query, VOCAB)
    ages = {(("children",),), (("older",),)}
    assert not any(c.alternatives in ages for c in asked.concepts)


def test_an_age_band_and_a_person_name_their_audience() -> None:
    assert understand("im 72", VOCAB).audiences == {"older"}
    assert understand("grandma gets cramps", VOCAB).audiences == {"older"}
    assert understand("my 6 year old", VOCAB).audiences == frozenset()  # no such audience


def test_a_lay_word_stands_for_the_term_and_keeps_its_own_spelling() -> None:
    [concept] = understand("peeing", VOCAB).concepts
    assert concept.alternatives == (("urine",), ("peeing",))
    [concept] = understand("charley horse", VOCAB).concepts
    assert concept.alternatives == (("cramp",), ("charley", "horse"))


def test_intent_words_are_spent_and_name_the_kind_wanted() -> None:
    asked = understand("cramp right now what do i do", VOCAB)
    assert asked.prefer == ("relief",)
    assert [c.said for c in asked.concepts] == ["cramp"]


def test_a_star_leaves_the_subject_to_be_searched() -> None:
    asked = understand("does pickle juice help", VOCAB)
    assert asked.prefer == ("remedy",)
    assert [c.said for c in asked.concepts] == ["pickle", "juice"]


def test_filler_words_are_ignored() -> None:
    assert [c.said for c in understand("please calcium", VOCAB).concepts] == ["calcium"]


# --- the bundled vocabulary ----------------------------------------------------------------


def test_every_lay_meaning_is_a_word_the_knowledge_base_uses(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    index, kb = bundled
    ignore, terms_, ages, intents = kb.vocabulary
    assert ignore and terms_ and ages and intents
    for means in [t[1] for t in terms_] + [a[2] for a in ages]:
        missing = [w for w in terms(means) if w not in index.postings]
        assert not missing, (means, missing)


def test_every_intent_asks_for_real_kinds_and_every_phrase_is_said_once(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    _, terms_, _, _ = bundled[1].vocabulary
    said = [p for say, _, _ in terms_ for p in say]
    assert len(said) == len(set(said))


# --- validating the vocabulary -------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: v["terms"].append({"say": ["pee"], "means": "urine"}), "is said already"),
        (lambda v: v["terms"].append({"say": ["Big Toe"], "means": "toe"}), "lower-case words"),
        (lambda v: v["terms"].append({"say": [], "means": "toe"}), "at least one phrase"),
        (lambda v: v["terms"].append({"say": ["x"], "means": "y", "audience": "kids"}), "audience"),
        (lambda v: v["ages"].append({"from": 50, "below": 40, "means": "x"}), "from < below"),
        (lambda v: v["ages"].append({"from": 20, "say": ["pee"]}), "is said already"),
        (lambda v: v["ages"].append({"from": 20, "say": ["In Twenties"]}), "lower-case words"),
        (lambda v: v["intents"].append({"say": ["now"], "prefer": ["gossip"]}), "unknown kind"),
        (lambda v: v["intents"].append({"say": ["now"], "prefer": []}), "at least one kind"),
        (lambda v: v["ignore"].append("two words"), "one lower-case word"),
    ],
)
def test_validate_reports_a_broken_vocabulary(
    kb_doc: dict[str, Any], change: Any, message: str
) -> None:
    change(kb_doc["vocabulary"])
    problems = validate(kb_doc)
    assert any(p.startswith("$.vocabulary") and message in p for p in problems), problems


def test_a_knowledge_base_without_a_vocabulary_is_valid_and_searches(
    kb_doc: dict[str, Any],
) -> None:
    del kb_doc["vocabulary"]
    assert validate(kb_doc) == []
    kb = loading.build(kb_doc, "-")
    assert kb.vocabulary == NO_VOCABULARY
    assert ids(search(index_for(kb), kb, "calcium"))[0] == "calcium-deficiency"


def test_cached_rows_with_a_forged_vocabulary_are_not_used(kb_doc: dict[str, Any]) -> None:
    meta, refs, entries, triggers, (ignore, lay, ages, intents) = to_rows(kb_doc)
    assert well_formed((meta, refs, entries, triggers, (ignore, lay, ages, intents)))
    forged = ((("now",), ("gossip",)),)
    assert not well_formed((meta, refs, entries, triggers, (ignore, lay, ages, forged)))
    bad_ages = ((1, "x", "y", None),)
    assert not well_formed((meta, refs, entries, triggers, (ignore, lay, bad_ages, intents)))


def test_a_remedy_must_name_a_source(kb_doc: dict[str, Any]) -> None:
    remedy = next(e for e in kb_doc["entries"] if e["kind"] == "remedy")
    remedy["sources"] = []
    assert any("names at least one source" in p for p in validate(kb_doc))


# --- ranking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expect"),
    [
        ("does smoking make leg cramps worse", "avoid-smoking-alcohol-strong-tea"),
        ("should i rub a cramp or leave it alone", "massage-the-muscle"),
        ("hashimotos and cramps", "thyroid-disease"),
        ("hypoparathyroidism", "calcium-deficiency"),
        ("MND muscle cramps", "nerve-and-muscle-disease"),
        ("CKD cramps", "kidney-disease"),
        ("type 2 and leg cramps", "diabetes"),
        ("my 6 year old wakes up crying with leg pain", "growing-pains"),
        ("grandma has leg cramps", "ageing"),
        ("nite cramps", "unknown-cause"),
    ],
)
def test_issue_examples_find_their_entry_first(
    bundled: tuple[Index, KnowledgeBase], query: str, expect: str
) -> None:
    assert ids(ask(bundled, query))[0] == expect


def test_calf_pain_puts_the_clot_warning_above_painkillers(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    found = ids(ask(bundled, "calf pain"))
    assert found.index("blood-clot") < found.index("painkillers-for-soreness")


def test_an_exact_word_is_never_read_as_the_start_of_a_longer_one(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    for hit in ask(bundled, "calf pain").hits:
        assert all(c.how != "prefix" for c in hit.explain), hit.entry.id


@pytest.mark.parametrize(
    "query",
    [
        "what is the best thing to do about calcium",
        "honestly my husband says quinine is the answer, is he right?",
        "zzzz qqqq magnesium",
    ],
)
def test_a_question_with_one_strong_word_answers(
    bundled: tuple[Index, KnowledgeBase], query: str
) -> None:
    assert ask(bundled, query).hits


def test_no_match_only_when_no_word_matches_and_then_a_close_word(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    result = ask(bundled, "zzzzqx wibblewobble")
    assert not result.hits
    assert ask(bundled, "magnezium").hits  # a typo still finds its entry


def test_a_question_naming_only_the_kind_wanted_lists_that_kind(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    kinds = {h.entry.kind for h in ask(bundled, "what should i do right now").hits}
    assert kinds == {"relief"}
    worried = ask(bundled, "should i be worried").hits
    assert worried and {h.entry.kind for h in worried} <= {"red-flag", "guide"}
    # The guide first (it says when to see a GP and when to get help the same day), then the
    # warning signs, the most serious first.
    assert worried[0].entry.kind == "guide"
    assert worried[1].entry.care == "emergency"


def test_a_warning_sign_matching_the_whole_question_ranks_in_the_top_three(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    _, kb = bundled
    for flag in kb.of_kind("red-flag"):
        result = ask(bundled, flag.title)
        found = ids(result)
        hit = next(h for h in result.hits if h.entry.id == flag.id)
        if hit.coverage == 1.0 and len(hit.explain) > 1:
            assert found.index(flag.id) < 3, (flag.title, found)


def test_unsupported_advice_never_leads_supported_advice_it_does_not_name(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    """Over pairs of words from every advice entry's title: when the first advice listed is
    not supported by the evidence and the query does not name it, no supported advice for
    the same need below it (the same kind, or a remedy, which serves either) answers nearly
    as well (0.6 of its score)."""
    _, kb = bundled
    advice_kinds = ("relief", "prevention", "remedy")
    advice = [e for e in kb.entries if e.kind in advice_kinds]
    words = sorted({w for e in advice for w in terms(e.title)})
    checked = 0
    for a, b in itertools.islice(itertools.combinations(words, 2), 0, None, 7):
        said = f" {a} {b} "
        hits = [h for h in ask(bundled, f"{a} {b}").hits if h.entry.kind in advice_kinds]
        if not hits or not hits[0].entry.evidence:
            continue
        first = hits[0]
        names = (first.entry.title, *first.entry.aliases)
        named = any(f" {' '.join(terms(x))} " in said for x in names if terms(x))
        if first.entry.evidence.grade != "not supported" or named:
            continue
        checked += 1
        for other in hits[1:]:
            kinds = {first.entry.kind, other.entry.kind}
            same_need = len(kinds) == 1 or "remedy" in kinds
            if same_need and other.entry.evidence and other.entry.evidence.grade == "supported":
                assert other.score < 0.6 * first.score, (a, b, first.entry.id, other.entry.id)
    assert checked  # the rule was exercised


def test_unsupported_advice_moves_below_supported_advice_for_the_same_need(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    result = ask(bundled, "rub the cramp")
    found = ids(result)
    assert found.index("massage-the-muscle") < found.index("massage-gun")
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_relief_does_not_displace_prevention_it_does_not_answer(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    """Warmth on a sore muscle after a cramp (relief) is another need than keeping the legs
    warm at night (prevention): it does not move the prevention entry down."""
    assert ids(ask(bundled, "keep my legs warm to stop cramps"))[0] == "keep-legs-warm"


def test_the_first_hits_do_not_depend_on_how_many_are_shown(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    """Over pairs of words from every advice entry's title: --limit 2 shows the first two
    hits of --limit 10, in the same order."""
    _, kb = bundled
    advice = [e for e in kb.entries if e.kind in ("relief", "prevention", "remedy")]
    words = sorted({w for e in advice for w in terms(e.title)})
    for a, b in itertools.islice(itertools.combinations(words, 2), 0, None, 5):
        assert ids(ask(bundled, f"{a} {b}", limit=2)) == ids(ask(bundled, f"{a} {b}"))[:2], (a, b)


def test_a_medicine_not_linked_to_cramps_gives_way_to_advice_that_names_it(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    """A medicine listed for what to watch for, not as a cause (``link: none``), does not
    lead a search for its generic name when advice also goes by that name: the advice
    answers it. (A brand name is someone who takes it: the medicine may lead.)"""
    _, kb = bundled
    checked = 0
    for entry in kb.entries:
        if not entry.medicines or any(m.link != "none" for m in entry.medicines):
            continue
        for name in {m.name.lower() for m in entry.medicines}:
            advice = [
                e.id
                for e in kb.entries
                if e.kind in ("relief", "prevention", "remedy")
                and name in (a.lower() for a in (e.title, *e.aliases))
            ]
            if advice:
                assert ids(ask(bundled, name))[0] != entry.id, name
                checked += 1
    assert checked


def test_advice_of_mixed_evidence_does_not_displace_what_is_asked(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    """Only advice the evidence supports outranks unsupported advice the question is about;
    "mixed" is not "supported"."""
    assert ids(ask(bundled, "hot water feet before bed"))[0] == "warm-foot-soak"


def test_an_alias_repeated_as_a_brand_counts_once(bundled: tuple[Index, KnowledgeBase]) -> None:
    """A name listed as an entry's alias and again as a medicine's brand is one name: the
    medicine does not outrank the entry whose title it is."""
    assert ids(ask(bundled, "tonic water"))[0] == "tonic-water"


def test_a_lay_word_read_as_a_term_is_not_also_a_prefix(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    """A word the vocabulary reads as a term is not matched as the start of a longer word:
    "knackered" (tired) is no prefix match for anything, and "worn out" finds tired muscles."""
    _, kb = bundled
    lay = [
        (phrase, means)
        for say, means, _ in kb.vocabulary[1]
        for phrase in say
        if " " not in phrase and len(phrase) >= 4
    ]
    checked = 0
    for phrase, _ in lay:
        result = ask(bundled, phrase)
        typed = [c for h in result.hits for c in h.explain if c.query_word == phrase]
        assert all(c.how == "exact" for c in typed), (phrase, [c.how for c in typed])
        checked += bool(result.hits)
    assert checked


def test_a_one_word_title_is_the_answer_to_that_word(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    """Every entry whose title is one word comes first when that word is searched."""
    _, kb = bundled
    checked = 0
    for entry in kb.entries:
        said = [w for w in entry.title.lower().split() if w not in ("a", "an", "the")]
        if len(said) == 1 and len(said[0]) > 1:
            assert ids(ask(bundled, said[0]))[0] == entry.id, entry.id
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize(
    ("query", "expect"),
    [
        ("does pickle juice help", "pickle-juice"),
        ("is tonic water good for cramps", "tonic-water"),
        ("soap under the sheets", "soap-under-sheets"),
        ("gin soaked raisins", "gin-soaked-raisins"),
        ("epsom salt bath", "epsom-salts-magnesium-spray"),
        ("vitamin e", "vitamin-e"),
    ],
)
def test_does_x_help_answers_with_the_entry_about_x(
    bundled: tuple[Index, KnowledgeBase], query: str, expect: str
) -> None:
    assert ids(ask(bundled, query))[0] == expect


# --- snippets -------------------------------------------------------------------------------


def test_no_snippet_is_an_alias_list(bundled: tuple[Index, KnowledgeBase]) -> None:
    _, kb = bundled
    for entry in kb.entries:
        for alias in entry.aliases[:3]:
            for hit in ask(bundled, alias, limit=3).hits:
                assert not hit.snippet.startswith("Also known as"), (alias, hit.snippet)


def test_an_article_snippet_says_the_references_disagree(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    _, kb = bundled
    for article in kb.of_kind("article"):
        if not article.corrections:
            continue
        hit = next(h for h in ask(bundled, article.title).hits if h.entry.id == article.id)
        first = kb.get(article.corrections.see[0])
        assert first is not None
        assert f"[The references disagree: read {first.title}" in hit.snippet


# --- remedies are never offered by check -----------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ["--when", "night", "--age", "70"],
        ["--when", "exercise", "--recent", "sweating", "--recent", "heat"],
        ["--pregnant", "--when", "night"],
    ],
)
def test_check_never_offers_a_remedy(options: list[str]) -> None:
    kb = loading.load(loading.bundled_path())
    remedies = {e.id for e in kb.of_kind("remedy")}
    result = run("check", *options, "--json")
    assert result.exit_code == 0, result.stderr
    assert not remedies & set(_ids_in(result.json()))


def _ids_in(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _ids_in(v)]
    if isinstance(value, list):
        return [x for v in value for x in _ids_in(v)]
    return [value] if isinstance(value, str) else []


def test_search_json_keeps_its_contract_for_a_sentence() -> None:
    out = run("search", "my", "85", "year", "old", "mum", "gets", "cramps", "--json").json()
    assert set(out) == {"query", "results"}
    assert out["results"] and {"id", "kind", "title", "score", "snippet"} <= set(out["results"][0])
    assert out["results"][0]["id"] == "ageing"


def test_explain_shows_what_was_typed_for_a_lay_word_or_an_age(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    [hit, *_] = ask(bundled, "CKD cramps").hits
    assert "ckd (as kidney)" in {c.query_word for c in hit.explain}
    [hit, *_] = ask(bundled, "im 72 with leg cramps").hits
    assert "im 72 (as older)" in {c.query_word for c in hit.explain}


@pytest.mark.parametrize(("plural", "one"), [("children", "child"), ("feet", "foot")])
def test_an_irregular_plural_meets_its_singular(plural: str, one: str) -> None:
    assert stem(plural) == stem(one)


def test_a_childs_age_finds_the_warning_for_a_childs_leg_pain(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    """An age in the children's band reads as "children", which must meet the flag written
    about "a child"."""
    assert "child-leg-pain" in ids(ask(bundled, "my 7 year old has pain in her leg"))[:3]


def test_advice_found_through_its_caution_shows_the_caution(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    """For each caution, a question naming a word only the caution holds (a condition, a
    medicine): wherever that entry is a hit, its snippet is the caution, not the promise."""
    _, kb = bundled
    shown = 0
    for entry in kb.entries:
        main = {t for text in (entry.title, entry.summary, *entry.body) for t in terms(text)}
        for caution in entry.cautions:
            only_here = [t for t in terms(caution.text) if t not in main and len(t) > 4]
            if not only_here:
                continue
            result = ask(bundled, f"{only_here[0]} cramps")
            for hit in result.hits:
                if hit.entry.id == entry.id:
                    texts = {f"Caution: {c.text}" for c in entry.cautions}
                    assert hit.snippet in texts, (entry.id, only_here[0])  # whole, not clipped
                    shown += 1
    assert shown >= 3


def test_an_intent_with_only_the_subject_lists_the_kind_it_asks_for(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    """Every intent phrase of the bundled vocabulary, with only words every entry shares
    ("leg cramps"): the first hit is of the kind the phrase asks for first."""
    _, kb = bundled
    checked = 0
    for say, prefer in kb.vocabulary[3]:
        for phrase in say:
            if "*" in phrase:
                continue
            first = ask(bundled, f"{phrase} leg cramps").hits[0].entry
            assert first.kind == prefer[0], (phrase, first.id)
            checked += 1
    assert checked > 50


def test_advice_the_references_advise_against_is_listed_last(
    bundled: tuple[Index, KnowledgeBase],
) -> None:
    hits = ask(bundled, "how do i prevent leg cramps", limit=50).hits
    against = [i for i, h in enumerate(hits) if h.entry.advised_against]
    assert against and min(against) > max(
        i for i, h in enumerate(hits) if not h.entry.advised_against
    )


@pytest.mark.parametrize(
    ("query", "pregnant"),
    [
        ("cramps at 31 weeks", True),
        ("26 weeks pregnant and calf cramps", True),
        ("cramps for 5 weeks", False),
        ("cramps every 6 weeks", False),
        ("started 8 weeks ago", False),
    ],
)
def test_weeks_of_a_pregnancy_read_as_pregnancy(query: str, pregnant: bool) -> None:
    vocab = (
        VOCAB[0],
        (*VOCAB[1], (("weeks pregnant",), "pregnancy", "pregnant")),
        VOCAB[2],
        VOCAB[3],
    )
    asked = understand(query, vocab)
    assert ((("pregnancy",),) in [c.alternatives for c in asked.concepts]) == pregnant
    assert ("pregnant" in asked.audiences) == pregnant


@pytest.mark.parametrize(("typed", "expect"), [("growin pains", "growing-pains")])
def test_a_dropped_g_is_read_as_said(
    bundled: tuple[Index, KnowledgeBase], typed: str, expect: str
) -> None:
    assert ids(ask(bundled, typed))[0] == expect


@pytest.mark.parametrize(
    ("query", "expect"),
    [
        ("in agony with my calf muscle", "severe-pain"),
        ("my dad started fitting", "confusion-or-seizure"),
    ],
)
def test_lay_words_for_a_warning_sign_find_it(
    bundled: tuple[Index, KnowledgeBase], query: str, expect: str
) -> None:
    assert expect in ids(ask(bundled, query))[:3]


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("how do i stop a cramp in my foot", "relief"),
        ("how can i stop the cramp in my toes", "relief"),
        ("how can i stop getting foot cramps", "prevention"),
        ("how do i stop toe cramps happening", "prevention"),
    ],
)
def test_stopping_a_cramp_is_relief_and_stopping_cramps_is_prevention(
    bundled: tuple[Index, KnowledgeBase], query: str, kind: str
) -> None:
    assert ask(bundled, query).hits[0].entry.kind == kind


def test_a_lay_word_for_the_subject_is_the_subject(bundled: tuple[Index, KnowledgeBase]) -> None:
    """"Charley horse" means a cramp: with an intent and nothing else, the intent decides."""
    assert ask(bundled, "what do i do for a charley horse").hits[0].entry.kind == "relief"
    assert ids(ask(bundled, "charley horse"))[0] == "unknown-cause"  # no intent: what it is
