"""The console-script entry point: a run the render cache can answer never imports Typer."""

from __future__ import annotations

import sys


def main() -> None:
    from crampcli import rendercache

    replayed = rendercache.replay(sys.argv[1:])
    if replayed is not None:
        sys.exit(replayed)
    from crampcli.cli import main as run

    run()
