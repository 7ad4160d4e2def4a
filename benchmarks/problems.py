"""Peak memory of `crampcli validate` and `crampcli diary import` on files with a great many
problems: what keeping the first problems and counting the rest (crampcli/problems.py) saves.

    python benchmarks/problems.py [--entries 1000000] [--rows 2000000] [--crampcli PATH]

Writes, in a temporary folder, a knowledge base of ``--entries`` entries ``{"id": "x"}`` (five
problems each, and one id repeated ``--entries`` times), one of as many entries with ids of
their own (``{"id": "x0"}``, ``{"id": "x1"}``...: nothing repeated, every id kept while it is
checked) and a diary CSV of ``--rows`` rows with a bad time each, then runs each command once
and prints its time, its own peak resident memory (the child's ``ru_maxrss`` from ``wait4``,
the figure ``/usr/bin/time -v`` prints) and the last line it wrote to stderr. The files are
written a piece at a time: Linux counts what the benchmark itself holds when it starts a child
in that child's peak, so the benchmark stays small. ``--crampcli`` runs another install (say
an older checkout's) to put its figures beside these; docs/knowledge-base.md quotes both.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Seconds, peak MiB and the last line of stderr of one run of ``argv``."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, _, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = 0  # reaped by wait4: Popen must not wait again
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    return seconds, usage.ru_maxrss / 1024, lines[-1] if lines else ""


def _write(path: Path, head: str, items: Iterator[str], tail: str) -> None:
    """``head``, every item, then ``tail``, 10,000 items at a time."""
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        while chunk := "".join(itertools.islice(items, 10_000)):
            out.write(chunk)
        out.write(tail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--crampcli", default=str(Path(sys.executable).parent / "crampcli"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kb = folder / "many.json"
        same = (', {"id": "x"}' for _ in range(1, args.entries))
        _write(kb, '{"entries": [{"id": "x"}', same, "]}")
        distinct = folder / "distinct.json"
        ids = (f', {{"id": "x{i}"}}' for i in range(1, args.entries))
        _write(distinct, '{"entries": [{"id": "x0"}', ids, "]}")
        rows = folder / "bad.csv"
        _write(rows, "at,minutes\n", ("x,2\n" for _ in range(args.rows)), "")
        env = {**os.environ, "CRAMPCLI_HOME": str(folder / "home")}
        env["CRAMPCLI_CACHE_DIR"] = str(folder / "cache")
        print(f"{'command':<22} {'file':>9} {'seconds':>8} {'peak MiB':>9}  says")
        for name, path, argv in (
            ("validate", kb, [args.crampcli, "validate", str(kb)]),
            ("validate (own ids)", distinct, [args.crampcli, "validate", str(distinct)]),
            ("diary import", rows, [args.crampcli, "diary", "import", str(rows)]),
        ):
            seconds, mib, said = measure(argv, env)
            size = f"{path.stat().st_size / 2**20:.0f} MiB"
            print(f"{name:<22} {size:>9} {seconds:>8.2f} {mib:>9.0f}  {said[-70:]}")


if __name__ == "__main__":
    main()
