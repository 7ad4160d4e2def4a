"""Export and import: CSV and JSON, both streamed (constant memory at any size). JSON is the
lossless backup; CSV is made safe for spreadsheets and terminals and still imports back as it
was written (see ``_cell``). An import adds nothing unless every row is good; the problems are
given by line (and entry, in JSON)."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, TextIO

from crampcli.diary import jsonstream
from crampcli.diary.model import FIELD_NAMES, LIST_FIELDS, Cramp, InvalidValue
from crampcli.diary.store import Diary
from crampcli.errors import CrampError
from crampcli.output.safe import json_text, reversible, unescaped  # part of the file formats
from crampcli.problems import Problems

_quote = json.encoder.encode_basestring  # C, and no ASCII escaping

FORMAT = "crampcli-diary"
VERSION = 1
FORMATS = ("csv", "json")
LIST_SEPARATOR = "; "
CHUNK_ROWS = 1000  # entries per chunk written
SHOWN = 20  # bad rows an import lists (and counts the rest)
MAX_LINE = 1 << 20  # a CSV row is at most ~3,000 characters (MAX_TEXT and the lists)
# What a spreadsheet would start a formula with (OWASP CSV injection), and the quote that
# marks a cell so prefixed: a cell starting with it is prefixed too, so the import is exact.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def sniff(text: str) -> str:
    """The format ``text`` is in, when its name does not say: JSON starts with a brace."""
    return "json" if text.lstrip()[:1] in ("{", "[") else "csv"


class ImportProblems(CrampError):
    """Rows that cannot be imported; nothing was added."""

    def __init__(self, source: str, problems: Problems, done: str = "imported from") -> None:
        self.problems = problems
        super().__init__(
            f"nothing {done} {source}: {problems.count('bad row')}:\n"
            f"{problems.listed(SHOWN)}"
        )


@dataclass
class Imported:
    added: int
    skipped: int  # already in the diary, exactly as in the file


def export(cramps: Iterable[Cramp], fmt: str) -> Iterator[str]:
    """The export, in chunks as the entries come (constant memory at any size). JSON is the
    lossless backup; CSV is for spreadsheets: see ``_cell``."""
    return _json_chunks(cramps) if fmt == "json" else _csv_chunks(cramps)


def _json_chunks(cramps: Iterable[Cramp]) -> Iterator[str]:
    """The same layout as ``json.dumps(doc, indent=2)``, an entry at a time, with control and
    bidi characters as ``\\u`` escapes (json_text)."""
    yield f'{{\n  "format": "{FORMAT}",\n  "version": {VERSION},\n  "entries": ['
    batch: list[str] = []
    count = 0
    for cramp in cramps:
        batch.append(("\n" if not count else ",\n") + _json_entry(cramp.as_dict()))
        count += 1
        if len(batch) == CHUNK_ROWS:
            yield json_text("".join(batch))
            batch.clear()
    yield json_text("".join(batch)) + ("\n  ]\n}\n" if count else "]\n}\n")


def _json_value(value: Any) -> str:
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n        " + ",\n        ".join(map(_quote, value)) + "\n      ]"
    return json.dumps(value)


def _json_entry(row: dict[str, Any]) -> str:
    body = ",\n".join(f'      "{key}": {_json_value(value)}' for key, value in row.items())
    return "    {\n" + body + "\n    }"


def _csv_chunks(cramps: Iterable[Cramp]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELD_NAMES)
    for n, cramp in enumerate(cramps, 1):
        writer.writerow([_cell(v) for v in cramp.as_dict().values()])
        if n % CHUNK_ROWS == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _cell(value: Any) -> str:
    """A value as a CSV cell. Text is made harmless and kept exact: control and bidi
    characters become escapes, and a backslash is doubled (``reversible``: printing the file
    cannot reset the terminal or write the clipboard, and import gives back what was typed);
    a cell a spreadsheet would read as a formula gets a ``'`` in front (OWASP). ``_from_cell``
    undoes both."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    elif not isinstance(value, str):
        return repr(value) if isinstance(value, float) else str(value)
    text = reversible(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def records(
    head: str, stream: TextIO, fmt: str, problems: Problems
) -> Iterator[tuple[str, Cramp, bool]]:
    """Every good row of the export that starts with ``head`` and goes on in ``stream``, as
    (where it was, record, whether it said when it was logged), read as it is used; each bad
    one is a problem in ``problems`` (complete once the iterator is done)."""
    for place, row in _rows(head, stream, fmt, problems):
        try:
            if fmt == "csv":
                row = {k: _from_cell(k, v) for k, v in row.items()}
            yield place, entry(row), row.get("logged") is not None
        except InvalidValue as exc:
            problems.append(f"{place}: {exc.option}: {exc.problem}")
        except (TypeError, ValueError) as exc:
            problems.append(f"{place}: {exc}")


def _rows(
    head: str, stream: TextIO, fmt: str, problems: Problems
) -> Iterator[tuple[str, dict[str, Any]]]:
    if fmt == "json":
        yield from _json_rows(head, stream, problems)
        return
    reader = csv.DictReader(itertools.chain(io.StringIO(head), _lines(stream)))
    try:
        if "at" not in (reader.fieldnames or []):
            problems.append("line 1: the header has no 'at' column")
            return
        for row in reader:
            yield f"line {reader.line_num}", row
    except (csv.Error, ValueError) as exc:  # a NUL byte, a line without end
        problems.append(f"line {reader.line_num}: not CSV: {exc}")


def _lines(stream: TextIO) -> Iterator[str]:
    """The lines of ``stream``, each at most MAX_LINE characters (so /dev/zero on stdin ends)."""
    while line := stream.readline(MAX_LINE):
        if len(line) == MAX_LINE and not line.endswith("\n"):
            raise ValueError(f"a line longer than {MAX_LINE >> 10} KiB")
        yield line


def _json_rows(head: str, stream: TextIO, problems: Problems) -> Iterator[tuple[str, Any]]:
    meta: dict[str, Any] = {}
    try:
        for n, (line, row) in enumerate(jsonstream.read(head, stream, meta), 1):
            if n == 1 and (wrong := _not_a_diary(meta, done=False)):
                problems.append(wrong)  # said before its entries: none of them is read
                return
            yield f"line {line}, entry {n}", row if isinstance(row, dict) else {"": row}
    except jsonstream.NotJSON as exc:
        problems.append(str(exc))
        return
    if wrong := _not_a_diary(meta):
        problems.append(wrong)


def _not_a_diary(meta: dict[str, Any], done: bool = True) -> str | None:
    """Why the top-level keys ``meta`` are not a diary export's; before the end of the file
    (not ``done``), only from the keys already read (an export writes them first)."""
    if (done or "format" in meta) and meta.get("format") != FORMAT:
        return f'not a crampcli diary export (no "format": "{FORMAT}")'
    if (done or "version" in meta) and (
        meta.get("version") != VERSION or not isinstance(meta.get("entries"), list)
    ):
        return f"unknown export version {meta.get('version')!r}"
    return None


def _from_cell(name: str | None, value: str | list[str] | None) -> Any:
    """A CSV cell as the JSON value it stands for: without the ``'`` export put in front of a
    cell a spreadsheet would read as a formula, its escapes decoded (``unescaped``)."""
    if name is None or not isinstance(value, str):
        return value  # extra cells: reported as unknown columns
    if value.startswith("'"):
        value = value[1:]
    if name in LIST_FIELDS:
        return [unescaped(v.strip()) for v in value.split(";") if v.strip()]
    if name in ("woke", "time_known"):  # an empty cell: the default (not woken; time known)
        words = {"yes": True, "no": False, "true": True, "false": False}
        return words.get(value.strip().lower(), value) if value.strip() else name == "time_known"
    number = {"minutes": float, "id": int, "pain": int, "sleep": int}.get(name)
    if number is None:
        return unescaped(value) if value != "" or name == "note" else None
    try:
        return number(value) if value.strip() else None
    except ValueError:
        raise InvalidValue(name, f"{value!r} is not a number") from None


def entry(row: dict[str, Any]) -> Cramp:
    """The entry a row of an export (or a restored backup) stands for, checked as every way
    in checks it; raises InvalidValue, TypeError or ValueError naming what is wrong."""
    unknown = sorted(set(row) - set(FIELD_NAMES), key=str)
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    if row.get("logged") is None:
        row = {k: v for k, v in row.items() if k != "logged"}  # not given: logged now
    if "woke" in row and row["woke"] is None:
        row = {**row, "woke": False}  # not given, as an empty CSV cell
    if not isinstance(row.get("at"), str):
        raise InvalidValue("at", "is missing")
    for name in ("at", "logged"):
        if isinstance(row.get(name), str):
            try:
                moment = datetime.fromisoformat(row[name].replace("Z", "+00:00"))
            except ValueError:
                raise InvalidValue(name, f"{row[name]!r} is not an ISO 8601 time") from None
            if moment.tzinfo is None:
                raise InvalidValue(name, f"{row[name]!r} has no time zone")
            try:
                moment.astimezone(timezone.utc)
            except OverflowError:  # 0001-01-01 at +23:59 is before year 1 in UTC
                raise InvalidValue(name, f"{row[name]!r} is out of range") from None
            row = {**row, name: moment}
    _types(row)
    lists = {k: tuple(row[k]) for k in LIST_FIELDS if k in row}
    return Cramp(**{**row, **lists}).checked()


def _types(row: dict[str, Any]) -> None:
    expected: dict[str, tuple[type, ...]] = {
        "id": (int,),
        "minutes": (int, float),
        "pain": (int,),
        "sleep": (int,),
        "leg": (str,),
        "where": (str,),
        "note": (str,),
        "woke": (bool,),
        "time_known": (bool,),
    }
    for name, types in expected.items():
        value = row.get(name)
        if value is not None and (
            not isinstance(value, types) or (isinstance(value, bool) and bool not in types)
        ):
            raise InvalidValue(name, f"{value!r} is not a {types[0].__name__}")
    for name in LIST_FIELDS:
        value = row.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidValue(name, "must be a list of words")


def import_into(diary: Diary, stream: TextIO, fmt: str | None, source: str) -> Imported:
    """All the rows, or none: ids are kept; a row already stored as it is, is skipped. Read
    as a stream (constant memory at any size); ``fmt`` None: the text says (``sniff``)."""
    head = _head(stream)
    problems = Problems(keep=SHOWN)  # a million bad rows: 20 messages and a count
    found = records(head, stream, fmt or sniff(head), problems)
    added, skipped = diary.add_unless_stored(found, problems)
    if problems:
        raise ImportProblems(source, problems)
    return Imported(added, skipped)


def _head(stream: TextIO) -> str:
    """The first lines, up to the first that is not blank: enough to tell the format; a
    byte order mark before them is left out."""
    lines: list[str] = []
    while line := stream.readline(MAX_LINE):
        lines.append(line)
        if line.strip():
            break
    return "".join(lines).removeprefix("\ufeff")  # the BOM of Excel's "CSV UTF-8"
