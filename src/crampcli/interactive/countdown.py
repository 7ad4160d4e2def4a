"""The hold-the-stretch countdown for ``relieve --now`` on a terminal."""

from __future__ import annotations

import time

from crampcli.env import Env

RELEASE = "Release slowly. If the cramp comes back, stretch again."


def run(env: Env, seconds: int) -> None:
    """Count ``seconds`` down with a bar (plain lines every 10 s with --plain or TERM=dumb,
    for screen readers); Ctrl-C raises KeyboardInterrupt to the caller."""
    if not env.fancy:
        _plain(env, seconds)
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from crampcli.output.fancy import make_console

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
    console.print(RELEASE)


def _plain(env: Env, seconds: int) -> None:
    print(f"Hold the stretch for {seconds} seconds.", file=env.stdout, flush=True)
    for left in range(seconds, 0, -1):
        if left != seconds and left % 10 == 0:
            print(f"{left} seconds left.", file=env.stdout, flush=True)
        time.sleep(1)
    print(RELEASE, file=env.stdout, flush=True)
