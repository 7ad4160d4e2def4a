"""Gives the search index for a knowledge base."""

from __future__ import annotations

from crampcli.model import KnowledgeBase
from crampcli.search import Index, build_index


def index_for(kb: KnowledgeBase) -> Index:
    return build_index(kb.entries)
