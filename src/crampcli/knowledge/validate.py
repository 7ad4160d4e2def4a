"""Checks a parsed knowledge-base document and lists every problem, each with its JSON path.

Kept free of third-party imports: it runs on every load, so it must be cheap.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from crampcli.knowledge import vocabulary
from crampcli.knowledge.model import (
    AUDIENCES,
    CARE_LEVELS,
    EVIDENCE_GRADES,
    HOW_COMMON,
    KINDS,
    LINKS,
    SITUATIONS,
)
from crampcli.problems import Problems

FORMAT_VERSION = 1
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOKEN_RE = re.compile(
    r"^(?:(?:where|when|legs|who|recent|condition|sign|medicine):[a-z0-9-]+"
    r"|(?:age|lasts-min|per-week|woke-per-week)(?:>=|<)\d+(?:\.\d+)?)$"
)
SAY_RE = re.compile(r"^(?:[a-z0-9*]+)(?: [a-z0-9*]+)*$")  # as search folds what people type
SIGNS = tuple(t for t in vocabulary.LABELS if t.startswith("sign:"))
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# What each kind of cross-reference may point at ("reference": an id in `references`).
TARGET_KINDS = {
    "sources": ("article", "reference"),
    "helps": ("relief", "prevention"),
}

_MISSING = object()
_ONLY_STR = frozenset({str})
Cited = tuple[str, str, str, int]  # an id, and where it is cited: entry path, key, index

_TYPE_NAMES = {
    str: "a string",
    int: "a whole number",
    list: "a list",
    dict: "an object",
    bool: "true/false",
}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class _Checker:
    def __init__(self) -> None:
        self.problems = Problems()
        self.medicine_tokens: list[tuple[str, str]] = []  # (medicine id, path): checked last

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def typed(self, obj: dict[str, Any], key: str, path: str, kind: type, required: bool) -> Any:
        """The value at ``obj[key]`` if it has the expected type, else None (and a problem)."""
        value = obj.get(key, _MISSING)
        if type(value) is not kind:  # checked first: this runs ~15 times an entry
            if value is _MISSING:
                if required:
                    self.add(path, f"missing required key {key!r}")
                return None
            ok = isinstance(value, kind) and not isinstance(value, bool)
            if kind is float:
                ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not ok:
                want = "a number" if kind is float else _TYPE_NAMES[kind]
                self.add(f"{path}.{key}", f"expected {want}, got {_type_name(value)}")
                return None
        if kind is str and (not value or value.isspace()):
            self.add(f"{path}.{key}", "must not be empty")
        elif kind is float and not math.isfinite(value):  # JSON parsers take NaN, Infinity
            self.add(f"{path}.{key}", f"expected a finite number, got {value}")
            return None
        return value

    def strings(self, obj: dict[str, Any], key: str, path: str, required: bool) -> list[str]:
        items: list[Any] | None = self.typed(obj, key, path, list, required)
        if items is None:
            return []
        if _ONLY_STR.issuperset(map(type, items)):
            return items
        good = []
        for i, item in enumerate(items):
            if isinstance(item, str):
                good.append(item)
            else:
                self.add(f"{path}.{key}[{i}]", f"expected a string, got {_type_name(item)}")
        return good

    def one_of(self, value: str | None, allowed: tuple[str, ...], path: str, what: str) -> None:
        if value is not None and value not in allowed:
            self.add(path, f"unknown {what} {value!r} (expected one of: {', '.join(allowed)})")

    def all_of(
        self, values: list[str], allowed: tuple[str, ...], path: str, key: str, what: str
    ) -> None:
        if all(map(allowed.__contains__, values)):
            return
        for i, value in enumerate(values):
            self.one_of(value, allowed, f"{path}.{key}[{i}]", what)


def validate(doc: Any, elsewhere: Mapping[str, str] | None = None) -> Problems:
    """Every problem in ``doc``, as ``"$.path: message"`` strings (the first ones kept, the
    rest counted); empty when it is valid.
    ``elsewhere``: the ids (and their kinds) it may refer to that another layer defines, the
    bundled file's; its own ids come first."""
    c = _Checker()
    if not isinstance(doc, dict):
        c.add("$", f"expected an object at the top level, got {_type_name(doc)}")
        return c.problems
    fmt = c.typed(doc, "format", "$", int, True)
    if fmt is not None and fmt != FORMAT_VERSION:
        c.add("$.format", f"unsupported format {fmt} (this crampcli reads format {FORMAT_VERSION})")
    for key in ("name", "version", "language"):
        c.typed(doc, key, "$", str, True)
    reviewed = c.typed(doc, "reviewed", "$", str, True)
    if reviewed is not None and not _is_date(reviewed):
        c.add("$.reviewed", f"expected a date as YYYY-MM-DD, got {reviewed!r}")

    # Each id that can be cited, and its kind: its entry's, or "reference". Where an id is
    # used is found again only for one used twice (a path kept for each of a million ids took
    # 140 MB, a count of each and a copy with the other layer's ids as much again).
    kind_of: dict[str, Any] = {}
    repeated: set[str] = set()
    refs = c.typed(doc, "references", "$", list, True) or []
    for i, ref in enumerate(refs):
        path = f"$.references[{i}]"
        if not _is_object(c, ref, path):
            continue
        ref_id = _check_id(c, ref, path)
        if ref_id:
            if ref_id in kind_of:
                repeated.add(ref_id)
            kind_of[ref_id] = "reference"
        c.typed(ref, "title", path, str, True)
        c.typed(ref, "url", path, str, False)

    trigger_ids = []  # the diary's trigger words: their own namespace, not citable
    for i, trigger in enumerate(c.typed(doc, "triggers", "$", list, False) or []):
        path = f"$.triggers[{i}]"
        if _is_object(c, trigger, path):
            trigger_ids.append(_check_id(c, trigger, path))
            c.strings(trigger, "words", path, True)
    for dup in sorted(t for t, n in Counter(trigger_ids).items() if t and n > 1):
        c.add("$.triggers", f"duplicate trigger id {dup!r}")

    entries = c.typed(doc, "entries", "$", list, True) or []
    cited: list[Cited] = []  # every reference to an id
    for i, entry in enumerate(entries):
        path = f"$.entries[{i}]"
        if not _is_object(c, entry, path):
            continue
        entry_id = _check_id(c, entry, path)
        if entry_id:
            if entry_id in kind_of:
                repeated.add(entry_id)
            else:
                kind_of[entry_id] = entry.get("kind")
        cited.extend(_check_entry(c, entry, path))

    asked = c.typed(doc, "vocabulary", "$", dict, False)
    if asked is not None:
        _check_vocabulary(c, asked, "$.vocabulary")

    if repeated:
        _check_repeated(c, repeated, (("references", refs), ("entries", entries)))
    others = elsewhere or {}

    def kind(target: str) -> Any:  # own ids first, then the other layer's; _MISSING if none
        return kind_of[target] if target in kind_of else others.get(target, _MISSING)

    for target, path, key, j in cited:
        found = kind(target)
        if found is _MISSING:
            c.add(f"{path}.{key}[{j}]", f"refers to id {target!r}, which does not exist")
        elif key in TARGET_KINDS and found not in TARGET_KINDS[key]:
            wanted = " or ".join(TARGET_KINDS[key])
            said = f"refers to {target!r}, a {found}; {key} names {wanted} ids"
            c.add(f"{path}.{key}[{j}]", said)
    for target, path in c.medicine_tokens:  # a rule on a group nobody can name never holds
        if kind(target) != "medicine":
            c.add(path, f"'medicine:{target}' names no medicine entry")
    _check_every_sign_has_a_rule(c, [e for e in entries if isinstance(e, dict)])
    return c.problems


def _check_repeated(
    c: _Checker, repeated: set[str], sections: tuple[tuple[str, list[Any]], ...]
) -> None:
    """One problem for each id in ``repeated`` (valid ids used more than once), with its first
    five places and how many more: one pass over the objects of each section, however many
    ids repeat, keeping five paths each at most."""
    count = dict.fromkeys(repeated, 0)
    places: dict[str, list[str]] = {some_id: [] for some_id in repeated}
    for section, objects in sections:
        for i, obj in enumerate(objects):
            some_id = obj.get("id") if isinstance(obj, dict) else None
            if isinstance(some_id, str) and some_id in count:
                count[some_id] += 1
                if count[some_id] <= 5:
                    places[some_id].append(f"$.{section}[{i}]")
    for dup in sorted(repeated):
        more = f" and {count[dup] - 5:,} more places" if count[dup] > 5 else ""
        c.add("$", f"duplicate id {dup!r} at {', '.join(places[dup])}{more}")


def _check_every_sign_has_a_rule(c: _Checker, entries: list[dict[str, Any]]) -> None:
    """A knowledge base whose red flags have rules gives every ``--sign`` a floor of its own: a
    red flag it raises alone, a look-alike it raises alone that needs a doctor, or a note
    saying why it is not a warning sign on its own. Else that sign falls through every rule."""
    checks = [e.get("check") for e in entries if e.get("kind") == "red-flag"]
    if not any(isinstance(x, dict) for x in checks):
        return  # no symptom checker rules at all: a knowledge base to read, not to triage
    covered: set[str] = set()
    for e in entries:
        check = e["check"] if isinstance(e.get("check"), dict) else {}
        covered.update(str(n.get("if")) for n in _objects(e.get("notes")))
        if e.get("kind") == "red-flag" and not check.get("all") and not check.get("also_any"):
            any_ = check.get("any")
            if isinstance(any_, list):
                covered.update(t for t in any_ if isinstance(t, str))
        if e.get("kind") == "look-alike" and e.get("care") in CARE_LEVELS[:-1]:
            prior = check.get("prior", 0)
            for rule in _objects(check.get("raises")):
                weight = rule.get("weight")
                if _number(prior) and _number(weight) and prior + weight > 0:
                    covered.add(str(rule.get("if")))
    missing = [s for s in SIGNS if s not in covered]
    if missing:
        c.add(
            "$.entries",
            f"no rule of its own for {', '.join(missing)}: add each to a red flag's 'any', "
            "or give a 'notes' line saying why it is not a warning sign alone",
        )


def _objects(value: Any) -> list[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_date(text: str) -> bool:
    """YYYY-MM-DD, and a day that exists (not 9999-99-99)."""
    if not DATE_RE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check_id(c: _Checker, obj: dict[str, Any], path: str) -> str | None:
    value = c.typed(obj, "id", path, str, True)
    if value is not None and not ID_RE.match(value):
        c.add(f"{path}.id", f"{value!r} is not a kebab-case id (like 'calcium-deficiency')")
        return None
    return value  # type: ignore[no-any-return]


def _check_entry(c: _Checker, e: dict[str, Any], path: str) -> Iterator[Cited]:
    kind = c.typed(e, "kind", path, str, True)
    c.one_of(kind, KINDS, f"{path}.kind", "kind")
    c.typed(e, "title", path, str, True)
    c.typed(e, "summary", path, str, True)
    c.strings(e, "aliases", path, True)
    for j, source in enumerate(c.strings(e, "sources", path, True)):
        yield source, path, "sources", j
    if kind == "article":
        yield from _article_keys(c, e, path)
        return
    if kind not in KINDS:
        return  # reported above; the kind-specific keys of an unknown kind cannot be checked
    c.strings(e, "details", path, True)
    c.all_of(c.strings(e, "audiences", path, True), AUDIENCES, path, "audiences", "audience")
    c.all_of(c.strings(e, "situations", path, True), SITUATIONS, path, "situations", "situation")
    evidence = c.typed(e, "evidence", path, dict, True)
    if evidence is not None:
        grade = c.typed(evidence, "grade", f"{path}.evidence", str, True)
        c.one_of(grade, EVIDENCE_GRADES, f"{path}.evidence.grade", "evidence grade")
        c.typed(evidence, "note", f"{path}.evidence", str, True)
    for j, target in enumerate(c.strings(e, "related", path, False)):
        yield target, path, "related", j
    for j, caution in enumerate(c.typed(e, "cautions", path, list, False) or []):
        _check_caution(c, caution, f"{path}.cautions[{j}]")
    for j, note in enumerate(c.typed(e, "notes", path, list, False) or []):
        npath = f"{path}.notes[{j}]"
        if _is_object(c, note, npath):
            token = c.typed(note, "if", npath, str, True)
            _check_tokens(c, [token] if token else [], f"{npath}.if")
            c.typed(note, "text", npath, str, True)
    if kind in ("cause", "look-alike"):
        for j, target in enumerate(c.strings(e, "helps", path, False)):
            yield target, path, "helps", j
        c.one_of(
            c.typed(e, "how_common", path, str, False), HOW_COMMON, f"{path}.how_common", "value"
        )
        check = c.typed(e, "check", path, dict, False)
        if check is not None:
            _check_cause_rules(c, check, f"{path}.check")
    if kind == "remedy" and "sources" in e and not e["sources"]:
        c.add(f"{path}.sources", "a remedy names at least one source for its evidence grade")
    if kind in ("relief", "prevention"):
        c.typed(e, "advised_against", path, bool, False)
    if kind == "relief":
        rank = c.typed(e, "now_rank", path, int, False)
        if rank is not None and rank < 1:
            c.add(f"{path}.now_rank", f"expected a whole number of 1 or more, got {rank}")
    elif kind == "red-flag":
        care = c.typed(e, "care", path, str, True)
        c.one_of(care, CARE_LEVELS[:-1], f"{path}.care", "care level")
        check = c.typed(e, "check", path, dict, False)
        if check is not None:
            _check_flag_rules(c, check, f"{path}.check")
        c.strings(e, "first_aid", path, False)
        for j, target in enumerate(c.strings(e, "leave_out", path, False)):
            yield target, path, "leave_out", j
    elif kind == "look-alike":
        c.one_of(c.typed(e, "care", path, str, True), CARE_LEVELS, f"{path}.care", "care level")
    elif kind == "medicine":
        c.one_of(c.typed(e, "care", path, str, True), CARE_LEVELS, f"{path}.care", "care level")
        medicines = c.typed(e, "medicines", path, list, True)
        if medicines == []:
            c.add(f"{path}.medicines", "must not be empty")
        for j, medicine in enumerate(medicines or []):
            _check_medicine(c, medicine, f"{path}.medicines[{j}]")
        check = c.typed(e, "check", path, dict, False)
        if check is not None:
            _check_escalation(c, check, f"{path}.check", required=True)
        c.typed(e, "what_to_do", path, str, False)
    elif kind == "guide":
        for j, section in enumerate(c.typed(e, "sections", path, list, True) or []):
            spath = f"{path}.sections[{j}]"
            if _is_object(c, section, spath):
                c.typed(section, "heading", spath, str, True)
                c.strings(section, "items", spath, True)


def _check_vocabulary(c: _Checker, v: dict[str, Any], path: str) -> None:
    """Search's vocabulary: each list optional; every phrase said once across the terms."""
    for i, word in enumerate(c.strings(v, "ignore", path, False)):
        if not SAY_RE.match(word) or " " in word:
            c.add(f"{path}.ignore[{i}]", f"{word!r} is not one lower-case word")
    said: dict[str, str] = {}
    for j, term in enumerate(c.typed(v, "terms", path, list, False) or []):
        tpath = f"{path}.terms[{j}]"
        if not _is_object(c, term, tpath):
            continue
        for k, phrase in enumerate(_phrases(c, term, tpath)):
            if phrase in said:
                c.add(f"{tpath}.say[{k}]", f"{phrase!r} is said already at {said[phrase]}")
            said.setdefault(phrase, tpath)
        c.typed(term, "means", tpath, str, True)
        audience = c.typed(term, "audience", tpath, str, False)
        c.one_of(audience, AUDIENCES, f"{tpath}.audience", "audience")
    for j, band in enumerate(c.typed(v, "ages", path, list, False) or []):
        bpath = f"{path}.ages[{j}]"
        if not _is_object(c, band, bpath):
            continue
        start = c.typed(band, "from", bpath, int, False) or 0
        end = c.typed(band, "below", bpath, int, False)
        if start < 0 or (end is not None and end <= start):
            c.add(bpath, "needs 0 <= from < below")
        c.typed(band, "means", bpath, str, False)
        c.one_of(c.typed(band, "audience", bpath, str, False), AUDIENCES, f"{bpath}.audience",
                 "audience")  # fmt: skip
        for k, phrase in enumerate(c.strings(band, "say", bpath, False)):
            if not SAY_RE.match(phrase) or "*" in phrase:
                c.add(f"{bpath}.say[{k}]", f"{phrase!r} is not lower-case words one space apart")
            elif phrase in said:
                c.add(f"{bpath}.say[{k}]", f"{phrase!r} is said already at {said[phrase]}")
            said.setdefault(phrase, bpath)
    for j, intent in enumerate(c.typed(v, "intents", path, list, False) or []):
        ipath = f"{path}.intents[{j}]"
        if not _is_object(c, intent, ipath):
            continue
        _phrases(c, intent, ipath)
        prefer = c.strings(intent, "prefer", ipath, True)
        if "prefer" in intent and not prefer:
            c.add(f"{ipath}.prefer", "needs at least one kind")
        c.all_of(prefer, KINDS, ipath, "prefer", "kind")


def _phrases(c: _Checker, obj: dict[str, Any], path: str) -> list[str]:
    """The non-empty ``say`` list of ``obj``: lower-case words (and ``*``), one space apart."""
    phrases = c.strings(obj, "say", path, True)
    if "say" in obj and not phrases:
        c.add(f"{path}.say", "needs at least one phrase")
    for k, phrase in enumerate(phrases):
        if not SAY_RE.match(phrase):
            c.add(f"{path}.say[{k}]", f"{phrase!r} is not lower-case words one space apart")
    return phrases


def _article_keys(c: _Checker, e: dict[str, Any], path: str) -> Iterator[Cited]:
    c.typed(e, "file", path, str, True)
    c.strings(e, "paragraphs", path, True)
    fix = c.typed(e, "corrections", path, dict, False)
    if fix is not None:
        c.typed(fix, "note", f"{path}.corrections", str, True)
        for j, target in enumerate(c.strings(fix, "see", f"{path}.corrections", True)):
            yield target, f"{path}.corrections", "see", j


def _is_object(c: _Checker, value: Any, path: str) -> bool:
    if not isinstance(value, dict):
        c.add(path, f"expected an object, got {_type_name(value)}")
        return False
    return True


def _check_caution(c: _Checker, caution: Any, path: str) -> None:
    if not _is_object(c, caution, path):
        return
    tokens = c.strings(caution, "if", path, True)
    if "if" in caution and not tokens:
        c.add(f"{path}.if", "needs at least one answer token")
    _check_tokens(c, tokens, f"{path}.if")
    c.typed(caution, "text", path, str, True)
    c.typed(caution, "avoid", path, bool, False)


def _check_medicine(c: _Checker, medicine: Any, path: str) -> None:
    if not _is_object(c, medicine, path):
        return
    c.typed(medicine, "name", path, str, True)
    c.strings(medicine, "brands", path, False)
    c.one_of(c.typed(medicine, "link", path, str, True), LINKS, f"{path}.link", "link")


def _check_tokens(c: _Checker, tokens: list[str], path: str) -> None:
    for i, token in enumerate(tokens):
        if not TOKEN_RE.match(token):
            c.add(f"{path}[{i}]", f"{token!r} is not an answer token (see docs/knowledge-base.md)")
        elif token.startswith("medicine:"):
            c.medicine_tokens.append((token.split(":", 1)[1], f"{path}[{i}]"))


def _check_cause_rules(c: _Checker, check: dict[str, Any], path: str) -> None:
    c.typed(check, "prior", path, float, False)
    for j, rule in enumerate(c.typed(check, "raises", path, list, False) or []):
        rpath = f"{path}.raises[{j}]"
        if not _is_object(c, rule, rpath):
            continue
        token = c.typed(rule, "if", rpath, str, True)
        if token is not None:
            _check_tokens(c, [token], f"{rpath}.if")
        c.typed(rule, "weight", rpath, float, True)


def _check_flag_rules(c: _Checker, check: dict[str, Any], path: str) -> None:
    any_ = c.strings(check, "any", path, False)
    all_ = c.strings(check, "all", path, False)
    if not any_ and not all_:
        c.add(path, "needs a non-empty 'any' or 'all' list")
    _check_tokens(c, any_, f"{path}.any")
    _check_tokens(c, all_, f"{path}.all")
    for key in ("also_any", "unless"):
        _check_tokens(c, c.strings(check, key, path, False), f"{path}.{key}")
    _check_escalation(c, check, path, required=False)


def _check_escalation(c: _Checker, check: dict[str, Any], path: str, required: bool) -> None:
    """``escalate``: one ``{"care", "any"}`` rule, or a list of them (one per risk factor)."""
    if isinstance(check.get("escalate"), list):
        rules = check["escalate"]
        if required and not rules:
            c.add(f"{path}.escalate", "must not be empty")
        for j, rule in enumerate(rules):
            if _is_object(c, rule, f"{path}.escalate[{j}]"):
                _check_one_escalation(c, rule, f"{path}.escalate[{j}]")
        return
    escalate = c.typed(check, "escalate", path, dict, required)
    if escalate is not None:
        _check_one_escalation(c, escalate, f"{path}.escalate")


def _check_one_escalation(c: _Checker, escalate: dict[str, Any], path: str) -> None:
    care = c.typed(escalate, "care", path, str, True)
    c.one_of(care, CARE_LEVELS[:-1], f"{path}.care", "care level")
    _check_tokens(c, c.strings(escalate, "any", path, True), f"{path}.any")
