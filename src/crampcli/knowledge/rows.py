"""A checked knowledge-base document as plain tuples in the dataclasses' field order, and back.

What the document cache stores for a large knowledge base (marshal reads tuples back faster
than dicts, and building from them is a positional call).
"""

from __future__ import annotations

from typing import Any

from crampcli.knowledge.checksum import digest
from crampcli.knowledge.model import (
    CauseCheck,
    Caution,
    Correction,
    Entry,
    Evidence,
    FlagCheck,
    KnowledgeBase,
    Medicine,
    Raise,
    Reference,
    Section,
)

Rows = tuple[tuple[str, ...], tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...]]


def to_rows(doc: dict[str, Any]) -> Rows:
    meta = (doc["name"], doc["version"], doc["reviewed"], doc["language"])
    refs = tuple((r["id"], r["title"], r.get("url")) for r in doc["references"])
    return meta, refs, tuple(_entry_row(e) for e in doc["entries"])


def _entry_row(e: dict[str, Any]) -> tuple[Any, ...]:
    kind, evidence, check = e["kind"], e.get("evidence"), e.get("check")
    cause = flag = None
    if kind in ("cause", "look-alike") and check:
        raises = tuple((r["if"], float(r["weight"])) for r in check.get("raises", ()))
        cause = (float(check.get("prior", 0.0)), raises)
    if kind in ("red-flag", "medicine") and check:
        escalate = check.get("escalate") or {}
        flag = (
            tuple(check.get("any", ())),
            tuple(check.get("all", ())),
            escalate.get("care"),
            tuple(escalate.get("any", ())),
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
    )


def from_rows(rows: Rows, path: str, raw: bytes = b"") -> KnowledgeBase:
    meta, refs, entries = rows
    name, version, reviewed, language = meta
    return KnowledgeBase(
        name=name,
        version=version,
        reviewed=reviewed,
        language=language,
        path=path,
        references=tuple(Reference(*r) for r in refs),
        entries=tuple(_entry(*row) for row in entries),
        size=len(raw),
        digest=digest(raw) if raw else "",
    )


def _entry(*row: Any) -> Entry:
    (
        entry_id, kind, title, summary, aliases, sources, details, evidence,
        audiences, situations, helps, now_rank, care, cause, flag, file, paragraphs,
        cautions, related, how_common, medicines, sections, corrections,
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
        FlagCheck(*flag) if flag else None,
        file,
        paragraphs,
        tuple(Caution(*c) for c in cautions),
        related,
        how_common,
        tuple(Medicine(*m) for m in medicines),
        tuple(Section(*x) for x in sections),
        Correction(*corrections) if corrections else None,
    )
