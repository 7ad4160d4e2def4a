"""Problems found in a file, kept small: the first few as messages, the rest only counted, so a
file with millions of bad rows (up to the 1 GiB accepted) never holds millions of messages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

KEEP = 100  # messages kept: more than anyone reads before fixing the first ones


class Problems:
    """``append`` each problem; iterating gives the first ``keep``, ``len`` counts them all."""

    def __init__(self, found: Iterable[str] = (), keep: int = KEEP) -> None:
        self.keep = keep
        self.kept: list[str] = []
        self.more = 0  # found beyond the ones kept
        for problem in found:
            self.append(problem)

    def append(self, problem: str) -> None:
        if len(self.kept) < self.keep:
            self.kept.append(problem)
        else:
            self.more += 1

    def __len__(self) -> int:
        return len(self.kept) + self.more

    def __bool__(self) -> bool:
        return bool(self.kept)

    def __iter__(self) -> Iterator[str]:
        return iter(self.kept)

    def __getitem__(self, index: int) -> str:
        return self.kept[index]

    def __eq__(self, other: object) -> bool:
        """Equal to the list of the same problems (all of them kept), or to the same Problems."""
        if isinstance(other, list):
            return not self.more and self.kept == other
        return isinstance(other, Problems) and (self.kept, self.more) == (other.kept, other.more)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"Problems({self.kept!r}, more={self.more})"

    def count(self, word: str = "problem") -> str:
        """``1 problem``, ``5,000,007 problems``."""
        return f"{len(self):,} {word}{'' if len(self) == 1 else 's'}"

    def listed(self, shown: int, indent: str = "  ") -> str:
        """The first ``shown`` of them, a line each, then ``... and 999,900 more``."""
        lines = [f"{indent}{p}" for p in self.kept[:shown]]
        if len(self) > len(lines):
            lines.append(f"{indent}... and {len(self) - len(lines):,} more")
        return "\n".join(lines)
