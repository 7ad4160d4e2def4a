"""The diary at 10,000 entries: `diary stats` and `log` against the naive start-up script.

    python benchmarks/diary.py [--entries 10000] [--runs 20] [--warmup 3] [--cache-dir DIR]
                               [--check]

Fills a fresh diary (``CRAMPCLI_HOME`` in a temporary folder) with ``--entries`` made-up
entries over two years, through ``crampcli diary import`` (one transaction), then times each
command as benchmarks/startup.py does (same naive script and venv, same interleaved rounds,
stdout to /dev/null, stderr must hold no error) and prints the figures side by side from one run.
Every timed ``log`` adds an entry, so the diary grows by ``runs + warmup`` while measured.
Ratios pair the runs of one round (each command's time over the naive script's in the same
round, then the median): a noisy round moves both sides and cannot flip a verdict alone.
``--check`` exits 1 when a bar is missed: ``diary stats`` median under 0.3 s, and ``log``
within the start-up bar of a first run, 0.5 times the naive script (the bar of a search that
is not replayed, in force when the diary was asked for). ``log`` can never be replayed by the
render cache (it writes), so the replayed-search bar of benchmarks/startup.py (``RATIO_BAR``)
is printed for comparison only: ``import typer`` alone comes close to it. The table also shows
a first ``search`` (render cache off), and ``log`` with the garbage collector left on.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

if not __package__:  # run as a file (python benchmarks/diary.py): its sibling by package name
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.startup import (
    QUERY,
    RATIO_BAR,
    Command,
    child_env,
    collector_on,
    default_cache_dir,
    ensure_naive,
    measure,
    paired_ratio,
    print_table,
    run_once,
    versions,
)

STATS_BAR_S = 0.3
LOG_BAR = 0.5  # a first run's start-up bar: what a search without the render cache must meet


def made_up_entry(rng: random.Random, at: datetime) -> dict[str, object]:
    """One plausible diary entry at ``at``, as an export holds it (without an id)."""
    return {
        "at": at.isoformat(timespec="seconds"),
        "leg": rng.choice(["left", "right", "both", None]),
        "where": rng.choice(["calf", "foot", "thigh", None]),
        "minutes": round(rng.uniform(0.2, 15), 1),
        "pain": rng.randint(0, 10),
        "woke": rng.random() < 0.6,
        "sleep": rng.choice([None, rng.randint(0, 10)]),
        "triggers": rng.sample(["exercise", "heat", "standing", "cold"], rng.randint(0, 2)),
        "helped": rng.sample(["wall-stretch", "walking", "massage"], rng.randint(0, 2)),
        "medicines": rng.choice([[], ["atorvastatin"], ["furosemide", "ramipril"]]),
        "note": rng.choice(["", "after a long walk", "hot night"]),
    }


def made_up(count: int, seed: int = 12) -> str:
    """A diary export of ``count`` plausible entries, oldest first, ending an hour ago."""
    rng = random.Random(seed)
    end = datetime.now(timezone.utc) - timedelta(hours=1)
    rows = [
        made_up_entry(rng, end - timedelta(days=730 * (count - n) / count)) for n in range(count)
    ]
    return json.dumps({"format": "crampcli-diary", "version": 1, "entries": rows})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=10_000, help="diary size")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per command")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per command first")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where the naive venv lives")
    parser.add_argument("--check", action="store_true", help="exit 1 when a bar is missed")
    args = parser.parse_args()

    cache = (args.cache_dir or default_cache_dir()).expanduser().resolve()
    script, naive_python = ensure_naive(cache, refresh=False)
    crampcli = str(Path(sys.executable).parent / "crampcli")
    with tempfile.TemporaryDirectory(prefix="crampcli-diary-bench-") as home:
        env = {**child_env(cache), "CRAMPCLI_HOME": home}
        export = Path(home) / "made-up.json"
        # Made in a child: the entries would swell this process, and each timed child's peak
        # memory counts the pages it starts with (fork before exec).
        code = "import sys; from benchmarks.diary import made_up; print(made_up(int(sys.argv[1])))"
        with export.open("w", encoding="utf-8") as out:
            subprocess.run(
                [sys.executable, "-c", code, str(args.entries)],
                stdout=out,
                check=True,
                cwd=Path(__file__).resolve().parents[1],
            )
        fill = Command("fill", [crampcli, "diary", "import", str(export)])
        fill_s, _ = run_once(fill, env)
        naive = Command(
            "naive script (latest Typer): search calcium",
            [str(naive_python), str(script), "search", QUERY],
        )
        # The diary commands are never replayed from the render cache: compare with a first run.
        cold = Command(
            "crampcli search calcium (render cache off)",
            [crampcli, "search", QUERY],
            env={"CRAMPCLI_RENDER_CACHE": "0"},
        )
        log_args = ["log", "--minutes", "3", "--pain", "5"]
        log = Command("crampcli log --minutes 3 --pain 5", [crampcli, *log_args])
        stats = Command("crampcli diary stats", [crampcli, "diary", "stats"])
        commands = [
            Command("python -c pass", [sys.executable, "-c", "pass"]),
            # The floor of any run that parses its arguments: crampcli's Typer, imported.
            Command("python -c 'import typer'", [sys.executable, "-c", "import typer"]),
            naive,
            Command("crampcli search calcium", [crampcli, "search", QUERY]),
            cold,
            log,
            Command("crampcli log ... (collector on)", collector_on(log_args)),
            stats,
            Command("crampcli diary stats --json", [crampcli, "diary", "stats", "--json"]),
            Command("crampcli diary --limit 20", [crampcli, "diary", "--limit", "20"]),
            Command("crampcli report", [crampcli, "report"]),
        ]
        print(f"naive venv:  {versions(naive_python)}")
        print(f"crampcli:    {versions(sys.executable)}  ({crampcli})")
        print(
            f"diary: {args.entries} entries over two years, imported in {fill_s:.2f} s; "
            f"runs: {args.runs} per command after {args.warmup} warm-up; CPUs: {os.cpu_count()}"
        )
        measure(commands, env, args.runs, args.warmup)

    print_table(commands, naive, width=46)
    stats_s = statistics.median(stats.times)
    ratio = paired_ratio(log, naive)
    ok_stats, ok_ratio = stats_s < STATS_BAR_S, ratio <= LOG_BAR
    print()
    print(
        f"diary stats, {args.entries} entries: {stats_s:.3f} s  "
        f"(bar < {STATS_BAR_S} s: {'met' if ok_stats else 'MISSED'})"
    )
    cold_ratio = paired_ratio(cold, naive)
    print(
        f"crampcli log / naive search: {ratio:.2f}  "
        f"(first-run bar <= {LOG_BAR}: {'met' if ok_ratio else 'MISSED'}; "
        f"a first search, render cache off: {cold_ratio:.2f})"
    )
    floor = paired_ratio(commands[1], naive)
    print(
        f"  for comparison: the replayed-search bar {RATIO_BAR}; python -c 'import typer' "
        f"alone {floor:.2f}"
    )
    print(f"\nreproduce:\n  {shlex.join([sys.executable, *sys.argv])}")
    return 1 if args.check and not (ok_stats and ok_ratio) else 0


if __name__ == "__main__":
    sys.exit(main())
