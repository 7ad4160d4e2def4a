"""A checked knowledge-base document as plain tuples in the dataclasses' field order, and back.

What the document cache stores for a large knowledge base (marshal reads tuples back faster
than dicts, and building from them is a positional call).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any

from crampcli.knowledge.checksum import digest
from crampcli.knowledge.model import (
    AUDIENCES,
    CARE_LEVELS,
    EVIDENCE_GRADES,
    HOW_COMMON,
    KINDS,
    LINKS,
    SITUATIONS,
    CauseCheck,
    Caution,
    Correction,
    Entry,
    Escalation,
    Evidence,
    FlagCheck,
    KnowledgeBase,
    Medicine,
    Note,
    Raise,
    Reference,
    Section,
    Trigger,
)

Rows = tuple[
    tuple[str, ...],
    tuple[tuple[Any, ...], ...],
    tuple[tuple[Any, ...], ...],
    tuple[tuple[str, tuple[str, ...]], ...],
    tuple[Any, ...],
]


def to_rows(doc: dict[str, Any]) -> Rows:
    meta = (doc["name"], doc["version"], doc["reviewed"], doc["language"])
    refs = tuple((r["id"], r["title"], r.get("url")) for r in doc["references"])
    triggers = tuple((t["id"], tuple(t.get("words", ()))) for t in doc.get("triggers", ()))
    entries = tuple(_entry_row(e) for e in doc["entries"])
    return meta, refs, entries, triggers, _vocabulary_row(doc)


def _vocabulary_row(doc: dict[str, Any]) -> tuple[Any, ...]:
    v = doc.get("vocabulary") or {}
    return (
        tuple(v.get("ignore", ())),
        tuple((tuple(t["say"]), t["means"], t.get("audience")) for t in v.get("terms", ())),
        tuple(
            (
                a.get("from", 0),
                a.get("below"),
                a.get("means", ""),
                a.get("audience"),
                tuple(a.get("say", ())),
            )
            for a in v.get("ages", ())
        ),
        tuple((tuple(i["say"]), tuple(i["prefer"])) for i in v.get("intents", ())),
    )


def _entry_row(e: dict[str, Any]) -> tuple[Any, ...]:
    kind, evidence, check = e["kind"], e.get("evidence"), e.get("check")
    cause = flag = None
    if kind in ("cause", "look-alike") and check:
        raises = tuple((r["if"], float(r["weight"])) for r in check.get("raises", ()))
        cause = (float(check.get("prior", 0.0)), raises)
    if kind in ("red-flag", "medicine") and check:
        escalate = check.get("escalate") or []
        flag = (
            tuple(check.get("any", ())),
            tuple(check.get("all", ())),
            tuple(check.get("also_any", ())),
            tuple(check.get("unless", ())),
            tuple(
                (x["care"], tuple(x["any"]))
                for x in (escalate if isinstance(escalate, list) else [escalate])
            ),
        )
    return (
        e["id"],
        kind,
        e["title"],
        e["summary"],
        tuple(e["aliases"]),
        tuple(e["sources"]),
        tuple(e.get("details", ())),
        (evidence["grade"], evidence["note"]) if evidence else None,
        tuple(e.get("audiences", ())),
        tuple(e.get("situations", ())),
        tuple(e.get("helps", ())),
        e.get("now_rank"),
        e.get("care"),
        cause,
        flag,
        e.get("file"),
        tuple(e.get("paragraphs", ())),
        tuple(
            (tuple(c["if"]), c["text"], bool(c.get("avoid", False))) for c in e.get("cautions", ())
        ),
        tuple(e.get("related", ())),
        e.get("how_common"),
        tuple((m["name"], tuple(m.get("brands", ())), m["link"]) for m in e.get("medicines", ())),
        tuple((s["heading"], tuple(s["items"])) for s in e.get("sections", ())),
        (fix["note"], tuple(fix["see"])) if (fix := e.get("corrections")) else None,
        tuple(e.get("first_aid", ())),
        tuple(e.get("leave_out", ())),
        tuple((n["if"], n["text"]) for n in e.get("notes", ())),
        e.get("what_to_do"),
        bool(e.get("advised_against", False)),
    )


def from_rows(rows: Rows, path: str, raw: bytes = b"") -> KnowledgeBase:
    meta, refs, entries, triggers, (ignore, terms, ages, intents) = rows
    name, version, reviewed, language = meta
    return KnowledgeBase(
        name=name,
        version=version,
        reviewed=reviewed,
        language=language,
        path=path,
        references=tuple(Reference(*r) for r in refs),
        entries=tuple(_entry(*row) for row in entries),
        triggers=tuple(Trigger(*t) for t in triggers),
        size=len(raw),
        digest=digest(raw) if raw else "",
        vocabulary=(ignore, terms, ages, intents),
    )


def _entry(*row: Any) -> Entry:
    (
        entry_id, kind, title, summary, aliases, sources, details, evidence,
        audiences, situations, helps, now_rank, care, cause, flag, file, paragraphs,
        cautions, related, how_common, medicines, sections, corrections,
        first_aid, leave_out, notes, what_to_do, advised_against,
    ) = row  # fmt: skip
    return Entry(
        entry_id,
        kind,
        title,
        summary,
        aliases,
        sources,
        details,
        Evidence(*evidence) if evidence else None,
        audiences,
        situations,
        helps,
        now_rank,
        care,
        CauseCheck(cause[0], tuple(Raise(*r) for r in cause[1])) if cause else None,
        _flag_check(*flag) if flag else None,
        file,
        paragraphs,
        tuple(Caution(*c) for c in cautions),
        related,
        how_common,
        tuple(Medicine(*m) for m in medicines),
        tuple(Section(*x) for x in sections),
        Correction(*corrections) if corrections else None,
        first_aid,
        leave_out,
        tuple(Note(*n) for n in notes),
        what_to_do,
        advised_against,
    )


def _flag_check(*flag: Any) -> FlagCheck:
    any_, all_, also_any, unless, escalations = flag
    return FlagCheck(any_, all_, also_any, unless, tuple(Escalation(*x) for x in escalations))


# --- checking rows read back from a cache -------------------------------------------------------

_STR, _NONE = frozenset({str}), type(None)
_FIELDS = 28  # of an entry row, in _entry's order


def well_formed(rows: Any) -> bool:
    """Rows that ``from_rows`` can build and the commands can use: the shape, types, closed
    vocabularies and cross-references that ``validate`` guarantees for a checked document.
    For rows read back from a cache file, where anything may have been written. Works a
    column at a time (``zip``, ``set``, ``map`` run in C): ~20x cheaper than validating."""
    try:
        return _well_formed(rows)
    except (TypeError, ValueError):  # unpacking or hashing something of the wrong shape
        return False


def _well_formed(rows: Any) -> bool:
    meta, refs, entries, triggers, vocabulary = rows
    if not _vocabulary(vocabulary):
        return False
    if type(meta) is not tuple or len(meta) != 4 or _types(meta) - _STR:
        return False
    if type(triggers) is not tuple or not all(
        type(t) is tuple and len(t) == 2 and type(t[0]) is str and _strings((t[1],))
        for t in triggers
    ):
        return False
    if type(refs) is not tuple or type(entries) is not tuple:
        return False
    if any(type(r) is not tuple or len(r) != 3 for r in refs) or any(
        type(e) is not tuple or len(e) != _FIELDS for e in entries
    ):
        return False
    ref_ids, _, urls = zip(*refs, strict=True) if refs else ((), (), ())
    if not entries:
        return not (_types(ref_ids) | _types(urls)) - {str, _NONE}
    ids, kinds, titles, summaries, aliases, sources, details, evidence, audiences, situations = (
        columns := tuple(zip(*entries, strict=True))
    )[:10]
    helps, now_rank, care, cause, flag, files, paragraphs, cautions, related, how_common = columns[
        10:20
    ]
    medicines, sections, corrections, first_aid, leave_out, notes, what_to_do, advised_against = (
        columns[20:]
    )
    known = set(ids) | set(ref_ids)
    flat = _flat
    return (
        not (_types(ids) | _types(titles) | _types(summaries) | _types(ref_ids)) - _STR
        and not _types(urls) - {str, _NONE}
        and len(set(ids)) == len(ids)
        and set(kinds) <= set(KINDS)
        and all(_strings(c) for c in (aliases, details, paragraphs))
        and flat(audiences) <= set(AUDIENCES)
        and flat(situations) <= set(SITUATIONS)
        and _strings(sources)
        and flat(sources) <= known
        and _strings(helps)
        and flat(helps) <= known
        and _strings(related)
        and flat(related) <= known
        and not _types(now_rank) - {int, _NONE}
        and not _types(files) - {str, _NONE}
        and set(how_common) <= {*HOW_COMMON, None}
        and set(care) <= {*CARE_LEVELS, None}
        and all(c is not None for k, c in zip(kinds, care, strict=True) if k in _NEEDS_CARE)
        and all(_evidence(x) for x in evidence if x is not None)
        and all(_cause(x) for x in cause if x is not None)
        and all(_flag(x) for x in flag if x is not None)
        and _each_item(cautions, _caution)
        and _each_item(medicines, _medicine)
        and _each_item(sections, _section)
        and all(_correction(x, known) for x in corrections if x is not None)
        and _strings(first_aid)
        and _strings(leave_out)
        and flat(leave_out) <= known
        and all(map(_notes, notes))
        and not _types(what_to_do) - {str, _NONE}
        and not _types(advised_against) - {bool}
    )


_NEEDS_CARE = frozenset({"red-flag", "look-alike", "medicine"})


def _vocabulary(v: Any) -> bool:
    ignore, terms, ages, intents = v
    audiences = {*AUDIENCES, None}
    return (
        _strings((ignore,))
        and all(
            _strings((say,)) and type(means) is str and audience in audiences
            for say, means, audience in terms
        )
        and all(
            type(start) is int
            and type(end) in (int, _NONE)
            and type(means) is str
            and audience in audiences
            and _strings((say,))
            for start, end, means, audience, say in ages
        )
        and all(_strings((say,)) and set(prefer) <= set(KINDS) for say, prefer in intents)
    )


def _types(values: Any) -> set[type]:
    return set(map(type, values))


def _flat(column: Any) -> set[Any]:
    return set().union(*column)


def _strings(column: Any) -> bool:
    """Every item a tuple of strings. Their types only: a set of the strings themselves would
    hash every paragraph of the knowledge base (~0.3 s at 100,000 entries)."""
    return _types(column) <= {tuple} and not _types(chain.from_iterable(column)) - _STR


def _evidence(x: Any) -> bool:
    grade, note = x
    return grade in EVIDENCE_GRADES and type(note) is str


def _cause(x: Any) -> bool:
    prior, raises = x
    return type(prior) is float and all(
        type(r) is tuple and len(r) == 2 and type(r[0]) is str and type(r[1]) is float
        for r in raises
    )


def _flag(x: Any) -> bool:
    any_, all_, also_any, unless, escalations = x
    return (
        _strings((any_, all_, also_any, unless))
        and type(escalations) is tuple
        and all(
            type(e) is tuple and len(e) == 2 and e[0] in CARE_LEVELS and _strings((e[1],))
            for e in escalations
        )
    )


def _notes(x: Any) -> bool:
    return type(x) is tuple and all(
        type(n) is tuple and len(n) == 2 and type(n[0]) is str and type(n[1]) is str for n in x
    )


def _each_item(column: Any, check: Callable[[Any], bool]) -> bool:
    """Every value a tuple, and every item of them passes ``check``: one pass over the items
    (most entries have none), not a call per entry."""
    return _types(column) <= {tuple} and all(map(check, chain.from_iterable(column)))


def _caution(c: Any) -> bool:
    return (
        type(c) is tuple
        and len(c) == 3
        and _strings((c[0],))
        and type(c[1]) is str
        and type(c[2]) is bool
    )


def _medicine(m: Any) -> bool:
    return (
        type(m) is tuple
        and len(m) == 3
        and type(m[0]) is str
        and _strings((m[1],))
        and m[2] in LINKS
    )


def _section(x: Any) -> bool:
    return type(x) is tuple and len(x) == 2 and type(x[0]) is str and _strings((x[1],))


def _correction(x: Any, known: set[str]) -> bool:
    note, see = x
    return type(note) is str and _strings((see,)) and set(see) <= known
