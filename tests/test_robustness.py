"""Nothing a user or a data file does can break crampcli: markup and escape codes in the data,
odd queries, odd terminals, a reader that goes away, Ctrl-C, internal errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, only_messages, run
from crampcli.env import Env
from crampcli.output import views
from test_validate import small_kb

REPO = Path(__file__).resolve().parents[1]
SGR = re.compile(r"\x1b\[[0-9;]*m")  # colour and bold: the only escapes crampcli itself writes
# Anything that could move the cursor, retitle the window or flip text direction.
RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

MARKUP = (
    "Z [citation needed] [/] [bold red]loud[/] [link=https://evil.example]click[/link] :warning:"
)
CONTROL = "Y \x1b]0;pwned\x07 \x1b[2J \x9b31m \u202eevil \x00\x08\r\x7f end"


def crampcli_command() -> list[str]:
    script = Path(sys.executable).parent / "crampcli"
    return [str(script)] if script.exists() else [sys.executable, "-m", "crampcli"]


def squash(out: str) -> str:
    """Output without colour codes, whitespace or panel borders: wrapping cannot split a match."""
    return re.sub(r"[\s│╭╮╰╯─|+-]", "", SGR.sub("", out))


def assert_harmless(out: str) -> None:
    found = RAW_CONTROL.findall(SGR.sub("", out))
    assert not found, f"raw control characters reached stdout: {found!r}"


def set_path(doc: Any, path: tuple[Any, ...], value: str) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def kb_with(tmp_path: Path, path: tuple[Any, ...], value: str) -> Path:
    doc = small_kb()
    set_path(doc, path, value)
    out = tmp_path / "kb.json"
    out.write_text(json.dumps(doc), encoding="utf-8")
    return out


# Each text field of the format, and a command that shows it.
FIELDS: list[tuple[tuple[Any, ...], tuple[str, ...]]] = [
    (("entries", 0, "title"), ("show", "zebra-cause")),
    (("entries", 0, "summary"), ("causes",)),
    (("entries", 0, "details", 0), ("show", "zebra-cause")),
    (("entries", 0, "evidence", "note"), ("show", "zebra-cause")),
    (("entries", 1, "summary"), ("relieve", "--now")),
    (("entries", 1, "title"), ("relieve",)),
    (("entries", 2, "evidence", "note"), ("prevent",)),
    (("entries", 3, "title"), ("warning-signs",)),
    (("entries", 3, "summary"), ("relieve",)),
    (("entries", 4, "title"), ("articles",)),
    (("entries", 4, "summary"), ("articles",)),
    (("entries", 4, "paragraphs", 0), ("show", "zebra-article")),
    (("references", 0, "title"), ("show", "zebra-cause")),
    (("references", 0, "url"), ("show", "zebra-cause")),
    (("version",), ("--version",)),
]
WRITERS = {"plain": {}, "fancy": {"FORCE_COLOR": "1", "COLUMNS": "100"}}


def field_id(case: tuple[tuple[Any, ...], tuple[str, ...]]) -> str:
    return ".".join(map(str, case[0]))


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("case", FIELDS, ids=field_id)
def test_rich_markup_and_emoji_codes_are_shown_literally(
    tmp_path: Path, case: tuple[tuple[Any, ...], tuple[str, ...]], writer: str
) -> None:
    path, command = case
    value = "zebra " + MARKUP if path[-2:] == ("aliases", 0) else MARKUP
    kb = kb_with(tmp_path, path, value)
    result = run("--data", str(kb), "--data-alone", *command, env=WRITERS[writer])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert squash(MARKUP) in squash(result.stdout)
    assert "\u26a0" not in result.stdout  # :warning: did not become an emoji
    if writer == "fancy" and command != ("--version",):
        assert "\x1b[" in result.stdout  # the fancy writer really ran


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("case", FIELDS, ids=field_id)
def test_escape_sequences_and_bidi_overrides_never_reach_stdout_raw(
    tmp_path: Path, case: tuple[tuple[Any, ...], tuple[str, ...]], writer: str
) -> None:
    path, command = case
    value = "zebra " + CONTROL if path[-2:] == ("aliases", 0) else CONTROL
    kb = kb_with(tmp_path, path, value)
    result = run("--data", str(kb), "--data-alone", *command, env=WRITERS[writer])
    assert result.exit_code == 0, result.stderr
    assert_harmless(result.stdout)
    shown = squash(result.stdout)
    for escaped in ("\\x1b]0;pwned\\x07", "\\x1b[2J", "\\x9b31m", "\\u202eevil", "\\x00\\x08\\x0d"):
        assert escaped in shown, escaped


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_search_snippet_and_highlight_path_is_harmless(tmp_path: Path, writer: str) -> None:
    doc = small_kb()
    doc["entries"][4]["paragraphs"] = [
        "Zebras cramp [citation needed] and :warning: [/] badly.",
        "Zebras \x1b]0;pwned\x07 cramp \x1b[2J again \u202e here.",
    ]
    kb = tmp_path / "kb.json"
    kb.write_text(json.dumps(doc), encoding="utf-8")
    for query in ("zebras badly", "zebras again pwned", "[citation needed]", "\x1b[2J zebras"):
        result = run(
            "--data", str(kb), "--data-alone", "search", query, "--limit", "5", env=WRITERS[writer]
        )
        assert result.exit_code in (0, 1), result.stderr
        assert_harmless(result.stdout)
        assert_harmless(result.stderr)
    out = run(
        "--data", str(kb), "--data-alone", "search", "zebras", "badly", env=WRITERS[writer]
    ).stdout
    assert "[citationneeded]and:warning:[/]badly" in squash(out)
    if writer == "fancy":
        assert "\x1b[1;7mbadly\x1b[0m" in out  # the matched word is highlighted


def test_json_output_escapes_everything(tmp_path: Path) -> None:
    kb = kb_with(tmp_path, ("entries", 0, "summary"), CONTROL)
    result = run("--data", str(kb), "--data-alone", "show", "zebra-cause", "--json")
    assert result.exit_code == 0
    assert result.stdout.isascii() and "\x1b" not in result.stdout
    assert result.json()["entry"]["summary"] == CONTROL


def test_error_messages_on_stderr_are_escaped_too(tmp_path: Path) -> None:
    result = run("show", "nope\x1b[2J\u202e")
    assert result.exit_code == 1 and "no entry with id" in result.stderr
    assert_harmless(result.stderr)
    weird = tmp_path / "kb\x1b]0;x\x07.json"
    result = run("--data", str(weird), "--data-alone", "causes")
    assert result.exit_code == 1 and "no such file" in result.stderr
    assert_harmless(result.stderr)


# --- queries and ids ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\t\n",
        "\x1b[2J\x9b\u202e",
        "\x00",
        "[/]",
        ":warning:",
        "a the of",
        "cramp\x1b]0;x\x07",
    ],
)
def test_odd_queries_get_a_clean_answer(query: str) -> None:
    for env in WRITERS.values():
        result = run("search", query, env=env)
        assert result.exit_code in (0, 1)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert_harmless(result.stdout)
        assert_harmless(result.stderr)
        if result.exit_code == 1:
            assert result.stderr.startswith("crampcli: No good match for")


def test_no_query_at_all_is_a_usage_error() -> None:
    result = run("search")
    assert result.exit_code == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["random-words", "one-word", "controls"])
def test_one_megabyte_query_answers_quickly(kind: str) -> None:
    import random

    rng = random.Random(6)
    if kind == "random-words":
        letters = "abcdefghijklmnopqrstuvwxyz"
        query = " ".join(
            "".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(170_000)
        )[:1_000_000]
    elif kind == "one-word":
        query = ("cramp " * 170_000)[:1_000_000]
    else:
        query = ("\x1b[2J\x9b\u202e\x00 " * 200_000)[:1_000_000]
    started = time.monotonic()
    result = run("search", query)
    assert time.monotonic() - started < 5
    assert result.exit_code in (0, 1)
    assert len(result.stderr) < 500  # the query is not echoed back in full
    assert_harmless(result.stdout + result.stderr)


def test_query_words_are_capped() -> None:
    from crampcli.answers import query as understanding
    from crampcli.knowledge.model import NO_VOCABULARY

    typed = " ".join(f"word{i}x" for i in range(10_000))
    concepts = understanding.understand(typed, NO_VOCABULARY).concepts
    assert len(concepts) == understanding.MAX_CONCEPTS


@pytest.mark.parametrize("entry_id", ["nope", "", " ", "CALCIUM", "x" * 10_000, "../../etc/passwd"])
def test_unknown_ids(entry_id: str) -> None:
    result = run("show", entry_id)
    assert result.exit_code == 1
    assert "no entry with id" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unknown_id_suggests_close_ones() -> None:
    result = run("show", "calcium-deficency")
    assert result.exit_code == 1 and "calcium-deficiency" in result.stderr


# --- terminals ------------------------------------------------------------------------------


def subprocess_run(*args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, **env}
    return subprocess.run([*crampcli_command(), *args], capture_output=True, env=full, timeout=60)


def test_no_color_keeps_panels_but_drops_colour() -> None:
    result = run("causes", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "╭" in result.stdout or "+-" in result.stdout
    assert "\x1b[" not in result.stdout


def test_force_color_zero_does_not_turn_colour_on() -> None:
    result = subprocess_run("causes", FORCE_COLOR="0")
    assert result.returncode == 0 and b"\x1b[" not in result.stdout
    env = Env.from_system({"FORCE_COLOR": "0"})
    assert not env.color


@pytest.mark.parametrize(
    ("columns", "expected"),
    [("0", 80), ("20", 20), ("5", 20), ("abc", 80), ("-3", 80), ("999", 100)],
)
def test_width_from_columns(columns: str, expected: int) -> None:
    assert Env.from_system({"COLUMNS": columns}).width == expected


@pytest.mark.parametrize("columns", ["20", "0"])
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_narrow_and_zero_columns_still_print(columns: str, writer: str) -> None:
    env = {**WRITERS[writer], "COLUMNS": columns}
    result = subprocess_run("causes", **env)
    assert result.returncode == 0 and only_messages(result.stderr)
    out = result.stdout.decode()
    assert "Calcium" in out or "calcium" in out
    if writer == "fancy":
        width = int(columns) or 80
        assert max(len(SGR.sub("", line)) for line in out.splitlines()) <= width


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"LANG": "C", "LC_ALL": "C"},
        {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
    ],
)
def test_degrees_celsius_on_an_ascii_terminal(env: dict[str, str], writer: str) -> None:
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    assert any("\u00b0C" in e["summary"] + " ".join(e.get("details", [])) for e in doc["entries"])
    for args in (("show", "warm-foot-soak"), ("prevent",), ("search", "warm", "soak")):
        result = subprocess_run(*args, **env, **WRITERS[writer])
        assert result.returncode == 0, result.stderr
        assert b"Traceback" not in result.stderr and only_messages(result.stderr)
        assert args[0] == "search" or b"40" in result.stdout


def pexpect_spawn(args: list[str], **env: str) -> Any:
    pexpect = pytest.importorskip("pexpect")
    full = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    full.update(env)
    command = crampcli_command()
    return pexpect.spawn(
        command[0],
        [*command[1:], *args],
        env=full,
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 100),
    )


@pytest.mark.slow
@pytest.mark.parametrize(("term", "fancy"), [("dumb", False), ("xterm-256color", True)])
def test_term_dumb_on_a_terminal_is_plain(term: str, fancy: bool) -> None:
    child = pexpect_spawn(["prevent"], TERM=term)
    out = child.read()
    child.close()
    assert child.exitstatus == 0
    assert ("\x1b[" in out) is fancy and ("╭" in out) is fancy


@pytest.mark.slow
def test_force_color_zero_on_a_terminal_has_no_colour() -> None:
    child = pexpect_spawn(["prevent"], TERM="xterm-256color", FORCE_COLOR="0")
    out = child.read()
    child.close()
    assert child.exitstatus == 0 and not re.search(r"\x1b\[[0-9;]*3[0-7]m", out)


def big_kb(tmp_path: Path) -> Path:
    doc = small_kb()
    doc["entries"] += [
        {
            "id": f"bulk-{i}",
            "kind": "article",
            "title": f"Bulk article {i}",
            "summary": "Filler.",
            "aliases": [],
            "sources": [],
            "file": "f.txt",
            "paragraphs": ["word " * 200],
        }
        for i in range(2000)
    ]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_reader_going_away_is_not_an_error(tmp_path: Path, writer: str) -> None:
    env = {**os.environ, **WRITERS[writer]}
    for args in (["causes"], ["--data", str(big_kb(tmp_path)), "--data-alone", "articles"]):
        proc = subprocess.Popen(
            [*crampcli_command(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline()
        proc.stdout.close()  # like `| head -1`
        stderr = proc.stderr.read()
        assert proc.wait(timeout=60) == 0, stderr
        assert only_messages(stderr)


def test_pipe_to_head_in_a_shell() -> None:
    command = " ".join(crampcli_command())
    script = f'{command} causes | head -1; echo "rc=${{PIPESTATUS[0]}}" >&2'
    result = subprocess.run(["bash", "-c", script], capture_output=True, timeout=60)
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr.endswith(b"rc=0\n") and only_messages(result.stderr[:-5])


def test_stdout_closed_before_start() -> None:
    command = " ".join(crampcli_command())
    result = subprocess.run(
        ["bash", "-c", f"{command} causes >&-"], capture_output=True, timeout=60
    )
    assert result.returncode == 0 and only_messages(result.stderr)


# --- Ctrl-C ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_ctrl_c_during_the_countdown() -> None:
    child = pexpect_spawn(["relieve", "--now", "--seconds", "60"], TERM="xterm-256color")
    child.expect("Hold the stretch")
    time.sleep(0.3)
    child.sendintr()
    child.expect(pytest.importorskip("pexpect").EOF)
    out = child.before
    child.close()
    assert child.exitstatus == 130, out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out


@pytest.mark.slow
@pytest.mark.parametrize("answers", [0, 1])
def test_ctrl_c_during_the_questions(answers: int) -> None:
    child = pexpect_spawn(["check"], TERM="xterm-256color")
    child.expect("chest pain")  # the first emergency question
    if answers:
        for _ in range(4):  # "no" to each emergency question, then no other warning sign
            child.sendline("")
        child.expect("Other warning signs")
        child.sendline("")
        child.expect("Where do you get cramps")
    time.sleep(0.3)
    child.sendintr()
    child.expect(pytest.importorskip("pexpect").EOF)
    out = child.before
    child.close()
    assert child.exitstatus == 130, out
    assert "Traceback" not in out


# --- internal errors ------------------------------------------------------------------------


def _boom(*args: object, **kwargs: object) -> None:
    secret_local = "hunter2-do-not-print"  # noqa: F841 - pretty tracebacks would show it
    raise RuntimeError("something broke")


def test_internal_error_is_one_line_without_locals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "listing", _boom)
    result = run("causes")
    assert result.exit_code == 70
    assert "internal error: RuntimeError: something broke" in result.stderr
    assert "--traceback" in result.stderr
    for leak in ("Traceback", "hunter2", "secret_local", "locals", "╭"):
        assert leak not in result.stderr + result.stdout


@pytest.mark.parametrize("how", ["option", "env"])
def test_traceback_option_and_debug_variable_re_raise(
    monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setattr(views, "listing", _boom)
    args, env = (
        (["--traceback", "causes"], None)
        if how == "option"
        else (["causes"], {"CRAMPCLI_DEBUG": "1"})
    )
    from typer.testing import CliRunner

    from crampcli.cli import app

    result = CliRunner().invoke(app, args, env=env)
    assert isinstance(result.exception, RuntimeError)


SCRIPT = textwrap.dedent(
    """
    import sys
    import crampcli.output.views
    def boom(*args, **kwargs):
        secret_local = "hunter2-do-not-print"
        raise RuntimeError("something broke")
    crampcli.output.views.listing = boom
    from crampcli.cli import main
    sys.argv = ["crampcli", *sys.argv[1:]]
    main()
    """
)


@pytest.mark.parametrize("flag", [None, "--traceback", "env"])
def test_internal_error_in_a_real_process(flag: str | None) -> None:
    args = ["--traceback", "causes"] if flag == "--traceback" else ["causes"]
    env = {**os.environ, **({"CRAMPCLI_DEBUG": "1"} if flag == "env" else {})}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, env=env, timeout=60
    )
    stderr = result.stderr.decode()
    assert "hunter2" not in stderr and "secret_local =" not in stderr and "╭" not in stderr
    if flag is None:
        assert result.returncode == 70 and "Traceback" not in stderr
    else:
        assert result.returncode == 1 and "Traceback" in stderr and "RuntimeError" in stderr


def test_crampcli_command_exists() -> None:
    assert shutil.which(crampcli_command()[0]) or crampcli_command()[0] == sys.executable
