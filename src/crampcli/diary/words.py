"""What helped and what set a cramp off, counted by name: "wall stretch", "Wall-Stretch" and
"wal stretch" are one. The names come from the knowledge base (relief and prevention ids, and
its trigger vocabulary); an item that matches none is counted as written. Pure."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from crampcli.diary.model import SEPARATOR
from crampcli.knowledge.model import KnowledgeBase

CUTOFF = 85  # rapidfuzz ratio: one slip in a short name ("wal stretch"), not another word
HELPED_KINDS = ("relief", "prevention")
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Case, hyphens and punctuation ignored: ``Wall-Stretch!`` -> ``wall stretch``."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


@dataclass
class Vocabulary:
    """Folded names to the name counted: ``exact`` match only, ``near`` forgives a typo."""

    exact: dict[str, str]
    near: dict[str, str]
    _seen: dict[str, str] = field(default_factory=dict)

    def name(self, item: str) -> str:
        """The known name ``item`` stands for, else ``item`` itself."""
        if item not in self._seen:
            self._seen[item] = self._match(item)
        return self._seen[item]

    def _match(self, item: str) -> str:
        folded = fold(item)
        if folded in self.exact:
            return self.exact[folded]
        if folded and self.near:
            from rapidfuzz import fuzz, process

            best = process.extractOne(folded, self.near.keys(), scorer=fuzz.ratio)
            if best is not None and best[1] >= CUTOFF:
                return self.near[best[0]]
        return item

    def count(self, joined: Mapping[str, int]) -> list[tuple[str, int]]:
        """Counts of ``;``-joined lists (as stored) by name, most first; an entry that names
        one thing twice counts once."""
        counts: Counter[str] = Counter()
        for combination, n in joined.items():
            for name in dict.fromkeys(map(self.name, combination.split(SEPARATOR))):
                counts[name] += n
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def helped(kb: KnowledgeBase) -> Vocabulary:
    """Relief and prevention entries by id or title (forgiving), or one of their aliases."""
    near: dict[str, str] = {}
    exact: dict[str, str] = {}
    for entry in (e for e in kb.entries if e.kind in HELPED_KINDS):
        for text in (entry.id, entry.title):
            near.setdefault(fold(text), entry.id)
        for alias in entry.aliases:
            exact.setdefault(fold(alias), entry.id)
    return Vocabulary({**exact, **near}, near)


def triggers(kb: KnowledgeBase) -> Vocabulary:
    """The knowledge base's trigger ids and the words for each, forgiving a typo."""
    near: dict[str, str] = {}
    for trigger in kb.triggers:
        for text in (trigger.id, *trigger.words):
            near.setdefault(fold(text), trigger.id)
    return Vocabulary(dict(near), near)
