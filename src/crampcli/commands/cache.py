"""`crampcli cache clear`: remove what crampcli keeps to start faster (see docs/privacy.md)."""

from __future__ import annotations

import typer

from crampcli.commands.common import State, handles_errors
from crampcli.errors import ExitCode

app = typer.Typer()
cache_app = typer.Typer(
    help="What crampcli keeps to start faster: the pages it printed and the search index.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("clear")
@handles_errors
def clear(ctx: typer.Context) -> None:
    """Remove the cached pages (they can name a medicine or a search) and search indexes."""
    from crampcli.knowledge import cache
    from crampcli.output.safe import one_line

    state: State = ctx.obj
    done = cache.clear()
    where = cache.cache_dir() or "the cache folder"
    lines = [f"Removed {done.removed} cached file{'' if done.removed == 1 else 's'} from {where}"]
    lines += [f"Kept {what}: {why}" for what, why in done.kept]
    print("\n".join(map(one_line, lines)), file=state.env.stderr)
    if done.kept:  # what may name a medicine or a search is still there: not a success
        raise typer.Exit(ExitCode.NOT_FOUND)
