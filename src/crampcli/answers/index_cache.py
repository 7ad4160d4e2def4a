"""The search index of a knowledge base, cached on disk (``knowledge.cache``) when it is large.

It lives beside search because it is search's: the knowledge layer caches plain data for
anyone and imports nothing above itself.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from crampcli.answers.search import Index, build_index
from crampcli.knowledge import cache
from crampcli.knowledge.model import KnowledgeBase

# Smaller knowledge bases are indexed directly. The bound is on bytes, not entries: the cost
# follows the amount of text. The bundled file (~150 KiB, long articles) takes ~20 ms to
# index against ~1 ms to read back.
INDEX_MIN_BYTES = 32 * 1024
# The modules whose code makes the index: a change to either makes a cached one stale.
CODE = ("answers/search", "answers/text")


def index_for(kb: KnowledgeBase) -> Index:
    """The search index of ``kb``: cached on disk for large knowledge bases."""
    if not kb.digest or kb.size < INDEX_MIN_BYTES:  # small, or built without its bytes
        return build_index(kb.entries)

    def unpack(data: Any) -> Index | None:
        index = Index(**data)
        return index if usable(index, [e.id for e in kb.entries]) else None

    return cache.cached(
        "index",
        kb.path,
        kb.digest,
        CODE,
        make=lambda: build_index(kb.entries),
        pack=lambda index: {f.name: getattr(index, f.name) for f in fields(index) if f.init},
        unpack=unpack,
    )


def usable(index: Index, ids: list[str]) -> bool:
    """Everything a search reads from ``index`` is there and in range: a forged or damaged
    cache must not crash a command (an index position past the last entry, postings of
    different lengths, a term with no postings) nor rank by NaN. All checks run in C."""
    import math
    from operator import itemgetter

    postings, vocabulary, surface = index.postings, index.vocabulary, index.surface
    if index.ids != ids or type(postings) is not dict or type(vocabulary) is not list:
        return False
    if type(surface) is not dict or type(index.boosts) is not dict:
        return False
    if not _texts(postings) or not _texts(surface) or not _texts(surface.values()):
        return False
    if len(vocabulary) != len(postings) or not all(map(postings.__contains__, vocabulary)):
        return False
    pairs = postings.values()
    if not set(map(type, pairs)) <= {tuple} or not set(map(len, pairs)) <= {2}:
        return False
    where, weights = list(map(itemgetter(0), pairs)), list(map(itemgetter(1), pairs))
    sizes = list(map(len, where))
    if sizes != list(map(len, weights)) or any(map((4).__rmod__, sizes)):
        return False  # positions and impacts pair up, in whole 4-byte items
    # Views of the joined bytes, not arrays: no second copy of ~50 MB at 100,000 entries.
    positions = memoryview(b"".join(where)).cast("I")
    if positions and max(positions) >= len(ids):
        return False
    impacts = memoryview(b"".join(weights)).cast("f")
    if not math.isfinite(sum(impacts)):  # a NaN or an infinity would rank nonsense first
        return False
    boosts = index.boosts.items()
    return all(type(p) is int and 0 <= p < len(ids) and type(w) is float for p, w in boosts)


def _texts(values: Any) -> bool:
    return set(map(type, values)) <= {str}
