"""Which of the medicines a person names are linked to cramps: generic or brand names, typos
fine, matched against the knowledge base's ``medicine`` entries. Pure: no printing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from crampcli.knowledge.model import Entry, KnowledgeBase, Medicine

# A typo or two in a name of five letters or more ("lasx" -> "lasix" scores 89): below this,
# unrelated names of the same length start to match ("paracetamol" -> "pravastatin" scores 64).
MATCH_CUTOFF = 80.0
# "atorvastatin 20mg", "Lasix 40 mg tablets": the dose and the form say nothing about the link.
_DOSE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|micrograms?|µg|ug|g|ml|iu)?\b"
    r"|\b(?:tablets?|caps(?:ules)?|puffs?)\b"
)


@dataclass(frozen=True)
class MedicineMatch:
    query: str  # as the person typed it
    name: str | None  # the generic name it matched, None when not in our list
    brand: str | None  # the brand name it matched, if it matched one
    entry: Entry | None  # the medicine entry (group) it belongs to
    link: str  # "strong", "weak", "none" (known, not linked) or "none-known" (not in our list)
    care: str  # the entry's care level; "self-care" when not in our list


def names(kb: KnowledgeBase) -> dict[str, tuple[Entry, Medicine, str | None]]:
    """Every generic and brand name, folded, to its entry, medicine and brand."""
    out: dict[str, tuple[Entry, Medicine, str | None]] = {}
    for entry in kb.of_kind("medicine"):
        for medicine in entry.medicines:
            out.setdefault(_fold(medicine.name), (entry, medicine, None))
            for brand in medicine.brands:
                out.setdefault(_fold(brand), (entry, medicine, brand))
    return out


def match_names(kb: KnowledgeBase, queries: Sequence[str]) -> list[MedicineMatch]:
    """One match per query, in order; a name that is not in our list says so (link none-known)."""
    from rapidfuzz import fuzz, process

    known = names(kb)
    found: list[MedicineMatch] = []
    for query in queries:
        folded = _fold(_DOSE.sub(" ", query)) or _fold(query)
        hit = known.get(folded)
        if hit is None and folded:
            close = process.extract(folded, known.keys(), scorer=fuzz.ratio, limit=3)
            hit = next(
                (known[k] for k, score, _ in close if score >= MATCH_CUTOFF and typo_of(folded, k)),
                None,
            )
        if hit is None:
            found.append(MedicineMatch(query, None, None, None, "none-known", "self-care"))
            continue
        entry, medicine, brand = hit
        care = entry.care or "doctor"
        found.append(MedicineMatch(query, medicine.name, brand, entry, medicine.link, care))
    return found


def typo_of(typed: str, name: str) -> bool:
    """Whether ``typed`` reads as ``name`` mistyped: each difference is one letter (missing,
    extra, wrong) or two letters swapped, or a joining word left out or added ("fluticasone
    salmeterol"). Distinct drugs close in spelling differ by a syllable ("estriol", "estradiol";
    "prednisone", "prednisolone"): those are other medicines, not typos."""
    from rapidfuzz.distance import Levenshtein

    ours_at = theirs_at = 0  # where the current run of differences starts
    for op in [*Levenshtein.opcodes(typed, name), None]:
        if op is not None and op.tag != "equal":
            continue  # adjacent differences are one: "ab" for "h" is not two one-letter typos
        end_ours, end_theirs = (op.src_start, op.dest_start) if op else (len(typed), len(name))
        ours, theirs = typed[ours_at:end_ours], name[theirs_at:end_theirs]
        if not _one_slip(ours, theirs):
            return False
        if op is not None:
            ours_at, theirs_at = op.src_end, op.dest_end
    return True


_JOINERS = frozenset({"and", "with", "plus"})  # "budesonide formoterol" for "... and formoterol"


def _one_slip(ours: str, theirs: str) -> bool:
    if (len(ours) <= 1 and len(theirs) <= 1) or ours == theirs[::-1]:
        return True
    return not (ours and theirs) and (ours or theirs).strip() in _JOINERS


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def entry_ids(matches: Sequence[MedicineMatch]) -> tuple[str, ...]:
    """The medicine entries matched, once each, in the order first named (``Answers.medicines``)."""
    return tuple(dict.fromkeys(m.entry.id for m in matches if m.entry))
