"""Peak memory of `crampcli validate` and `crampcli diary import` on files with a great many
problems: what keeping the first problems and counting the rest (crampcli/problems.py) saves.

    python benchmarks/problems.py [--entries 1000000] [--rows 2000000] [--crampcli PATH]

Writes, in a temporary folder, a knowledge base of ``--entries`` entries ``{"id": "x"}`` (five
problems each, and one id repeated ``--entries`` times) and a diary CSV of ``--rows`` rows with
a bad time each, then runs each command once and prints its time, its own peak resident memory
(the child's ``ru_maxrss`` from ``wait4``, the figure ``/usr/bin/time -v`` prints) and the last
line it wrote to stderr. ``--crampcli`` runs another install (say an older checkout's) to put
its figures beside these; docs/knowledge-base.md quotes both.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--crampcli", default=str(Path(sys.executable).parent / "crampcli"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        kb = folder / "many.json"
        kb.write_text(json.dumps({"entries": [{"id": "x"}] * args.entries}))
        rows = folder / "bad.csv"
        rows.write_text("at,minutes\n" + "x,2\n" * args.rows)
        env = {**os.environ, "CRAMPCLI_HOME": str(folder / "home")}
        env["CRAMPCLI_CACHE_DIR"] = str(folder / "cache")
        print(f"{'command':<22} {'file':>9} {'seconds':>8} {'peak MiB':>9}  says")
        for name, path, argv in (
            ("validate", kb, [args.crampcli, "validate", str(kb)]),
            ("diary import", rows, [args.crampcli, "diary", "import", str(rows)]),
        ):
            seconds, mib, said = measure(argv, env)
            size = f"{path.stat().st_size / 2**20:.0f} MiB"
            print(f"{name:<22} {size:>9} {seconds:>8.2f} {mib:>9.0f}  {said[-70:]}")


if __name__ == "__main__":
    main()
