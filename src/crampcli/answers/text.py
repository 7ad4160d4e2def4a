"""Text normalisation shared by indexing and querying: fold case, accents, punctuation, plurals."""

from __future__ import annotations

import functools
import re
import unicodedata

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

# Words that carry no meaning for search; rare-word weighting handles the rest ("leg", "cramp").
_STOP_WORDS = (
    "a an and any are as at be bit by can could do does during for from get gets getting got has "
    "have how i if in into is it its just lot lots me might much many must my of on or really "
    "shall should so some that the their them they this to too very was what when where which "
    "who why will with would you your"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
# No real word, nor two run together, is longer ("pneumonoultramicroscopicsilicovolcanoconiosis"
# has 45 letters). Longer runs are not stemmed, nor looked up in a query: their cost would grow
# with their length squared (splitting, typo distance, a stem cache holding every prefix).
MAX_WORD_CHARS = 64


def fold(text: str) -> str:
    """Lower-case ASCII-ish text: 'Hypocalcémie' -> 'hypocalcemie'."""
    if text.isascii():  # the common case, and 20x faster than the general one
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Plurals no suffix rule reaches: "children" must meet "child" ("a child's pain").
_IRREGULAR = {"children": "child", "feet": "foot", "women": "woman", "teeth": "tooth"}


@functools.lru_cache(maxsize=65536)  # a knowledge base repeats its words many times
def stem(word: str) -> str:
    """A light suffix stripper: enough to fold 'cramps'/'cramping', 'numb'/'numbness'."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or len(word) > MAX_WORD_CHARS or word.isdigit():
        return word  # longer: "-ness" * 5000 would recurse 5000 deep
    for suffix, repl in (("iness", "y"), ("ness", ""), ("ies", "y"), ("sses", "ss")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            root = word[: -len(suffix)] + repl
            return stem(root) if suffix == "ness" else root
    if (word.endswith("es") and word[-3:-2] in "sxz") or word.endswith(("ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # stopped -> stop, running -> run
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # exercise / exercising -> exercis
    return word


# For ASCII text, ``_WORD_RE`` (runs of letters and digits) is: every other byte is a
# separator. Translating bytes and splitting is ~4x faster than the regex, and indexing a
# large knowledge base is mostly this.
_ASCII_WORDS = bytes(c if chr(c).isalnum() else 32 for c in range(128)).ljust(256, b" ")


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order, stop words included."""
    if text.isascii():
        return text.lower().encode().translate(_ASCII_WORDS).decode().split()
    return _WORD_RE.findall(fold(text))


def meaningful(word: str) -> bool:
    """Not a stop word, nor a lone letter (the 't' of "can't")."""
    return word not in STOP_WORDS and (len(word) > 1 or word.isdigit())


def terms(text: str) -> list[str]:
    """Index terms: folded, stemmed, meaningful words."""
    return [stem(w) for w in words(text) if meaningful(w)]


def spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, term) for each word of ``text`` as written, to highlight matches in place."""
    return [(m.start(), m.end(), stem(fold(m.group()))) for m in _WORD_RE.finditer(text)]
