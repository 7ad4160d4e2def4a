"""Turns knowledge-base objects into Documents (for people) and dicts (for --json). No I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crampcli.answers.audience import for_them
from crampcli.answers.emergency import UNKNOWN, Numbers, call_hint, care_text
from crampcli.answers.medicines import link_text
from crampcli.knowledge.model import (
    CARE_LEVELS,
    EVIDENCE_GRADES,
    HOW_COMMON,
    Caution,
    Entry,
    KnowledgeBase,
    Note,
)
from crampcli.output.document import Document, Line, Panel, Row, Steps, footer

if TYPE_CHECKING:  # each imported only by the command that needs it: keeps the others fast
    from crampcli.answers.check import Answers, CheckResult, RankedCause
    from crampcli.answers.medicines import MedicineMatch
    from crampcli.answers.search import Hit, SearchResult
    from crampcli.knowledge.importer import Imported
    from crampcli.problems import Problems

KIND_LABELS = {
    "cause": "cause",
    "look-alike": "may not be a cramp",
    "medicine": "medicine",
    "guide": "guide",
    "relief": "relief",
    "prevention": "prevention",
    "red-flag": "warning sign",
    "article": "article",
    "remedy": "remedy people ask about",
}


def by_severity(flags: list[Entry]) -> list[Entry]:
    return sorted(flags, key=lambda e: CARE_LEVELS.index(e.care or "doctor"))


def by_evidence(entries: list[Entry]) -> list[Entry]:
    """Supported first, then mixed, then what the references advise against (quinine), then not
    supported; the order given kept within each (audience, how common, data order)."""
    return sorted(entries, key=_evidence_rank)


_GRADES = {g: i for i, g in enumerate(EVIDENCE_GRADES)}
_AGAINST = _GRADES["not supported"] - 0.5  # below every tip, above the unsupported claims
BLOCKS = {  # a rank past the tips -> its labelled block's heading, and its mark in --brief
    _AGAINST: ("Not recommended", "not recommended"),
    _GRADES["not supported"]: ("Claims the evidence does not support", "not supported"),
}


def _evidence_rank(entry: Entry) -> float:
    if entry.advised_against:
        return _AGAINST
    return _GRADES.get(entry.evidence.grade, len(_GRADES)) if entry.evidence else len(_GRADES)


def evidence_label(entry: Entry, brief: bool = False) -> str | None:
    """The block an entry sits in when listed ("Not recommended", ...), None for a tip."""
    block = BLOCKS.get(_evidence_rank(entry))
    return block[brief] if block else None


def in_blocks(entries: list[Entry]) -> list[tuple[str | None, list[Entry]]]:
    """``entries`` (ranked by evidence) cut into the tips, then each labelled block."""
    blocks: dict[str | None, list[Entry]] = {}
    for entry in entries:
        blocks.setdefault(evidence_label(entry), []).append(entry)
    return list(blocks.items())


def by_how_common(entries: list[Entry]) -> list[Entry]:
    """Common first, rare last; data order within a level (unrated with the less common)."""
    levels = {h: i for i, h in enumerate(HOW_COMMON)}
    return sorted(entries, key=lambda e: levels.get(e.how_common or "less common", 1))


# --- people ---------------------------------------------------------------------------------


def _sources_text(kb: KnowledgeBase, entry: Entry) -> str:
    return "; ".join(kb.source_label(s) for s in entry.sources)


def _titles(kb: KnowledgeBase, ids: tuple[str, ...]) -> str:
    return ", ".join(f"{e.title} ({e.id})" for i in ids if (e := kb.get(i)) is not None)


def entry_panel(
    kb: KnowledgeBase, entry: Entry, full: bool = True, where: Numbers = UNKNOWN
) -> Panel:
    """One entry as a panel: summary, why, what helps, evidence, sources."""
    rows = [Row(entry.summary)]
    if entry.care:
        rows.insert(0, Row(care_text(entry.care, where), label="Care"))
    rows.extend(Row(c.text, label="Caution") for c in entry.cautions)
    rows.extend(_first_aid_rows(entry))
    if entry.how_common:
        rows.append(Row(entry.how_common, label="How common"))
    rows.extend(_medicine_rows(entry))
    if full:
        label = "Why" if entry.kind == "cause" else None
        rows.extend(Row(p, label=label if i == 0 else None) for i, p in enumerate(entry.body))
    rows.extend(_helps_rows(kb, entry))
    if entry.related:
        rows.append(Row(_titles(kb, entry.related), label="See also"))
    if entry.evidence:
        rows.append(Row(entry.evidence.note, label=f"Evidence: {entry.evidence.grade}"))
    if entry.sources:
        rows.append(Row(_sources_text(kb, entry), label="Sources"))
    tone = entry.care if entry.kind == "red-flag" and entry.care else entry.kind
    return Panel(entry.title, tone, tuple(rows), badge=f"{KIND_LABELS[entry.kind]} · {entry.id}")


def _helps_rows(kb: KnowledgeBase, entry: Entry) -> list[Row]:
    """What helps, best supported first; what the evidence does not back in its own row."""
    helps = by_evidence([e for i in entry.helps if (e := kb.get(i)) is not None])
    return [
        Row(_titles(kb, tuple(e.id for e in block)), label=label or "What helps")
        for label, block in in_blocks(helps)
    ]


def _medicine_rows(entry: Entry) -> list[Row]:
    return [
        Row(
            f"{m.name}{_brands(m.brands)}: {link_text(m.link)}",
            label="Medicines" if i == 0 else None,
        )
        for i, m in enumerate(entry.medicines)
    ]


def _brands(brands: tuple[str, ...]) -> str:
    return f" ({', '.join(brands)})" if brands else ""


def brief_line(entry: Entry) -> Line:
    """One line, never wrapped: made to be read at a glance, and to be grepped. An entry in a
    labelled block says which on its line ("[not supported]")."""
    care = f" [{entry.care}]" if entry.care else ""
    label = evidence_label(entry, brief=True)
    block = f"[{label}] " if label else ""
    return Line(f"{entry.id}{care}: {block}{entry.title} - {entry.summary}", wrap=False)


def _urgent_flags(kb: KnowledgeBase) -> list[Entry]:
    return [f for f in by_severity(kb.of_kind("red-flag")) if f.care in ("emergency", "urgent")]


def _with_call(flag: Entry, where: Numbers) -> str:
    return f"{flag.summary} {call_hint(flag.care, where)}".rstrip()


def urgent_banner(kb: KnowledgeBase, where: Numbers = UNKNOWN) -> Panel:
    """The serious warning signs in one panel: shown before everything else."""
    flags = _urgent_flags(kb)
    rows = tuple(Row(_with_call(f, where), label=f.care.upper() if f.care else None) for f in flags)
    rows += (Row("crampcli warning-signs lists every sign and what to do."),)
    return Panel("Get medical help first if", "urgent", rows)


def listing(
    kb: KnowledgeBase, entries: list[Entry], brief: bool, banner: bool, where: Numbers = UNKNOWN
) -> Document:
    doc = Document()
    if banner and not brief:
        doc.add(urgent_banner(kb, where))
    if brief:
        doc.add(*(brief_line(e) for e in entries))
    else:
        doc.add(*_panels_in_blocks(kb, entries, full=True, where=where))
    return doc.add(footer())


def _panels_in_blocks(
    kb: KnowledgeBase, entries: list[Entry], full: bool, where: Numbers
) -> list[Line | Panel]:
    """The tips as panels, then each labelled block under its heading."""
    out: list[Line | Panel] = []
    for label, block in in_blocks(entries):
        if label:
            out.append(Line(label, "heading"))
        out.extend(entry_panel(kb, e, full=full, where=where) for e in block)
    return out


def _quick(kb: KnowledgeBase, who: list[str]) -> list[Entry]:
    """The first steps to take during a cramp, for these people."""
    return [e for e in relief_for(kb, who) if e.now_rank][:3]


def now_steps(kb: KnowledgeBase, who: list[str] | None = None) -> Steps:
    return Steps("Do this now", tuple(_with_cautions(e) for e in _quick(kb, who or [])))


def _with_cautions(entry: Entry) -> str:
    return " ".join([entry.summary, *(f"Caution: {c.text}" for c in entry.cautions)])


def ready_for_now(kb: KnowledgeBase, who: list[str] | None = None) -> bool:
    """Whether ``kb`` has what ``relieve --now`` shows: quick steps and serious warning signs."""
    return bool(_quick(kb, who or [])) and bool(_urgent_flags(kb))


def relieve_now(
    kb: KnowledgeBase,
    where: Numbers = UNKNOWN,
    who: list[str] | None = None,
    bundled: KnowledgeBase | None = None,
) -> Document:
    """The quickest steps and when to get help. What ``kb`` lacks (a custom knowledge base
    without relief steps or warning signs) comes from ``bundled``, and says so."""
    who = who or []
    steps_from = kb if _quick(kb, who) or bundled is None else bundled
    flags_from = kb if _urgent_flags(kb) or bundled is None else bundled
    doc = Document()
    sources = (("relief steps", steps_from), ("warning signs", flags_from))
    lacks = [what for what, got in sources if got is not kb]
    if lacks:
        note = f"This knowledge base has no {' and no '.join(lacks)}: these are crampcli's own."
        doc.add(Line(note, "warning"))
    doc.add(now_steps(steps_from, who))
    doc.add(Line("Get help if:", "warning"))
    doc.add(*_get_help_lines(_urgent_flags(flags_from), where))
    return doc.add(footer())


def _get_help_lines(flags: list[Entry], where: Numbers) -> list[Line]:
    """The serious signs by their titles, one line per care level: someone cramping right now
    must still see the steps above on a 24-line terminal."""
    today = f"call {where.urgent}" if where.urgent else "see a doctor"
    heads = {
        "emergency": f"Call {where.emergency} now",
        "urgent": f"Today ({today}; call {where.emergency} if it gets worse)",
    }
    lines = []
    for care, head in heads.items():
        titles = [f.title[0].lower() + f.title[1:] for f in flags if f.care == care]
        if titles:
            lines.append(Line(f"- {head}: {'; '.join(titles)}.", "warning", indent=2))
    lines.append(Line("What each means: crampcli warning-signs", "muted", indent=2))
    return lines


def relieve(
    kb: KnowledgeBase, now: bool, where: Numbers = UNKNOWN, who: list[str] | None = None
) -> Document:
    """What to do during a cramp; ``who`` leaves out steps and tips only for other people."""
    who = who or []
    if now:
        return relieve_now(kb, where, who)
    doc = Document().add(urgent_banner(kb, where), Line("During a cramp", "heading"))
    doc.add(*_panels_in_blocks(kb, relief_for(kb, who), full=True, where=where))
    doc.add(Line("To prevent the next one", "heading"))
    doc.add(*_panels_in_blocks(kb, prevention_for(kb, who), full=False, where=where))
    doc.add(Line("When to get medical help", "heading"))
    flags = by_severity(kb.of_kind("red-flag"))
    doc.add(*(entry_panel(kb, e, full=False, where=where) for e in flags))
    return doc.add(footer())


def relief_for(kb: KnowledgeBase, who: list[str]) -> list[Entry]:
    """What to do during a cramp, for these people: the quickest steps in their order (a
    sequence, not a ranking), then the rest by evidence, their own before everyone's."""
    found = for_them(kb.of_kind("relief"), who)
    steps = sorted((e for e in found if e.now_rank), key=lambda e: e.now_rank or 0)
    return steps + by_evidence([e for e in found if not e.now_rank])


def prevention_for(kb: KnowledgeBase, who: list[str]) -> list[Entry]:
    """Prevention for these people: evidence first, their own before everyone's second."""
    return by_evidence(for_them(kb.of_kind("prevention"), who))


def causes_for(kb: KnowledgeBase, who: list[str]) -> list[Entry]:
    """Causes for these people: evidence first, their own second, common before rare third."""
    return by_evidence(for_them(by_how_common(kb.of_kind("cause")), who))


def show(kb: KnowledgeBase, entry: Entry, where: Numbers = UNKNOWN) -> Document:
    doc = Document()
    if entry.corrections:  # before the article: what the references say differently
        fix = entry.corrections
        rows = (Row(fix.note), Row(_titles(kb, fix.see), label="Read instead"))
        doc.add(Panel("What the references say differently", "note", rows))
    if entry.kind == "guide":
        return doc.add(*guide(kb, entry), footer())
    if entry.kind == "red-flag":
        return doc.add(entry_panel(kb, entry, where=where), footer())
    see_also = Line("Warning signs: crampcli warning-signs", "muted")
    return doc.add(entry_panel(kb, entry, where=where), see_also, footer())


def articles(kb: KnowledgeBase) -> Document:
    doc = Document()
    for a in kb.of_kind("article"):
        read = Row(f"Read it: crampcli show {a.id}")
        rows = (Row(a.summary), read)
        doc.add(Panel(a.title, "article", rows, badge=a.id))
    return doc.add(footer())


def search_result(result: SearchResult, explain: bool, brief: bool = False) -> Document:
    doc = Document()
    if brief:
        doc.add(
            *(Line(f"{h.entry.id}: {h.entry.title} - {h.snippet}", wrap=False) for h in result.hits)
        )
        return doc.add(footer())
    for n, hit in enumerate(result.hits, 1):
        rows = [Row(hit.snippet, marks=hit.highlights)]
        if explain:
            rows.extend(_explain_rows(hit))
        badge = f"{KIND_LABELS[hit.entry.kind]} · {hit.entry.id}"
        if explain:  # a raw score means nothing to a person who did not ask why
            badge += f" · score {hit.score:g}"
        tone = hit.entry.care if hit.entry.kind == "red-flag" and hit.entry.care else hit.entry.kind
        doc.add(Panel(f"{n}. {hit.entry.title}", tone, tuple(rows), badge=badge))
    return doc.add(footer())


_SIMILARITY = {"pref": " x 0.8 (prefix)", "typo": " x 1 - 0.2 per edit"}


def _explain_rows(hit: Hit) -> list[Row]:
    rows = [
        Row(
            f"'{c.query_word}' -> '{c.matched}' ({c.how}): idf {c.idf:.2f} x tf {c.impact:.2f}"
            f"{_SIMILARITY.get(c.how[:4], '')} = {c.points:.2f}",
            label="explain",
        )
        for c in hit.explain
    ]
    if not hit.explain:  # "what do I do right now?" names no subject, only a kind of answer
        rows.append(Row("listed for the kind of answer the question asks for", label="explain"))
        return rows
    rows.append(Row(f"{hit.coverage:.0%} of the query words matched", label="explain"))
    return rows


def no_match(result: SearchResult) -> str:
    hint = (
        f" Did you mean: {', '.join(result.suggestions)}?"
        if result.suggestions
        else " Try other words, or browse with: crampcli causes"
    )
    query = result.query if len(result.query) <= 80 else result.query[:77] + "..."
    return f"No good match for {query!r}.{hint}"


def imported(done: Imported) -> Document:
    doc = Document().add(
        Line(f"{done.action} article {done.id} ({done.paragraphs} paragraphs) in {done.path}")
    )
    if done.backup:
        doc.add(Line(f"previous version kept as {done.backup}", "muted", wrap=False))
    read = f"read it: crampcli --data {done.path} show {done.id}"
    return doc.add(Line(read, "muted", wrap=False))


def valid_line(path: str, doc: dict[str, Any]) -> str:
    return f"ok: {path}: {len(doc['entries'])} entries, {len(doc['references'])} references"


# --- machines -------------------------------------------------------------------------------


# The JSON vocabulary (docs/json.md, crampcli/schemas/): the top level is an object; an entry
# is referred to as ref() or shown in full (entry_dict, a superset); a key has one shape.


def ref(entry: Entry) -> dict[str, Any]:
    """An entry referred to: what a script needs to show it without a second call."""
    return {"id": entry.id, "kind": entry.kind, "title": entry.title}


def _refs(kb: KnowledgeBase, ids: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    return [ref(e) for e in (kb.get(i) for i in ids) if e is not None]


def entry_dict(kb: KnowledgeBase, entry: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {**ref(entry), "summary": entry.summary}
    if entry.kind == "article":
        out["paragraphs"] = list(entry.paragraphs)
    else:
        out.update(
            details=list(entry.details),
            audiences=list(entry.audiences),
            situations=list(entry.situations),
            evidence={"grade": entry.evidence.grade, "note": entry.evidence.note}
            if entry.evidence
            else None,
        )
    if entry.corrections:
        out["corrections"] = {
            "note": entry.corrections.note,
            "see": _refs(kb, entry.corrections.see),
        }
    if entry.kind in ("cause", "look-alike"):
        out.update(helps=_refs(kb, entry.helps), how_common=entry.how_common)
    if entry.kind == "relief":
        out["now_rank"] = entry.now_rank
    if entry.kind in ("relief", "prevention"):
        out["advised_against"] = entry.advised_against
    if entry.care:
        out["care"] = entry.care
    if entry.kind == "medicine":
        out["names"] = [
            {"name": m.name, "brands": list(m.brands), "link": m.link} for m in entry.medicines
        ]
    if entry.kind == "guide":
        out["sections"] = [{"heading": x.heading, "items": list(x.items)} for x in entry.sections]
    if entry.kind == "red-flag":
        out.update(first_aid=list(entry.first_aid), leave_out=list(entry.leave_out))
    if entry.what_to_do:
        out["what_to_do"] = entry.what_to_do
    if entry.notes:
        out["notes"] = [_note_dict(n) for n in entry.notes]
    if entry.kind != "article":
        out["cautions"] = [
            {"if": list(c.when), "text": c.text, "avoid": c.avoid} for c in entry.cautions
        ]
        out["related"] = _refs(kb, entry.related)
    out["aliases"] = list(entry.aliases)
    out["sources"] = [_source_dict(kb, s) for s in entry.sources]
    return out


def _note_dict(note: Note) -> dict[str, Any]:
    """A note: "if" is a list of answer tokens, as a caution's is (one shape per key)."""
    return {"if": [note.when], "text": note.text}


def _source_dict(kb: KnowledgeBase, source_id: str) -> dict[str, Any]:
    """A source: a public reference (with its address) or an article of the knowledge base."""
    found = kb.reference(source_id)
    if found is not None:
        return {"id": found.id, "kind": "reference", "title": found.title, "url": found.url}
    article = kb.get(source_id)
    return {"id": source_id, "kind": "article", "title": article.title if article else source_id}


def entries_dict(kb: KnowledgeBase, key: str, entries: list[Entry]) -> dict[str, Any]:
    return {key: [entry_dict(kb, e) for e in entries]}


def relieve_dict(kb: KnowledgeBase, now: bool, who: list[str] | None = None) -> dict[str, Any]:
    who = who or []
    out: dict[str, Any] = {"now": [entry_dict(kb, e) for e in _quick(kb, who)]}
    if not now:
        out["relief"] = [entry_dict(kb, e) for e in relief_for(kb, who)]
        out["prevention"] = [entry_dict(kb, e) for e in prevention_for(kb, who)]
    out["red_flags"] = [entry_dict(kb, e) for e in by_severity(kb.of_kind("red-flag"))]
    return out


def imported_dict(done: Imported) -> dict[str, Any]:
    return {
        "imported": {"id": done.id, "kind": "article", "title": done.title},
        "action": done.action,
        "path": str(done.path),
        "backup": str(done.backup) if done.backup else None,
        "paragraph_count": done.paragraphs,
    }


def validation_dict(path: str, doc: Any, problems: Problems) -> dict[str, Any]:
    """``problems``: the first ones found; ``problem_count``: all of them."""
    count = None if problems else len(doc["entries"])
    return {
        "path": path,
        "valid": not problems,
        "entry_count": count,
        "problems": list(problems),
        "problem_count": len(problems),
    }


def search_dict(result: SearchResult, explain: bool) -> dict[str, Any]:
    results = []
    for hit in result.hits:
        item: dict[str, Any] = {
            "id": hit.entry.id,
            "kind": hit.entry.kind,
            "title": hit.entry.title,
            "score": hit.score,
            "snippet": hit.snippet,
        }
        if explain:
            item["explain"] = [
                {
                    "word": c.query_word,
                    "matched": c.matched,
                    "how": c.how,
                    "points": round(c.points, 3),
                }
                for c in hit.explain
            ]
        results.append(item)
    out: dict[str, Any] = {"query": result.query, "results": results}
    if not results:
        out["suggestions"] = list(result.suggestions)
    return out


# --- crampcli meds, crampcli doctor -----------------------------------------------------------

NOT_IN_LIST = (
    "not in our list of medicines linked to cramps. That is not proof of no link: "
    "ask a pharmacist if cramps began after you started it."
)
NEVER_STOP = "Do not stop or change a prescribed medicine yourself: ask your doctor or pharmacist."
# Beside a medicine whose own line says to stop it (a statin), the rule covers the others only.
OTHER_MEDICINES = (
    "For your other medicines: do not stop or change them yourself; ask your doctor or "
    "pharmacist."
)


def medicine_note(m: MedicineMatch) -> str:
    """One line on a name: not in our list (not proof of no link), or how it is linked. One
    that raises nothing (a blood thinner) says what its entry says: nothing else will."""
    if m.entry is None:
        return f"{m.query}: {NOT_IN_LIST}"
    named = "" if m.query.casefold() == str(m.name).casefold() else f"{m.name}, "
    note = f"{m.query}: {named}{link_text(m.link)} ({m.entry.title})"
    return f"{note}. {m.entry.summary}" if m.care == "self-care" else note


def meds(kb: KnowledgeBase, found: list[MedicineMatch], where: Numbers = UNKNOWN) -> Document:
    doc = Document()
    for m in found:
        if m.entry is None:
            doc.add(Panel(m.query, "note", (Row(NOT_IN_LIST),), badge="not in our list"))
            continue
        shown = f"{m.brand} ({m.name})" if m.brand else str(m.name)
        title = f"{m.query}: {shown}"
        rows = [
            Row(care_text(m.care, where), label="Care"),
            Row(f"{link_text(m.link)} ({m.entry.title})", label="Link"),
            Row(m.entry.summary),
            *(Row(c.text, label="Caution") for c in m.entry.cautions),
            Row(m.entry.what_to_do or NEVER_STOP, label="What to do"),
        ]
        if m.entry.sources:
            rows.append(Row(_sources_text(kb, m.entry), label="Sources"))
        doc.add(Panel(title, m.care, tuple(rows), badge=f"medicine · {m.entry.id}"))
    return doc.add(footer())


def meds_dict(found: list[MedicineMatch]) -> dict[str, Any]:
    return {
        "medicines": [
            {
                "query": m.query,
                **(ref(m.entry) if m.entry else dict.fromkeys(("id", "kind", "title"))),
                "match": m.name,
                "brand": m.brand,
                "link": m.link,
                "care": m.care,
            }
            for m in found
        ]
    }


def guide(kb: KnowledgeBase, entry: Entry) -> list[Panel]:
    """A guide: its summary, then one panel per section, then its sources."""
    panels = [Panel(entry.title, "guide", (Row(entry.summary),), badge=f"guide · {entry.id}")]
    for section in entry.sections:
        rows = tuple(Row(f"- {item}") for item in section.items)
        panels.append(Panel(section.heading, "guide", rows))
    if entry.sources:
        panels.append(Panel("Sources", "note", (Row(_sources_text(kb, entry)),)))
    return panels


# --- crampcli check (symptom checker) ---------------------------------------------------------

CHECK_MAX_CAUSES = 5


def _because(result: CheckResult, tokens: tuple[str, ...], also: bool = False) -> str:
    """``you said: ...``, then ``your diary shows: ...`` for what `check --from-diary` filled."""
    from crampcli.answers.check import describe

    answers, word = result.answers, " also" if also else ""
    said = [describe(t, answers) for t in tokens if not answers.told_by_diary(t)]
    shown = [describe(t, answers) for t in tokens if answers.told_by_diary(t)]
    parts = [f"you{word} said: {'; '.join(said)}"] if said else []
    if shown:
        parts.append(f"your diary{word} shows: {'; '.join(shown)}")
    return " and ".join(parts)


def _cautions_for(result: CheckResult, entry: Entry) -> tuple[Caution, ...]:
    """The entry's cautions that concern this person (the pill: the clot line)."""
    from crampcli.answers.check import matches

    given, numbers = result.answers.tokens(), result.answers.numbers()
    return entry.cautions_for(lambda token: matches(token, given, numbers))


def check_care_panel(result: CheckResult, where: Numbers = UNKNOWN) -> Panel:
    """The care level first, with each raised red flag and medicine, why it was raised and its
    first aid. At an emergency only the emergency flags: nothing between a person and the call."""
    rows: list[Row] = []
    # Most serious first across flags and medicines (a statin at urgent before a doctor flag).
    raised = sorted((*result.red_flags, *result.medicines), key=lambda f: CARE_LEVELS.index(f.care))
    for flag in (f for f in raised if f.care == "emergency" or not result.emergency):
        rows.append(Row(f"{flag.entry.title}: {flag.entry.summary}", label=flag.care.upper()))
        rows.append(Row(f"because {_because(result, flag.because)}"))
        rows.extend(Row(c.text, label="Caution") for c in _cautions_for(result, flag.entry))
        if flag.escalated_by:
            also = _because(result, flag.escalated_by, also=True)
            rows.append(Row(f"{care_text(flag.care, where)}, because {also}"))
        rows.extend(_first_aid_rows(flag.entry))
    if not result.emergency:
        rows.extend(_look_alike_rows(result, where))
        if any(m.entry.what_to_do is None for m in result.medicines):
            own_line = any(m.entry.what_to_do for m in result.medicines)  # a statin's, quinine's
            rows.append(Row(OTHER_MEDICINES if own_line else NEVER_STOP))
        rows.extend(Row(n.text, label="Note") for n in result.notes)
    if not rows:
        if not result.answers.sign:  # after any sign, never "none is a warning sign"
            rows.append(Row("None of your answers is a warning sign."))
        rows.append(Row("crampcli warning-signs lists when to get medical help."))
    title = care_text(result.care, where)
    return Panel(title, result.care, tuple(rows), badge=f"care · {result.care}")


def _first_aid_rows(entry: Entry) -> list[Row]:
    steps = [*entry.first_aid, *([entry.what_to_do] if entry.what_to_do else [])]
    label = "What to do" if entry.kind == "medicine" else "First aid"
    if len(steps) == 1:
        return [Row(steps[0], label=label)]
    return [Row(f"{n}. {step}", label=label if n == 1 else None) for n, step in enumerate(steps, 1)]


def _look_alike_rows(result: CheckResult, where: Numbers) -> list[Row]:
    """A look-alike that needs a doctor raises care like a red flag, so it is named here too."""
    return [
        Row(f"It may be {c.entry.title[0].lower()}{c.entry.title[1:]}: {care_text(care, where)}")
        for c in result.look_alikes
        if (care := c.entry.care or "self-care") != "self-care"
    ]


def _ranked_panels(result: CheckResult, kind: str, where: Numbers) -> list[Panel]:
    """Causes (or look-alikes) an answer pointed to, best first."""
    ranked = result.causes if kind == "cause" else result.look_alikes
    panels = []
    for n, cause in enumerate(ranked[:CHECK_MAX_CAUSES], 1):
        if cause.because:
            why = f"May be linked to your cramps because {_because(result, cause.because)}."
        else:
            why = "May be linked to your cramps: none of your answers points to a particular cause."
        rows = [Row(why), Row(cause.entry.summary)]
        if cause.entry.care:
            rows.insert(0, Row(care_text(cause.entry.care, where), label="Care"))
        badge = f"{KIND_LABELS[kind]} · {cause.entry.id}"
        panels.append(Panel(f"{n}. {cause.entry.title}", kind, tuple(rows), badge=badge))
    return panels


def check_helps(result: CheckResult) -> Panel | None:
    """What may help, each with its caution for this person; what was left out and why."""
    rows: list[Row] = []
    for h in result.helps:
        rows.append(Row(h.entry.summary, label=h.entry.title))
        if h.caution:
            rows.append(Row(h.caution, label="Caution"))
    rows.extend(Row(o.reason, label=f"Not for you: {o.entry.title}") for o in result.left_out)
    return Panel("What may help", "prevention", tuple(rows)) if rows else None


def check_result(kb: KnowledgeBase, result: CheckResult, where: Numbers = UNKNOWN) -> Document:
    doc = Document().add(check_care_panel(result, where))
    if result.emergency:  # nothing may stand between this person and the call
        return doc.add(footer(emergency=True))
    look_alikes = _ranked_panels(result, "look-alike", where)
    if look_alikes:
        doc.add(Line("It may not be a cramp", "heading"), *look_alikes)
    causes = _ranked_panels(result, "cause", where)
    if causes:
        doc.add(Line("What your cramps may be linked to, most likely first", "heading"))
        doc.add(*causes)
    helps = check_helps(result)
    if helps:
        doc.add(helps)
    if result.relief:
        doc.add(Steps("During a cramp", tuple(_with_cautions(e) for e in result.relief)))
    return doc.add(footer())


def _ranked_dicts(ranked: tuple[RankedCause, ...]) -> list[dict[str, Any]]:
    return [
        {**ref(c.entry), "score": round(c.score, 3), "because": list(c.because)} for c in ranked
    ]


def check_dict(result: CheckResult) -> dict[str, Any]:
    shown = [f for f in result.red_flags if f.care == "emergency" or not result.emergency]
    return {
        "answers": answers_dict(result.answers),
        "care": result.care,
        "red_flags": [
            {**ref(f.entry), "care": f.care, "because": list(f.because)} for f in result.red_flags
        ],
        "medicines": [
            {**ref(m.entry), "care": m.care, "because": list(m.because)} for m in result.medicines
        ],
        "look_alikes": _ranked_dicts(result.look_alikes),
        "causes": _ranked_dicts(result.causes),
        "helps": [{**ref(h.entry), "caution": h.caution} for h in result.helps],
        "left_out": [{**ref(o.entry), "reason": o.reason} for o in result.left_out],
        "relief": [] if result.emergency else [ref(e) for e in result.relief],
        "first_aid": [step for f in shown for step in f.entry.first_aid],
        "notes": [] if result.emergency else [_note_dict(n) for n in result.notes],
    }


def answers_dict(answers: Answers) -> dict[str, Any]:
    """The answers ``check`` used, under the names of its options."""
    return {
        "where": answers.where,
        "when": answers.when,
        "legs": answers.legs,
        "lasts-min": answers.lasts_min,
        "per-week": answers.per_week,
        "woke-per-week": answers.woke_per_week,
        "age": answers.age,
        "pregnant": answers.pregnant,
        "breastfeeding": answers.breastfeeding,
        "sport": answers.sport,
        "recent": list(answers.recent),
        "sign": list(answers.sign),
        "condition": list(answers.condition),
        "medicine": list(answers.medicines),
    }
