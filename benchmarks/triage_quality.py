"""Triage quality on a set of people: how many get an acceptable care level from `check`.

    python benchmarks/triage_quality.py PEOPLE.json [--crampcli PATH]

PEOPLE.json is ``{"people": [{"name": ..., "args": [...], "care": ..., "acceptable": [...]}]}``:
each person's ``args`` go to the real command (``crampcli check ARGS --json``, in a subprocess
with a throw-away home), and the care level it answers is a hit when it is in ``acceptable``
(or equals ``care`` when there is no ``acceptable`` list). Prints the score and each miss.
``--crampcli`` runs another build (e.g. the starting commit's) for a before/after figure.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Outcome:
    name: str
    args: list[str]
    want: list[str]
    got: str  # a care level, or "error: ..." when the command failed

    @property
    def hit(self) -> bool:
        return self.got in self.want


def run_person(crampcli: str, person: dict[str, Any], home: str) -> Outcome:
    args = [str(a) for a in person["args"]]
    want = list(person.get("acceptable") or [person["care"]])
    env = {**os.environ, "CRAMPCLI_HOME": home, "NO_COLOR": "1", "COLUMNS": "80"}
    done = subprocess.run(
        [crampcli, "check", *args, "--json"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=60,
    )
    if done.returncode != 0:
        return Outcome(person["name"], args, want, f"error: {done.stderr.strip()[:120]}")
    return Outcome(person["name"], args, want, json.loads(done.stdout)["care"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("people", type=Path)
    parser.add_argument(
        "--crampcli",
        default=str(Path(sys.executable).with_name("crampcli")),
        help="the crampcli to run (default: the one installed beside this Python)",
    )
    options = parser.parse_args()
    people = json.loads(options.people.read_text(encoding="utf-8"))["people"]
    with tempfile.TemporaryDirectory() as home:
        outcomes = [run_person(options.crampcli, p, home) for p in people]
    hits = sum(o.hit for o in outcomes)
    print(f"acceptable care: {hits}/{len(outcomes)}  ({options.people}, {options.crampcli})")
    for o in (o for o in outcomes if not o.hit):
        print(f"  miss: {o.name}: got {o.got}, wanted {' or '.join(o.want)}  [{' '.join(o.args)}]")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head -1` ends it quietly
    sys.exit(main())
