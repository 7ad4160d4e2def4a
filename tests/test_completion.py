"""Shell completion: `crampcli completion SHELL` prints that shell's script, and bash, zsh and
fish, started in a pseudo-terminal with it loaded, complete commands, option values, medicine
names and diary ids on Tab, and never run what a diary note holds. `--install-completion zsh`
installs zsh's, never bash's, and a failed install leaves the start-up file byte for byte."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from conftest import run

BIN = Path(sys.executable).parent
SHELLS = ("bash", "zsh", "fish")


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_prints_the_named_shells_script(shell: str) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0
    marker = {"bash": "complete -o default -F", "zsh": "#compdef crampcli", "fish": "complete"}
    assert marker[shell] in result.stdout and f"complete_{shell}" in result.stdout
    assert run("--show-completion", shell).stdout == result.stdout


def test_an_unknown_shell_is_a_usage_error_with_a_suggestion() -> None:
    result = run("completion", "zhs")
    assert result.exit_code == 2 and "Did you mean: zsh?" in result.stderr


@pytest.mark.parametrize("shell", SHELLS)
def test_install_completion_installs_the_shell_named(shell: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(BIN / "crampcli"), "--install-completion", shell],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    made = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    expected = {
        "bash": {".bashrc", ".bash_completions/crampcli.sh"},
        "zsh": {".zshrc", ".zfunc/_crampcli"},
        "fish": {".config/fish/completions/crampcli.fish"},
    }
    assert made == expected[shell]


# What is typed, then what Tab must bring: values of every kind the issue names.
TYPED = [
    ("crampcli diar", "diary"),
    ("crampcli check --sign swel", "swelling"),
    ("crampcli check --condition diab", "diabetes"),
    ("crampcli check --recent sweat", "sweating"),
    ("crampcli causes --when after-ex", "after-exercise"),
    ("crampcli causes --who preg", "pregnant"),
    ("crampcli log --leg ri", "right"),
    ("crampcli log --where thi", "thigh"),
    ("crampcli --country ", "IE"),  # several: the second Tab lists them
    ("crampcli meds lipi", "lipitor"),
    ("crampcli check --medicine atorv", "atorvastatin"),
    ("crampcli show calcium-def", "calcium-deficiency"),
    ("crampcli diary edit ", "edit 1"),  # the only entry: inserted
]


def _shell(name: str, home: Path, tmp_path: Path) -> pexpect.spawn:
    env = {
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TERM": "xterm",
        "CRAMPCLI_HOME": str(home),
        "CRAMPCLI_CACHE_DIR": str(tmp_path / "cache"),
        "LANG": "C.UTF-8",
    }
    argv = {
        "bash": ["bash", "--norc", "--noprofile", "-i"],
        "zsh": ["zsh", "-f", "-i"],
        "fish": ["fish", "--no-config", "-i"],
    }[name]
    # 45 s: each TAB starts crampcli, which takes long on a machine busy with other work
    child = pexpect.spawn(
        argv[0], argv[1:], env=env, encoding="utf-8", timeout=45, dimensions=(24, 200)
    )
    setup = {
        "bash": 'PS1="$ "; eval "$(crampcli completion bash)"',
        "zsh": 'PS1="$ "; autoload -Uz compinit && compinit -u; eval "$(crampcli completion zsh)"',
        "fish": "function fish_prompt; echo '$ '; end; crampcli completion fish | source",
    }[name]
    child.logfile_read = (tmp_path / f"{name}.log").open("w")  # what a failure saw
    child.sendline(setup)
    child.sendline("echo READY-$((1+1))" if name != "fish" else "echo READY-(math 1+1)")
    child.expect_exact("READY-2")
    return child


def _give_up_the_line(child: pexpect.spawn) -> None:
    """Ctrl-C, until the prompt is back: on a busy machine, one sent while a second TAB still
    runs crampcli stops that run, and the shell then finishes the completion instead."""
    for attempt in range(3):
        child.sendcontrol("c")
        try:
            child.expect_exact("$ ", timeout=15)
            return
        except pexpect.TIMEOUT:
            if attempt == 2:
                raise


@pytest.mark.slow
@pytest.mark.parametrize("shell", SHELLS)
def test_tab_completes_in_a_real_shell(shell: str, tmp_path: Path) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs it)")
    home = tmp_path / "diary"
    assert run("log", "--minutes", "3", env={"CRAMPCLI_HOME": str(home)}).exit_code == 0
    child = _shell(shell, home, tmp_path)
    try:
        for typed, wanted in TYPED:
            child.send(typed + "\t")
            if typed.endswith(" "):  # several candidates: a second Tab lists them
                child.send("\t")
            child.expect_exact(wanted)
            time.sleep(0.3)  # the shell done drawing: then the line given up
            _give_up_the_line(child)
    finally:
        child.close(force=True)


def _hostile(tmp_path: Path) -> list[str]:
    """Text that runs ``touch tmp_path/PWNEDn`` if a shell ever evaluates it: every way of
    quoting a command substitution, and the backslash that undid Typer's escaping in zsh."""
    forms = (
        "$(touch {})",
        "\\$(touch {})",
        "\\\\$(touch {})",
        "`touch {}`",
        "\\`touch {}\\`",
        '"$(touch {})"',
        "'$(touch {})'",
        "\"'\\$(touch {})'\"",
        "x:y\\:$(touch {})",
        "a\nb$(touch {})\x1b]0;title\x07",
    )
    return [f"calf {form.format(tmp_path / f'PWNED{n}')}" for n, form in enumerate(forms)]


def _hostile_diary(tmp_path: Path) -> Path:
    """A diary whose notes, triggers, helped and medicines all carry hostile text, as a file
    someone sent could bring in through ``diary import``."""
    home = tmp_path / "diary"
    texts = _hostile(tmp_path)
    entries = [
        {
            "at": f"2026-12-{n + 1:02d}T03:00:00+00:00",
            "minutes": 3,
            "note": text,
            **{name: [text.replace(";", ",")] for name in ("triggers", "helped", "medicines")},
        }
        for n, text in enumerate(texts)
    ]
    doc = {"format": "crampcli-diary", "version": 1, "entries": entries}
    (tmp_path / "evil.json").write_text(json.dumps(doc), encoding="utf-8")
    done = run("diary", "import", str(tmp_path / "evil.json"), env={"CRAMPCLI_HOME": str(home)})
    assert done.exit_code == 0, done.stderr
    return home


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_output_carries_no_shell_syntax_from_user_text(
    shell: str, tmp_path: Path
) -> None:
    """What crampcli prints for a shell to complete diary ids: the ids, with a date and the
    minutes, never a character a shell could read as syntax."""
    home = _hostile_diary(tmp_path)
    env = {
        **os.environ,
        "CRAMPCLI_HOME": str(home),
        "_CRAMPCLI_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": "crampcli diary edit ",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "COMP_WORDS": "crampcli diary edit ",
        "COMP_CWORD": "3",
    }
    done = subprocess.run(
        [str(BIN / "crampcli")], capture_output=True, text=True, env=env, check=False
    )
    out = done.stdout.rstrip("\n")
    assert "10" in out  # bash takes values only; the others a date and minutes with each
    assert shell == "bash" or ("Dec 2026" in out and "3 min" in out)
    assert "touch" not in out and "PWNED" not in out and "\x1b" not in out
    if shell == "zsh":  # the spec crampcli writes, and nothing else that zsh evaluates
        assert out.startswith("_arguments '*: :((") and out.endswith("))'")
        inner = out[len("_arguments '*: :((") : -len("))'")]
        assert not set(inner.replace("\\\\:", ":")) & set("\\$`'")  # but Typer's escaped colon


@pytest.mark.slow
@pytest.mark.parametrize("shell", SHELLS)
def test_tab_never_runs_what_a_note_holds(shell: str, tmp_path: Path) -> None:
    """Tab on ``diary edit`` in a real shell, with a diary of hostile notes and lists: the
    ids come, and no command in them runs."""
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs it)")
    home = _hostile_diary(tmp_path)
    child = _shell(shell, home, tmp_path)
    try:
        for typed in ("crampcli diary edit ", "crampcli diary delete 1"):
            child.send(typed + "\t\t")
            child.expect_exact("10")  # the ids listed (or inserted): completion ran
            time.sleep(1)  # anything the shell would evaluate has had its time
            _give_up_the_line(child)
    finally:
        child.close(force=True)
    assert not list(tmp_path.glob("PWNED*"))


def _install(
    shell: str, home: Path, file_limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``crampcli --install-completion SHELL`` with HOME at ``home``; with ``file_limit`` no
    file can grow past that many bytes (RLIMIT_FSIZE: each write beyond it fails with EFBIG,
    as on a full disk, part of it written)."""
    import resource

    def limit() -> None:
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [str(BIN / "crampcli"), "--install-completion", shell],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home)},
        preexec_fn=limit,
        check=False,
    )


RC = {"bash": ".bashrc", "zsh": ".zshrc"}


@pytest.mark.parametrize("shell", RC)
def test_a_failed_install_leaves_the_start_up_file_byte_for_byte(
    shell: str, tmp_path: Path
) -> None:
    """A write that fails half way (the disk full) leaves the user's own start-up file as it
    was, every byte and its mode, and says so; nothing half written is left beside it."""
    rc = tmp_path / RC[shell]
    mine = b"# mine\nalias ll='ls -l'\n" * 3 + b"export X=1"  # no newline at the end
    rc.write_bytes(mine)
    rc.chmod(0o640)
    done = _install(shell, tmp_path, file_limit=len(mine) + 8)
    assert rc.read_bytes() == mine and rc.stat().st_mode & 0o777 == 0o640
    assert done.returncode == 1, done.stderr
    assert "cannot write" in done.stderr and "left as it was" in done.stderr
    assert "Traceback" not in done.stderr
    assert not [p.name for p in tmp_path.rglob("*.tmp")]  # the script, written first, stays


@pytest.mark.parametrize("shell", RC)
def test_install_adds_its_lines_once_and_keeps_a_symlinked_start_up_file(
    shell: str, tmp_path: Path
) -> None:
    """The lines go at the end of the file the link points to (dotfiles kept elsewhere), the
    link stays, the mode stays, and installing again changes nothing."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / RC[shell]
    mine = b"# mine\nexport X=1"
    real.write_bytes(mine)
    real.chmod(0o600)
    (tmp_path / RC[shell]).symlink_to(real)
    assert _install(shell, tmp_path).returncode == 0
    first = real.read_bytes()
    assert first.startswith(mine + b"\n") and first.endswith(b"\n") and len(first) > len(mine) + 20
    assert (tmp_path / RC[shell]).is_symlink() and real.stat().st_mode & 0o777 == 0o600
    assert _install(shell, tmp_path).returncode == 0
    assert real.read_bytes() == first


@pytest.mark.parametrize(
    "text",
    [
        "a\\$(x)",
        "`x`",
        "a'b",
        'a"b',
        "a:b",
        "a\nb",
        "a\x1bb",
        "*",
        "a;b",
        "a{b}",
        "a|b",
        " a",
        "a\u202eb",
    ],
)
def test_a_value_a_shell_could_read_as_syntax_is_not_offered(text: str) -> None:
    from crampcli.commands.shells import inert_help, inert_value

    assert not inert_value(text)
    assert not set(inert_help(text)) & set("\\$`'\"\n\x1b*{}|\u202e")


def test_plain_values_and_descriptions_are_offered_as_they_are() -> None:
    from crampcli.commands.shells import inert_help, inert_value

    for value in ("co amilofruse", "after-exercise", "IE", "10", "--sign", "crème"):
        assert inert_value(value)
    assert not inert_value("crème", utf8=False)
    assert (
        inert_help("Tue 01 Dec 2026 03:00, 3 min (left)") == "Tue 01 Dec 2026 03:00, 3 min (left)"
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the folder to another user")
def test_install_refuses_a_home_or_start_up_file_of_another_user(tmp_path: Path) -> None:
    """`sudo crampcli --install-completion` keeping HOME: the files stay the user's, untouched,
    rather than become root's."""
    rc = tmp_path / ".bashrc"
    rc.write_bytes(b"# theirs\n")
    os.chown(rc, 65534, 65534)
    done = _install("bash", tmp_path)
    assert done.returncode == 1 and "belongs to another user" in done.stderr, done.stderr
    assert rc.read_bytes() == b"# theirs\n" and rc.stat().st_uid == 65534
    os.chown(tmp_path, 65534, 65534)
    done = _install("zsh", tmp_path)
    assert done.returncode == 1 and "belongs to another user" in done.stderr, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".bashrc"]


# --- issue 20, round 5: where install writes, and what it writes (N7, N8, N9) -----------------

# The folder each shell's script goes in, under HOME
SCRIPT_DIR = {"bash": ".bash_completions", "zsh": ".zfunc", "fish": ".config/fish/completions"}
# A command run by a real shell started with its start-up files, and what it prints once
# crampcli's completion is loaded
LOADED = {
    "bash": (["bash", "-i", "-c", "complete -p crampcli"], "crampcli"),
    "zsh": (["zsh", "-i", "-c", "print -r -- ${_comps[crampcli]}"], "_crampcli"),
    "fish": (["fish", "-c", "complete -C 'crampcli diar'"], "diary"),
}


def _install_with(shell: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "crampcli"), "--install-completion", shell],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home), **env},
        check=False,
    )


def _started(shell: str, home: Path, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """SHELL started as a user's would be (reading its start-up files), asked whether crampcli
    completes."""
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (.ci/run installs it)")
    argv, _ = LOADED[shell]
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        env={
            "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
            "HOME": str(home),
            "TERM": "dumb",
            "LANG": "C.UTF-8",
            **env,
        },
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("whose", ["others can write it", "someone else's"])
def test_install_refuses_a_folder_someone_else_could_change(
    shell: str, whose: str, tmp_path: Path
) -> None:
    """Another user who can change the folder the script goes in (theirs, or one they may
    write) could put their commands in it, run by our next shell: refused, nothing written."""
    if whose == "someone else's" and os.geteuid() != 0:
        pytest.skip("needs root to give the folder to another user")
    folder = tmp_path / SCRIPT_DIR[shell]
    folder.mkdir(parents=True)
    if whose == "someone else's":
        os.chown(folder, 65534, 65534)
    else:
        folder.chmod(0o777)
    done = _install_with(shell, tmp_path)
    assert done.returncode == 1, done.stderr
    said = "belongs to another user" if whose == "someone else's" else "others can write"
    assert said in done.stderr and str(folder) in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert list(folder.iterdir()) == [] and not (tmp_path / RC.get(shell, ".nothing")).exists()


@pytest.mark.parametrize("shell", RC)
def test_install_refuses_a_home_or_start_up_file_others_can_write(
    shell: str, tmp_path: Path
) -> None:
    """A home others can write (even sticky: they could make the script's folder first), or a
    start-up file they can write: refused, the file left as it was."""
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o1777)
    done = _install_with(shell, home)
    assert done.returncode == 1 and "others can write" in done.stderr, done.stderr
    assert list(home.iterdir()) == []
    home.chmod(0o700)
    rc = home / RC[shell]
    rc.write_bytes(b"# mine\n")
    rc.chmod(0o666)
    done = _install_with(shell, home)
    assert done.returncode == 1 and "others can write" in done.stderr, done.stderr
    assert rc.read_bytes() == b"# mine\n" and sorted(p.name for p in home.iterdir()) == [rc.name]


@pytest.mark.parametrize("shell", SHELLS)
def test_install_makes_missing_folders_private_whatever_the_umask(
    shell: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    old = os.umask(0)
    try:
        done = _install_with(shell, home)
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    folder = home / SCRIPT_DIR[shell]
    made = [home, *(home / p for p in Path(SCRIPT_DIR[shell]).parents if str(p) != "."), folder]
    assert {p: oct(p.stat().st_mode & 0o777) for p in made} == {p: "0o700" for p in made}
    assert [oct(p.stat().st_mode & 0o777) for p in folder.iterdir()] == ["0o600"]


HOSTILE_HOME = "o'brien $(touch PWNED) `touch PWNED2` ;touch PWNED3;'\nnext line"


@pytest.mark.parametrize("shell", SHELLS)
def test_a_home_with_quotes_and_commands_is_quoted_for_the_shell(
    shell: str, tmp_path: Path
) -> None:
    """A home holding a quote, `$(...)`, a backquote, a space and a newline: the installed
    lines neither break the start-up file nor run anything, and completion loads."""
    home = tmp_path / HOSTILE_HOME
    home.mkdir()
    assert _install_with(shell, home).returncode == 0
    started = _started(shell, home, tmp_path)
    assert started.returncode == 0, started.stderr
    assert LOADED[shell][1] in started.stdout, (started.stdout, started.stderr)
    assert "syntax error" not in started.stderr and "unexpected EOF" not in started.stderr
    assert not list(tmp_path.rglob("PWNED*"))


def test_zsh_install_writes_the_zshrc_of_zdotdir(tmp_path: Path) -> None:
    zdot = tmp_path / "zdot"
    done = _install_with("zsh", tmp_path, ZDOTDIR=str(zdot))
    assert done.returncode == 0, done.stderr
    assert (zdot / ".zshrc").is_file() and not (tmp_path / ".zshrc").exists()
    assert f"loaded by {zdot / '.zshrc'}" in done.stderr
    started = _started("zsh", tmp_path, tmp_path, ZDOTDIR=str(zdot))
    assert LOADED["zsh"][1] in started.stdout, (started.stdout, started.stderr)


def test_fish_install_writes_into_xdg_config_home(tmp_path: Path) -> None:
    """fish reads $XDG_CONFIG_HOME/fish when it is set; a relative one is ignored, as XDG
    says (and as fish would read it from wherever it starts)."""
    config = tmp_path / "config"
    done = _install_with("fish", tmp_path, XDG_CONFIG_HOME=str(config))
    assert done.returncode == 0, done.stderr
    script = config / "fish" / "completions" / "crampcli.fish"
    assert script.is_file() and not (tmp_path / ".config").exists()
    assert f"installed in {script}" in done.stderr
    started = _started("fish", tmp_path, tmp_path, XDG_CONFIG_HOME=str(config))
    assert LOADED["fish"][1] in started.stdout, (started.stdout, started.stderr)
    done = _install_with("fish", tmp_path, XDG_CONFIG_HOME="relative")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / ".config" / "fish" / "completions" / "crampcli.fish").is_file()
