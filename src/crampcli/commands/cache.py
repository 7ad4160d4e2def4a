"""`crampcli cache clear`: remove what crampcli keeps to start faster (see docs/privacy.md)."""

from __future__ import annotations

import typer

from crampcli.commands.common import State, handles_errors

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
    from crampcli import rendercache
    from crampcli.knowledge import cache

    state: State = ctx.obj
    removed = rendercache.clear() + cache.clear()
    where = rendercache.base_folder() or "the cache folder"
    print(
        f"Removed {removed} cached file{'' if removed == 1 else 's'} from {where}",
        file=state.env.stderr,
    )
