"""The diary at 1,000,000 entries: import, export and undo, timed, with each run's own peak
memory.

    python benchmarks/diary_scale.py [--entries 1000000] [--check]

Writes a made-up JSON export of ``--entries`` entries over ten years (streamed, in this
process), then runs each command once, in its own process, as the console script does, and
reports its wall time and peak memory (VmHWM from the exec on: never the pages of the
benchmark it was forked from):

- ``diary import`` of the whole export into an empty diary (JSON, read as a stream);
- ``diary export`` of the full diary, as JSON and as CSV, to a file;
- ``diary import`` of a 3-entry file into the full diary, and ``diary undo`` of it;
- ``diary undo`` of the big import (its message must stay one line).

``--check`` exits 1 when a goal of issue 20 is missed: import and export each under
MEMORY_BAR_MIB whatever the size (streamed: constant memory), the small import under
SMALL_BAR_S, and every undo message one line. (The stats and report rows are issue 22's.)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

if not __package__:  # run as a file (python benchmarks/diary_scale.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.diary import made_up_entry
from benchmarks.scale import run_peak

MEMORY_BAR_MIB = 100
SMALL_BAR_S = 0.3


def write_export(path: Path, count: int, seed: int = 20) -> None:
    """A diary export of ``count`` plausible entries with ids, oldest first, written as it is
    made."""
    rng = random.Random(seed)
    end = datetime.now(timezone.utc) - timedelta(hours=1)
    span = timedelta(days=3650)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"format": "crampcli-diary", "version": 1, "entries": [\n')
        for n in range(count):
            at = end - span * ((count - n) / count)
            row = {"id": n + 1, **made_up_entry(rng, at)}
            out.write(("" if n == 0 else ",\n") + json.dumps(row))
        out.write("\n]}\n")


def crampcli_output(args: list[str], env: dict[str, str]) -> str:
    """What ``crampcli ARGS`` says, stdout and stderr (for the undo messages)."""
    crampcli = Path(sys.executable).with_name("crampcli")
    done = subprocess.run(
        [str(crampcli), *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"crampcli {shlex.join(args)} failed:\n{done.stderr}")
    return done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=1_000_000, help="diary size")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args()

    rows: list[tuple[str, float, int]] = []
    ok = True
    with tempfile.TemporaryDirectory(prefix="crampcli-diary-scale-") as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "CRAMPCLI_HOME": str(folder / "home"),
            "CRAMPCLI_CACHE_DIR": str(folder / "cache"),
            "COLUMNS": "80",
        }
        big = folder / "big.json"
        start = time.perf_counter()
        write_export(big, args.entries)
        made = time.perf_counter() - start
        print(
            f"made {big.name}: {args.entries:,} entries, {big.stat().st_size / 2**20:.0f} MiB, "
            f"in {made:.1f} s; Python {sys.version.split()[0]} on {os.cpu_count()} CPUs",
            file=sys.stderr,
            flush=True,
        )
        small = folder / "small.json"
        small.write_text(
            json.dumps(
                {
                    "format": "crampcli-diary",
                    "version": 1,
                    "entries": [
                        {"at": f"2026-01-0{n}T03:00:00+00:00", "minutes": n} for n in (1, 2, 3)
                    ],
                }
            ),
            encoding="utf-8",
        )

        def timed(label: str, *cli: str) -> None:
            print(f"  {label} ...", file=sys.stderr, flush=True)
            elapsed, kib, code = run_peak(list(cli), env)
            if code != 0:
                raise SystemExit(f"crampcli {shlex.join(cli)} exited {code}")
            rows.append((label, elapsed, kib))

        timed(f"diary import ({args.entries:,} entries, JSON)", "diary", "import", str(big))
        timed("diary export --format json -o FILE", "diary", "export", "-o", str(folder / "o.json"))
        timed("diary export --format csv -o FILE", "diary", "export", "-o", str(folder / "o.csv"))
        timed("diary import (3 entries) into the full diary", "diary", "import", str(small))
        undo_small = crampcli_output(["diary", "undo"], env)
        undo_big = crampcli_output(["diary", "undo"], env)

    print()
    print(f"{'command':<48} {'wall s':>8} {'peak MiB':>9}")
    for label, elapsed, kib in rows:
        print(f"{label:<48} {elapsed:8.2f} {kib / 1024:9.1f}")
    print()
    for label, elapsed, _ in rows:
        if label.startswith("diary import (3"):
            met = elapsed < SMALL_BAR_S
            ok &= met
            print(
                f"small import: {elapsed:.3f} s (goal < {SMALL_BAR_S} s: "
                f"{'met' if met else 'MISSED'})"
            )
    peak = max(kib for _, _, kib in rows) / 1024
    met = peak < MEMORY_BAR_MIB
    ok &= met
    print(
        f"import and export peak memory: {peak:.0f} MiB "
        f"(goal < {MEMORY_BAR_MIB} MiB at any size: {'met' if met else 'MISSED'})"
    )
    for which, message in (("small", undo_small), ("big", undo_big)):
        lines = message.strip().splitlines()
        met = len(lines) == 1 and len(message) < 200
        ok &= met
        print(
            f"undo of the {which} import: {len(message)} characters on {len(lines)} line(s): "
            f"{message.strip()[:90]!r} ({'met' if met else 'MISSED'})"
        )
    print(f"\nreproduce:\n  {shlex.join([sys.executable, *sys.argv])}")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
