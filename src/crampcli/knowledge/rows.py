"""A checked knowledge-base document as plain tuples in the dataclasses' field order, and back.

What the document cache stores for a large knowledge base (marshal reads tuples back faster
than dicts, and building from them is a positional call).
"""

from __future__ import annotations

from typing import Any

from crampcli.knowledge.checksum import digest
from crampcli.knowledge.model import (
    CauseCheck,
    Entry,
    Evidence,
    FlagCheck,
    KnowledgeBase,
    Raise,
    Reference,
)

Rows = tuple[tuple[str, ...], tuple[tuple[Any, ...], ...], tuple[tuple[Any, ...], ...]]


def to_rows(doc: dict[str, Any]) -> Rows:
    meta = (doc["name"], doc["version"], doc["reviewed"], doc["language"])
    refs = tuple((r["id"], r["title"], r.get("url")) for r in doc["references"])
    return meta, refs, tuple(_entry_row(e) for e in doc["entries"])


def _entry_row(e: dict[str, Any]) -> tuple[Any, ...]:
    kind, evidence, check = e["kind"], e.get("evidence"), e.get("check")
    cause = flag = None
    if kind == "cause" and check:
        raises = tuple((r["if"], float(r["weight"])) for r in check.get("raises", ()))
        cause = (float(check.get("prior", 0.0)), raises)
    if kind == "red-flag" and check:
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
    )
