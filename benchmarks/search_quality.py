"""Search quality on a query set: MRR, hit@1 and hit@3 through the real ranking.

    python benchmarks/search_quality.py [QUERIES.json] [--data KB.json] [--verbose]

A query is a hit at rank k when the first result whose id is in its ``expect`` list stands at
position k (1-based); its reciprocal rank is 1/k, or 0 when absent from the top 10.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from crampcli.answers.search import build_index, search
from crampcli.knowledge import loading

DEV_SET = Path(__file__).resolve().parents[2] / "shared" / "eval" / "search-dev.json"


@dataclass(frozen=True)
class Quality:
    mrr: float
    hit1: float
    hit3: float
    ranks: list[tuple[str, int | None, list[str]]]  # query, rank of first expected id, top ids


def evaluate(queries: list[dict[str, object]], data: Path | None = None) -> Quality:
    kb = loading.load(data or loading.bundled_path())
    index = build_index(kb.entries)
    ranks = []
    for q in queries:
        text, expect = str(q["query"]), set(q["expect"])  # type: ignore[call-overload]
        ids = [h.entry.id for h in search(index, kb, text, limit=10).hits]
        rank = next((i for i, hit in enumerate(ids, 1) if hit in expect), None)
        ranks.append((text, rank, ids[:3]))
    n = len(ranks) or 1
    return Quality(
        mrr=sum(1 / r for _, r, _ in ranks if r) / n,
        hit1=sum(1 for _, r, _ in ranks if r == 1) / n,
        hit3=sum(1 for _, r, _ in ranks if r and r <= 3) / n,
        ranks=ranks,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("queries", nargs="?", type=Path, default=DEV_SET)
    parser.add_argument("--data", type=Path, default=None, help="knowledge base (default: bundled)")
    parser.add_argument("--verbose", "-v", action="store_true", help="one line per query")
    args = parser.parse_args()
    queries = json.loads(args.queries.read_text(encoding="utf-8"))["queries"]
    quality = evaluate(queries, args.data)
    if args.verbose:
        for text, rank, top in quality.ranks:
            print(f"{rank or '-':>2}  {text!r:40} top: {', '.join(top)}")
    print(f"queries: {len(queries)}  ({args.queries})")
    print(f"MRR:     {quality.mrr:.3f}   (bar >= 0.90)")
    print(f"hit@1:   {quality.hit1:.3f}")
    print(f"hit@3:   {quality.hit3:.3f}   (bar >= 0.95)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
