"""Every command and option of the core CLI, through Typer's CliRunner."""

from __future__ import annotations

import pytest

from conftest import run
from crampcli.knowledge import loading
from crampcli.output import views
from crampcli.output.document import DISCLAIMER
from test_kb_data import ALL_SPEC_IDS

KB = loading.load(loading.bundled_path())
CAUSES = len(KB.of_kind("cause"))


def test_causes_lists_every_cause_with_sources() -> None:
    result = run("causes")
    assert result.exit_code == 0
    assert "Calcium" in result.stdout and "Sources:" in result.stdout
    assert result.stdout.count("[cause") == CAUSES
    assert "Not medical advice" in result.stderr  # a message, off a terminal


def test_causes_shows_serious_warning_signs_before_anything_else() -> None:
    out = run("causes").stdout
    assert out.index("Get medical help first if") < out.index("[cause")


@pytest.mark.parametrize(
    ("option", "value", "present", "absent"),
    [
        ("--who", "pregnant", "pregnancy", "lumbar-disc-herniation"),
        ("--who", "older", "ageing", "pregnancy"),
        ("--who", "athletes", "muscle-overwork", "pregnancy"),
        ("--who", "women", "pregnancy", "lumbar-disc-herniation"),
        ("--when", "night", "sleeping-posture", "muscle-overwork:"),
        ("--when", "exercise", "muscle-overwork", "sleeping-posture"),
        ("--when", "cold", "cold-exposure", "pregnancy"),
    ],
)
def test_causes_filters(option: str, value: str, present: str, absent: str) -> None:
    result = run("causes", option, value, "--brief")
    assert result.exit_code == 0
    ids = [line.split(":")[0].split(" ")[0] for line in result.stdout.splitlines() if ":" in line]
    assert present in ids
    assert absent.rstrip(":") not in ids


def test_causes_filter_with_json_matches_text() -> None:
    data = run("causes", "--who", "pregnant", "--json").json()
    assert {c["id"] for c in data["causes"]} >= {"pregnancy"}
    # theirs first, then those for everyone; none only for others
    assert all(not c["audiences"] or "pregnant" in c["audiences"] for c in data["causes"])
    assert "pregnant" in data["causes"][0]["audiences"]
    text = run("causes", "--who", "pregnant", "--brief").stdout
    assert [c["id"] for c in data["causes"]] == [
        line.split(":")[0] for line in text.splitlines()
    ]


def test_causes_brief_is_one_line_each() -> None:
    out = run("causes", "--brief").stdout.splitlines()
    assert len([line for line in out if line.startswith(("calcium-", "ageing:"))]) == 2
    assert "Sources:" not in "\n".join(out)


def test_causes_json_shape() -> None:
    result = run("causes", "--json")
    assert result.exit_code == 0
    causes = result.json()["causes"]
    assert [c["id"] for c in causes] == [e.id for e in views.causes_for(KB, [])]
    first = causes[0]
    for key in ("id", "kind", "title", "summary", "details", "evidence", "sources", "helps"):
        assert key in first
    assert "Not medical advice" not in result.stdout


def test_bad_filter_value_is_a_usage_error() -> None:
    result = run("causes", "--who", "teenagers")
    assert result.exit_code == 2
    assert "teenagers" in result.stderr and result.stdout == ""


def test_unknown_option_is_a_usage_error() -> None:
    result = run("causes", "--colour")
    assert result.exit_code == 2
    assert result.stderr == "crampcli: no such option: --colour (see: crampcli causes -h)\n"


def test_relieve_lists_relief_then_prevention_then_help() -> None:
    out = run("relieve").stdout
    assert out.index("DURING A CRAMP") < out.index("TO PREVENT THE NEXT ONE")
    assert out.index("TO PREVENT THE NEXT ONE") < out.index("WHEN TO GET MEDICAL HELP")


def test_relieve_now_puts_the_quick_steps_first() -> None:
    result = run("relieve", "--now")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "DO THIS NOW"
    # Stop and stretch first, then one stretch at a time, the one you can do in bed first.
    assert lines[1].startswith("  1. Stop what you are doing")
    step2 = next(line for line in lines if line.startswith("  2. "))
    assert "toes" in step2
    assert any(line.startswith("  3. ") for line in lines[:8])


def test_relieve_now_json() -> None:
    data = run("relieve", "--now", "--json").json()
    assert [s["id"] for s in data["now"]] == ["rest-after-cramp", "grab-toes", "wall-stretch"]
    assert data["red_flags"][0]["care"] == "emergency"
    assert "prevention" not in data


def test_relieve_json_has_every_part() -> None:
    data = run("relieve", "--json").json()
    assert set(data) == {"now", "relief", "prevention", "red_flags"}


def test_relieve_seconds_is_range_checked() -> None:
    assert run("relieve", "--now", "--seconds", "0").exit_code == 2


def test_prevent() -> None:
    result = run("prevent")
    assert result.exit_code == 0
    assert "warm-up" in result.stdout and "Evidence:" in result.stdout
    assert {p["id"] for p in run("prevent", "--json").json()["prevention"]} >= {"warm-up"}


def test_warning_signs_most_serious_first() -> None:
    flags = run("warning-signs", "--json").json()["red_flags"]
    order = ["emergency", "urgent", "doctor"]
    cares = [order.index(f["care"]) for f in flags]
    assert cares == sorted(cares)
    out = run("warning-signs").stdout
    assert out.index("EMERGENCY") < out.index("URGENT") < out.index("SEE A DOCTOR")


def test_articles_lists_both_seeds() -> None:
    result = run("articles")
    assert result.exit_code == 0
    assert "What causes leg cramps in women" in result.stdout
    data = run("articles", "--json").json()["articles"]
    assert len(data) == 2 and all(a["paragraphs"] for a in data)


def test_show_article_prints_its_cleaned_text() -> None:
    result = run("show", "what-causes-leg-cramps-in-women")
    assert result.exit_code == 0
    assert "Calcium deficiency in the human body" in result.stdout
    assert "Recommend" not in result.stdout


@pytest.mark.parametrize("entry_id", ALL_SPEC_IDS)
def test_show_every_spec_id(entry_id: str) -> None:
    result = run("show", entry_id)
    assert result.exit_code == 0, result.stderr
    assert entry_id in result.stdout and "Sources:" in result.stdout
    data = run("show", entry_id, "--json").json()["entry"]
    assert data["id"] == entry_id and data["sources"]


def test_show_unknown_id_suggests_close_ids() -> None:
    result = run("show", "calcium")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "calcium-deficiency" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_is_case_insensitive() -> None:
    assert run("show", "Calcium-Deficiency").exit_code == 0


def test_show_needs_an_id() -> None:
    assert run("show").exit_code == 2


def test_search_calcium_ranks_calcium_deficiency_first() -> None:
    data = run("search", "calcium", "--json").json()
    assert data["query"] == "calcium"
    assert data["results"][0]["id"] == "calcium-deficiency"
    for hit in data["results"]:
        assert set(hit) == {"id", "kind", "title", "score", "snippet"}
        assert 0 <= hit["score"] <= 100


def test_search_tolerates_typos_and_several_words() -> None:
    assert run("search", "calcum", "--json").json()["results"][0]["id"] == "calcium-deficiency"
    data = run("search", "swollen", "red", "calf", "--json").json()
    assert data["query"] == "swollen red calf"
    assert data["results"][0]["id"] == "swollen-red-calf"


def test_search_uses_aliases() -> None:
    data = run("search", "hypocalcaemia", "--json").json()
    assert data["results"][0]["id"] == "calcium-deficiency"


def test_search_limit() -> None:
    data = run("search", "cramp", "--limit", "2", "--json").json()
    assert len(data["results"]) == 2
    assert run("search", "cramp", "--limit", "0").exit_code == 2


def test_search_results_are_ranked() -> None:
    scores = [r["score"] for r in run("search", "leg", "cramp", "--json").json()["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_human_output_shows_kind_title_and_snippet() -> None:
    out = run("search", "calcium").stdout
    assert out.startswith("1. Low calcium")
    assert "[cause · calcium-deficiency" in out


def test_search_without_a_good_match_says_so_and_suggests() -> None:
    result = run("search", "calsiumm", "deficency", "zzz")
    assert result.exit_code in (0, 1)
    nonsense = run("search", "qwxz")  # an empty answer: exit 0, the reason on stderr
    assert nonsense.exit_code == 0 and nonsense.stdout == ""
    assert "No good match" in nonsense.stderr
    data = run("search", "qwxz", "--json")  # the same exit code (the search contract: 0)
    assert data.exit_code == 0 and data.json()["results"] == []


def test_search_near_miss_offers_did_you_mean() -> None:
    result = run("search", "calc")
    data = run("search", "cal", "--json").json()
    assert result.exit_code == 0
    assert data["results"] == [] and any("calcium" in s for s in data["suggestions"])


def test_search_explain_shows_contributions() -> None:
    out = run("search", "calcum", "--explain").stdout
    assert "explain:" in out and "typo:1" in out
    data = run("search", "calcium", "--explain", "--json").json()
    assert data["results"][0]["explain"][0]["matched"] == "calcium"


def test_search_needs_a_query() -> None:
    assert run("search").exit_code == 2


def test_version_prints_program_and_knowledge_base() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("crampcli ") and "knowledge base 1.0.0" in result.stdout
    assert "reviewed 20" in result.stdout


def test_no_command_prints_help() -> None:
    result = run()
    assert result.exit_code == 0
    assert "relieve" in result.stdout and "search" in result.stdout


def test_help_lists_every_command() -> None:
    out = run("--help").stdout
    for command in ("causes", "relieve", "search", "show", "prevent", "warning-signs", "articles"):
        assert command in out


def test_disclaimer_is_one_line_on_human_output_only() -> None:
    """Off a terminal it is a message (stderr), so that `--brief | wc -l` counts items."""
    text = run("prevent")
    assert DISCLAIMER in text.stderr.replace("\n", " ") and "medical advice" not in text.stdout
    brief = run("causes", "--brief")
    assert all(": " in line for line in brief.stdout.splitlines())
    assert "medical advice" not in run("prevent", "--json").stdout + run("prevent", "--json").stderr
