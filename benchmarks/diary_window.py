"""`diary stats` and `report` on a diary of 1,000,000 entries: each counts only its window,
in SQLite, so neither time nor memory grows with the diary.

    python benchmarks/diary_window.py [--entries 1000000] [--years 2] [--runs 5] [--check]
                                      [--before CRAMPCLI]

(benchmarks/diary_scale.py times import, export and undo at the same size.)

Fills a fresh diary (``CRAMPCLI_HOME`` in a temporary folder) with ``--entries`` made-up
entries spread evenly over ``--years`` years up to now, written straight into SQLite by a
child process (the schema from ``Diary.open``; an import of that size is not what is timed
here). Two years puts ~77,000 entries in the default 8-week window of `diary stats` and
~38,000 in the report's 4 weeks: a far busier diary than anyone keeps, so the window is the
hard case. Then times each command as benchmarks/startup.py does (stdout to /dev/null, stderr
must stay empty; wall time and the child's own peak memory), side by side, in the same
interleaved rounds, with the same commands on a diary of 100 entries: the ratio is what the
million costs, whatever the machine's load. ``--before`` times another build's `crampcli`
(e.g. the previous commit's) on the same diaries in the same rounds: a before/after in one run,
not two runs on a machine whose load changed in between. ``--check`` exits 1 when `diary stats` or
`report` misses the bar: median under 0.3 s and peak memory under 100 MiB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a file: its sibling by package name
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.startup import Command, child_env, measure, ms

BAR_S = 0.3
BAR_MIB = 100

FILL = """
import random, sqlite3, sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from crampcli.diary.store import COLUMNS, Diary

path, count, years = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
with Diary.open(path):
    pass  # the schema, every migration applied
rng = random.Random(12)
end = datetime.now(timezone.utc)
span = timedelta(days=365 * years)
helped = ["wall stretch", "Wall-Stretch", "massage", "walk it off", ""]
def rows():
    for n in range(count):
        at = end - span * ((count - n) / count)
        yield (at.isoformat(timespec="seconds"), rng.choice(["left", "right", None]),
               rng.choice(["calf", "foot", None]), rng.randint(1, 15), rng.randint(0, 10),
               rng.random() < 0.6, rng.choice([None, 3]), rng.choice(["gym", "heat", ""]),
               rng.choice(helped), rng.choice(["", "atorvastatin"]), "", end.isoformat(),
               rng.random() > 0.05)
db = sqlite3.connect(path)
with db:
    db.executemany(
        f"INSERT INTO cramps ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        rows(),
    )
db.close()
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=1_000_000, help="diary size")
    parser.add_argument("--years", type=float, default=2, help="the span they cover")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs per command first")
    parser.add_argument("--check", action="store_true", help="exit 1 when a bar is missed")
    parser.add_argument("--before", default=None, help="another crampcli to time alongside")
    args = parser.parse_args()

    crampcli = str(Path(sys.executable).parent / "crampcli")
    with tempfile.TemporaryDirectory(prefix="crampcli-diary-scale-") as home:
        small = Path(home) / "small"
        small.mkdir(mode=0o700)  # a diary folder others can write is refused
        env = {  # compiled bytecode read as an installed package would (startup.child_env)
            **child_env(Path(home)),
            "CRAMPCLI_HOME": home,
            "CRAMPCLI_CACHE_DIR": str(Path(home) / "cache"),
        }
        for folder, count in ((Path(home), args.entries), (small, 100)):
            subprocess.run(
                [sys.executable, "-c", FILL, str(folder / "diary.sqlite3"), str(count),
                 str(args.years * count / args.entries)],
                check=True,
            )  # fmt: skip
        size = (Path(home) / "diary.sqlite3").stat().st_size
        stats = Command("crampcli diary stats", [crampcli, "diary", "stats"])
        report = Command("crampcli report", [crampcli, "report"])
        at_small = {"CRAMPCLI_HOME": str(small)}  # 100 entries, all in the window
        commands = [
            Command("python -c pass", [sys.executable, "-c", "pass"]),
            Command("crampcli diary --limit 20", [crampcli, "diary", "--limit", "20"]),
            stats,
            Command("  100 entries", [crampcli, "diary", "stats"], env=at_small),
            Command("crampcli diary stats --json", [crampcli, "diary", "stats", "--json"]),
            report,
            Command("  100 entries", [crampcli, "report"], env=at_small),
        ]
        before = [
            Command(f"before: {' '.join(c.argv[1:])}", [args.before, *c.argv[1:]])
            for c in (stats, report)
            if args.before
        ]
        commands += before
        print(
            f"diary: {args.entries:,} entries over {args.years:g} years ({size / 2**20:.0f} MiB); "
            f"runs: {args.runs} per command after {args.warmup} warm-up; CPUs: {os.cpu_count()}"
        )
        measure(commands, env, args.runs, args.warmup)
    print(f"\n{'command':<32} {'median ms':>9} {'max ms':>7} {'peak MiB':>8}")
    for cmd in commands:
        peak = max(cmd.rss_kib) / 1024
        print(
            f"{cmd.label:<32} {ms(statistics.median(cmd.times)):>9} {ms(max(cmd.times)):>7} "
            f"{peak:8.1f}"
        )
    for big, little in ((stats, commands[3]), (report, commands[6])):
        ratio = statistics.median(big.times) / statistics.median(little.times)
        print(f"{big.label}: {ratio:.2f}x the time on a 100-entry diary, same run")
    for now, then in zip((stats, report), before, strict=False):  # before: none, or both
        ratio = statistics.median(now.times) / statistics.median(then.times)
        print(f"{now.label}: {ratio:.2f}x the time of {args.before}, same run")
    missed = [
        c.label
        for c in (stats, report)
        if statistics.median(c.times) >= BAR_S or max(c.rss_kib) / 1024 >= BAR_MIB
    ]
    print(f"\nbar: median under {BAR_S} s and peak under {BAR_MIB} MiB for stats and report: "
          + (f"missed by {', '.join(missed)}" if missed else "met"))  # fmt: skip
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
