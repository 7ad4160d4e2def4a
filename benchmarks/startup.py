"""Start-up cost of crampcli against a naive Typer + Rich + rapidfuzz script, side by side.

    python benchmarks/startup.py [--runs 30] [--warmup 3] [--cache-dir DIR] [--check]

The first run creates a virtual environment with the *current* releases of Typer, Rich and
rapidfuzz from PyPI (``pip install typer rich rapidfuzz``, unpinned) under the cache directory
(default ``$XDG_CACHE_HOME/crampcli-bench`` or ``~/.cache/crampcli-bench``) and writes the naive
script there; later runs reuse both (``--refresh`` rebuilds them).

Every command runs ``--runs`` times after ``--warmup`` untimed runs, in interleaved rounds (each
round runs every command once, in a shuffled order), so that a busy machine slows all of them
alike. stdout goes to /dev/null (crampcli then prints plain text; the naive script still draws
its Rich panels), or, for the "(terminal)" rows, to a pseudo-terminal of 50 x 80 that is read
to the end (both then draw Rich panels); stderr is captured and must hold no error. The warm-up
runs fill crampcli's render cache (see src/crampcli/rendercache.py), so the plain rows measure
a repeated command; the "(render cache off)" rows (``CRAMPCLI_RENDER_CACHE=0``) measure a
first run, which parses arguments, loads the knowledge base and renders. Wall time is measured
around spawn-to-exit with ``time.perf_counter``; peak memory is the child's ``ru_maxrss`` from
``os.wait4``. Children get ``PYTHONPYCACHEPREFIX`` pointing into the cache directory, so every
interpreter reads compiled bytecode as an installed package would, even from an editable
install or with ``PYTHONDONTWRITEBYTECODE`` set, and nothing is written into the repository.

crampcli is the ``crampcli`` script next to the running interpreter (``--crampcli`` to change).
The same naive script is also timed with this interpreter's Typer (the version crampcli pins).
``--check`` exits 1 when a bar is missed: ``search`` at most 0.35x the naive script (current
Typer), piped and on a terminal, and peak memory of ``crampcli search calcium`` under 40 MiB.
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

RATIO_BAR = 0.35
PTY_ROWS, PTY_COLUMNS = 50, 80
RSS_BAR_MIB = 40.0
QUERY = "calcium"

NAIVE_SCRIPT = '''\
"""The naive leg-cramp search: Typer + Rich + rapidfuzz, one command, three panels."""

import typer
from rapidfuzz import process
from rich.console import Console
from rich.panel import Panel

ARTICLES = {
    "Low calcium (hypocalcaemia)": "Very low blood calcium makes nerves and muscles twitchy.",
    "Dehydration": "Losing more water than you drink, through sweat, heat or illness.",
    "Low magnesium": "Low magnesium in the blood can make muscles more excitable.",
    "Low potassium": "Vomiting, diarrhoea or water pills can lower potassium.",
    "Overused muscles": "Hard or unusual exercise tires a muscle until it locks up.",
    "Sitting or standing still": "Long hours in one position shorten the calf muscles.",
    "Pregnancy": "Cramps are common in the second half of pregnancy.",
    "Older age": "Muscles and tendons shorten with age; night cramps become common.",
    "Medicines (statins, diuretics)": "Some medicines list muscle cramps as a side effect.",
    "Stretch the calf": "Pull your toes towards your knee and hold for 30 seconds.",
    "Walk it off": "Stand up and walk around, then jiggle the leg.",
    "Deep vein thrombosis": "A painful, swollen, warm calf may be a blood clot: get help.",
}

app = typer.Typer()


@app.callback()
def main() -> None:
    """Leg cramps, the naive way."""


@app.command()
def search(query: str) -> None:
    """Fuzzy-match QUERY over the titles and print the top three."""
    console = Console()
    for title, score, _ in process.extract(query, list(ARTICLES), limit=3):
        console.print(Panel(ARTICLES[title], title=f"{title} ({score:.0f})"))


if __name__ == "__main__":
    app()
'''


@dataclass
class Command:
    label: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)  # added to the common environment
    terminal: bool = False  # stdout on a pseudo-terminal instead of /dev/null
    times: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)

    def shell(self) -> str:
        prefix = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        return (prefix + " " if prefix else "") + shlex.join(self.argv)


def collector_on(args: list[str]) -> list[str]:
    """``crampcli ARGS`` with Python's cyclic garbage collector left on, as it was before the
    entry point turned it off for the run: the row that shows what that buys."""
    code = "import sys; sys.argv[0] = 'crampcli'; from crampcli import launch; launch.run()"
    return [sys.executable, "-c", code, *args]


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "crampcli-bench"


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_naive(cache: Path, refresh: bool) -> tuple[Path, Path]:
    """The naive script and the interpreter of a venv with the latest Typer, Rich, rapidfuzz."""
    cache.mkdir(parents=True, exist_ok=True)
    script = cache / "naive_search.py"
    if refresh or not script.exists() or script.read_text(encoding="utf-8") != NAIVE_SCRIPT:
        script.write_text(NAIVE_SCRIPT, encoding="utf-8")
    venv = cache / "naive-venv"
    python = venv_python(venv)
    marker = venv / ".installed"
    if refresh or not marker.exists():
        print(f"creating {venv} with the current typer, rich, rapidfuzz from PyPI ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "typer", "rich", "rapidfuzz"], check=True)
        marker.write_text("ok\n", encoding="utf-8")
    return script, python


def versions(python: Path | str) -> str:
    code = (
        "import importlib.metadata as m\n"
        "print(' '.join(f'{p} {m.version(p)}' for p in ('typer', 'rich', 'rapidfuzz')))"
    )
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _pty() -> tuple[int, int]:
    """A pseudo-terminal of PTY_ROWS x PTY_COLUMNS: (parent side, child side)."""
    import fcntl
    import pty
    import struct
    import termios

    parent, child = pty.openpty()
    size = struct.pack("HHHH", PTY_ROWS, PTY_COLUMNS, 0, 0)
    fcntl.ioctl(child, termios.TIOCSWINSZ, size)
    return parent, child


def _drain(fd: int) -> None:
    """Read a pseudo-terminal until the child side is closed (EIO on Linux)."""
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return


def run_once(cmd: Command, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run; stdout to /dev/null or a pseudo-terminal."""
    parent = child = None
    if cmd.terminal:
        parent, child = _pty()
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd.argv,
        stdin=subprocess.DEVNULL,
        stdout=child if child is not None else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**env, **cmd.env},
    )
    if child is not None:
        os.close(child)
    assert proc.stderr is not None
    if parent is not None:
        _drain(parent)
        os.close(parent)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    proc.stderr.close()
    # a message on stderr is fine (the disclaimer goes there when piped); an error is not
    if proc.returncode != 0 or err.startswith(b"crampcli:") or b"Traceback" in err:
        raise SystemExit(
            f"{cmd.shell()} failed (exit {proc.returncode}):\n{err.decode(errors='replace')}"
        )
    return elapsed, usage.ru_maxrss  # KiB on Linux


def child_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in (
        "FORCE_COLOR",
        "NO_COLOR",
        "CRAMPCLI_DATA",
        "CRAMPCLI_RENDER_CACHE",
        "PYTHONPROFILEIMPORTTIME",
    ):
        env.pop(name, None)
    env["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    env["COLUMNS"] = "80"
    env["CRAMPCLI_CACHE_DIR"] = str(cache / "index-cache")
    return env


def measure(commands: list[Command], env: dict[str, str], runs: int, warmup: int) -> None:
    rng = random.Random(4)
    for _ in range(warmup):
        for cmd in commands:
            run_once(cmd, env)
    for _ in range(runs):
        order = commands[:]
        rng.shuffle(order)
        for cmd in order:
            elapsed, rss = run_once(cmd, env)
            cmd.times.append(elapsed)
            cmd.rss_kib.append(rss)


def paired_ratio(cmd: Command, base: Command) -> float:
    """The median of ``cmd``'s time over ``base``'s within each round: both ran in the same
    round, moments apart, so a noisy round moves both and cannot flip a verdict alone."""
    return statistics.median(a / b for a, b in zip(cmd.times, base.times, strict=True))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def print_table(commands: list[Command], naive: Command, width: int = 56) -> float:
    """One row per command: median, min, times the naive script, peak memory. Returns the
    naive script's median, the base of the ratios."""
    base = statistics.median(naive.times)
    print()
    print(f"{'command':<{width}} {'median ms':>9} {'min ms':>7} {'x naive':>7} {'peak MiB':>8}")
    for cmd in commands:
        med = statistics.median(cmd.times)
        rss = statistics.median(cmd.rss_kib) / 1024
        print(
            f"{cmd.label:<{width}} {ms(med):>9} {ms(min(cmd.times)):>7} {med / base:7.2f} "
            f"{rss:8.1f}"
        )
    return base


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=30, help="timed runs per command")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per command first")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where the venv lives")
    parser.add_argument("--refresh", action="store_true", help="rebuild the naive venv")
    parser.add_argument("--crampcli", default=None, help="crampcli executable to measure")
    parser.add_argument("--check", action="store_true", help="exit 1 when a bar is missed")
    args = parser.parse_args()

    cache = (args.cache_dir or default_cache_dir()).expanduser().resolve()
    script, naive_python = ensure_naive(cache, args.refresh)
    name = "crampcli.exe" if os.name == "nt" else "crampcli"
    crampcli = args.crampcli or str(Path(sys.executable).parent / name)
    if not Path(crampcli).exists():
        print(f"no crampcli at {crampcli}; install the package or pass --crampcli", file=sys.stderr)
        return 2

    naive = Command(
        "naive script (latest Typer): search calcium",
        [str(naive_python), str(script), "search", QUERY],
    )
    naive_pinned = Command(
        "naive script (crampcli's Typer): search calcium",
        [sys.executable, str(script), "search", QUERY],
    )
    search = Command("crampcli search calcium", [crampcli, "search", QUERY])
    naive_tty = Command(
        "naive script (latest Typer): search calcium (terminal)",
        [str(naive_python), str(script), "search", QUERY],
        terminal=True,
    )
    search_tty = Command(
        "crampcli search calcium (terminal)", [crampcli, "search", QUERY], terminal=True
    )
    no_cache = {"CRAMPCLI_RENDER_CACHE": "0"}
    cold = Command(
        "crampcli search calcium (render cache off)", [crampcli, "search", QUERY], env=no_cache
    )
    cold_gc = Command(
        "crampcli search calcium (render cache off, collector on)",
        collector_on(["search", QUERY]),
        env=no_cache,
    )
    cold_tty = Command(
        "crampcli search calcium (terminal, render cache off)",
        [crampcli, "search", QUERY],
        env=no_cache,
        terminal=True,
    )
    commands = [
        Command("python -c pass", [sys.executable, "-c", "pass"]),
        Command("python -c 'import typer'", [sys.executable, "-c", "import typer"]),
        naive,
        naive_pinned,
        naive_tty,
        search,
        search_tty,
        cold,
        cold_gc,
        cold_tty,
        Command(
            "crampcli search calcium (FORCE_COLOR=1: Rich panels)",
            [crampcli, "search", QUERY],
            env={"FORCE_COLOR": "1"},
        ),
        Command("crampcli --help", [crampcli, "--help"]),
        Command("crampcli causes --brief", [crampcli, "causes", "--brief"]),
        Command("crampcli relieve --now --no-timer", [crampcli, "relieve", "--now", "--no-timer"]),
    ]
    env = child_env(cache)
    print(f"naive venv:  {versions(naive_python)}  ({naive_python})")
    print(f"crampcli:    {versions(sys.executable)}  ({crampcli})")
    print(
        f"runs: {args.runs} per command after {args.warmup} warm-up, interleaved; "
        f"stdout to /dev/null; CPUs: {os.cpu_count()}"
    )
    measure(commands, env, args.runs, args.warmup)

    base = print_table(commands, naive)

    ratio = statistics.median(search.times) / base
    tty_ratio = statistics.median(search_tty.times) / statistics.median(naive_tty.times)
    rss_max = max(search.rss_kib) / 1024
    ok_ratio = ratio <= RATIO_BAR and tty_ratio <= RATIO_BAR
    ok_rss = rss_max < RSS_BAR_MIB
    print()
    for label, value in (("piped", ratio), ("terminal", tty_ratio)):
        print(
            f"crampcli search / naive search (latest Typer), {label}: {value:.2f}  "
            f"(bar <= {RATIO_BAR}: {'met' if value <= RATIO_BAR else 'MISSED'})"
        )
    cold_ratio = statistics.median(cold.times) / base
    cold_tty_ratio = statistics.median(cold_tty.times) / statistics.median(naive_tty.times)
    print(
        f"  the same with the render cache off (a first run): piped {cold_ratio:.2f}, "
        f"terminal {cold_tty_ratio:.2f}"
    )
    print(
        f"peak memory of crampcli search calcium (worst run): {rss_max:.1f} MiB  "
        f"(bar < {RSS_BAR_MIB:.0f} MiB: {'met' if ok_rss else 'MISSED'})"
    )
    pinned = statistics.median(search.times) / statistics.median(naive_pinned.times)
    print(f"crampcli search / naive search (crampcli's pinned Typer): {pinned:.2f}")

    prefix = f"PYTHONPYCACHEPREFIX={shlex.quote(env['PYTHONPYCACHEPREFIX'])} COLUMNS=80"
    print()
    print("reproduce:")
    print(f"  {shlex.join([sys.executable, *sys.argv])}")
    print("  or, one command at a time, with hyperfine:")
    print(f"  {prefix} hyperfine -N --warmup 3 --runs 30 \\")
    plain = [c for c in commands if not c.env and not c.terminal]
    print("    " + " \\\n    ".join(shlex.quote(c.shell()) for c in plain))
    print(f"  {prefix} /usr/bin/time -v {search.shell()} >/dev/null  # Maximum resident set size")
    if args.check and not (ok_ratio and ok_rss):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
