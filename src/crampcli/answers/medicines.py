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
    known = names(kb)
    # Words of generic names: after a name, one of these (or one close to it) makes another
    # medicine (a combination), while any other word is a device, a salt or a form
    # ("Turbohaler", "sodium").
    drug_words = {w for _, m, _ in known.values() for w in _fold(m.name).split()} - _JOINERS
    found: list[MedicineMatch] = []
    for query in queries:
        words = (_fold(_DOSE.sub(" ", query)) or _fold(query)).split()
        # the whole name (typos allowed), else its leading words exactly (a short word is too
        # easily a typo of another name): "Symbicort Turbohaler", "warfarin sodium"
        hit = _lookup(known, " ".join(words)) if words else None
        n = len(words) - 1
        while hit is None and n > 0 and not _near(words[n], drug_words):
            hit, n = known.get(" ".join(words[:n])), n - 1
        if hit is None:
            found.append(MedicineMatch(query, None, None, None, "none-known", "self-care"))
            continue
        entry, medicine, brand = hit
        care = entry.care or "doctor"
        found.append(MedicineMatch(query, medicine.name, brand, entry, medicine.link, care))
    return found


def _near(word: str, drug_words: set[str]) -> bool:
    """Whether ``word`` is one of these drug words or close to one (mistyped)."""
    from rapidfuzz import fuzz, process

    return (
        process.extractOne(word, drug_words, scorer=fuzz.ratio, score_cutoff=MATCH_CUTOFF)
        is not None
    )


def _lookup(
    known: dict[str, tuple[Entry, Medicine, str | None]], folded: str
) -> tuple[Entry, Medicine, str | None] | None:
    """The name as typed, or the one it is a typo of."""
    from rapidfuzz import fuzz, process

    hit = known.get(folded)
    if hit is None:
        close = process.extract(folded, known.keys(), scorer=fuzz.ratio, limit=3)
        hit = next(
            (known[k] for k, score, _ in close if score >= MATCH_CUTOFF and typo_of(folded, k)),
            None,
        )
    return hit


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


def link_text(link: str) -> str:
    """A medicine's link in words; "none" is a known medicine, not one missing from our list."""
    return "not linked to cramps" if link == "none" else f"{link} link to cramps"


def entry_ids(matches: Sequence[MedicineMatch]) -> tuple[str, ...]:
    """The medicine entries matched, once each, in the order first named (``Answers.medicines``)."""
    return tuple(dict.fromkeys(m.entry.id for m in matches if m.entry))
