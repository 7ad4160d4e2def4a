"""The hold-the-stretch countdown for ``relieve --now`` on a terminal."""

from __future__ import annotations

import time

from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from crampcli.env import Env
from crampcli.output.fancy import make_console


def run(env: Env, seconds: int) -> None:
    """Count ``seconds`` down with a bar; Ctrl-C raises KeyboardInterrupt to the caller."""
    console = make_console(env)
    columns = (
        TextColumn("Hold the stretch"),
        BarColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("hold", total=seconds)
        start = time.monotonic()
        while (elapsed := time.monotonic() - start) < seconds:
            progress.update(task, completed=elapsed)
            time.sleep(0.1)
        progress.update(task, completed=seconds)
    console.print("Release slowly. If the cramp comes back, stretch again.")
