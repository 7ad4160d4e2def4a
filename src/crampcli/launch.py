"""The console-script entry point: a run the render cache can answer never imports Typer."""

from __future__ import annotations

import gc
import sys


def main() -> None:
    # A run lasts a fraction of a second and makes little cyclic garbage, yet the collector
    # would walk every imported object while it starts (~6 ms) and again at exit (~14 ms):
    # off for the run, and what exists frozen before the interpreter's final collection.
    gc.disable()
    try:
        run()
    finally:
        gc.freeze()


def run() -> None:
    """One run, the collector left as it is (benchmarks/startup.py times it both ways)."""
    from crampcli import rendercache

    replayed = rendercache.replay(sys.argv[1:])
    if replayed is not None:
        sys.exit(replayed)
    from crampcli.cli import main as run

    run()
