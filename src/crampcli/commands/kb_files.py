"""Your own knowledge-base files: `crampcli validate` and `crampcli import`."""

from __future__ import annotations

import typer

from crampcli.commands.common import JSON_OPTION, State, emit, handles_errors, not_the_diary
from crampcli.errors import NotFound

app = typer.Typer()


@app.command("validate")
@handles_errors
def validate_file(
    ctx: typer.Context,
    path: str = typer.Argument(..., metavar="PATH", help="The knowledge-base JSON file to check."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check a knowledge-base file: every problem with its JSON path; exit 1 if there is any."""
    from pathlib import Path

    from crampcli.knowledge import loading
    from crampcli.output import views

    state: State = ctx.obj
    doc, problems = loading.problems_in(Path(path))
    if as_json:
        emit(state.env, views.validation_dict(path, doc, problems))
    else:  # one line each, never wrapped: made to be read, and to be grepped
        from crampcli.output.safe import printable

        lines = list(problems) or [views.valid_line(path, doc)]
        state.env.stdout.write("".join(printable(line) + "\n" for line in lines))
    if problems:
        listed = f"; the first {problems.keep} are listed" if problems.more else ""
        raise NotFound(f"{path} is not a valid knowledge base: {problems.count()}{listed}")


@app.command("import")
@handles_errors
def import_article(
    ctx: typer.Context,
    file: str = typer.Argument(
        ..., metavar="FILE", help="An article saved from a health website (title, text, links)."
    ),
    into: str = typer.Option(
        ..., "--into", metavar="PATH", help="Knowledge-base JSON file; created if missing."
    ),
    replace: bool = typer.Option(False, "--replace", help="Overwrite an article with the same id."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a saved article to your own knowledge base (never to the bundled one)."""
    from pathlib import Path

    from crampcli.knowledge import importer
    from crampcli.output import views

    state: State = ctx.obj

    def waiting(lock: Path) -> None:
        from crampcli.output.safe import printable

        print(
            printable(
                f"crampcli: waiting for {lock}: another crampcli (or someone else) holds it; "
                f"giving up after {importer.LOCK_WAIT_SECONDS:g} s"
            ),
            file=state.env.stderr,
        )

    not_the_diary(into)  # SQLite would delete or empty it as its own side file
    done = importer.import_file(Path(file), Path(into), replace, on_wait=waiting)
    emit(state.env, views.imported_dict(done) if as_json else views.imported(done))
