"""Turns a raw article saved from a health website into a knowledge-base entry, and writes
knowledge-base files safely (temp file, fsync, rename, previous file kept as ``PATH.bak``).

The seed format (``../shared/seeds/*.txt``): the title, a blank line, the title again, the
body as paragraphs separated by blank lines, then the site's navigation, which starts at the
first line beginning with ``<<:`` (neighbour links, a "Recommend" list) and is dropped.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from crampcli.errors import CrampError, DataError, ExitCode, UsageProblem
from crampcli.knowledge import atomic, reading

NAVIGATION_MARK = "<<:"
ID_MAX = 48
SUMMARY_MAX = 200
FORMAT_VERSION = 1
MAX_ARTICLE_BYTES = 2 * 1024 * 1024  # a saved web page; the seeds are ~10 KB

MAX_PARAGRAPHS = 60  # the seeds have 9 and 16; this README has 93
TITLE_MAX = 150
LOCK_WAIT_SECONDS = 30.0  # as the diary's: imports at once wait their turn, never for ever

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Terminal escape sequences (CSI, OSC, other ESC pairs), then any control or bidi character.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b.?"
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN = re.compile(r"^(?:#{1,6}\s|```|~~~)", re.MULTILINE)
_TAG, _LT = re.compile(r"(<[^<>]*>)"), "\ue000"
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|p|div|h[1-6])[\s/>]", re.IGNORECASE)


class ImportProblem(CrampError):
    """A seed file that cannot be imported, or a knowledge base that cannot be written."""

    exit_code = ExitCode.NOT_FOUND


# --- parsing (pure) ------------------------------------------------------------------------


def slugify(text: str, limit: int = ID_MAX) -> str:
    """A kebab-case id: lower-case ASCII, runs of anything else as one '-', at most ``limit``
    characters, cut at a '-' so no word is split (unless the first word alone is too long)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rfind("-")
    return (slug[:cut] if cut > 0 else slug[:limit]).strip("-")


def first_sentence(text: str, limit: int = SUMMARY_MAX) -> str:
    """The first sentence of ``text``, clipped to about ``limit`` characters at a space."""
    sentence = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence.rfind(" ", 0, limit)
    return sentence[: cut if cut > limit // 2 else limit].rstrip() + "..."


def paragraphs_of(text: str) -> list[str]:
    """Blank-line separated blocks of ``text``, each joined into one line and stripped."""
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [" ".join(b) for b in blocks if b]


def decode_seed(raw: bytes, name: str) -> str:
    """The text of a seed file, or ImportProblem when it is empty or not UTF-8."""
    if not raw.strip():
        raise ImportProblem(f"{name}: the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem(f"{name}: not UTF-8 text (bad byte at offset {exc.start})") from None
    if "\x00" in text:
        where = text.index("\x00")
        raise ImportProblem(f"{name}: not an article: a NUL byte at offset {where} (a binary file)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html_to_text(text) if _HTML.search(text, 0, 65536) else text


def clean_title(text: str) -> str:
    """``text`` without terminal escapes, control or bidi characters, on one line."""
    text = _CONTROL.sub(lambda m: " " if m.group().isspace() else "", _ESCAPE.sub("", text))
    return " ".join(text.split())


def parse_seed(text: str, file_name: str) -> dict[str, Any]:
    """An ``article`` entry (as JSON-ready dict) from the text of a seed file; ImportProblem
    saying why for a file that is not an article (see ``_not_an_article``)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for n, line in enumerate(lines):
        if line.lstrip().startswith(NAVIGATION_MARK):
            lines = lines[:n]
            break
    blocks = paragraphs_of("\n".join(lines))
    if not blocks:
        raise ImportProblem(f"{file_name}: no article text (the file is empty before '<<:')")
    if why := _not_an_article(lines, blocks):
        raise ImportProblem(f"{file_name}: not an article: {why}")
    title, body = clean_title(blocks[0]), blocks[1:]
    if body and " ".join(clean_title(body[0]).split()) == title:
        body = body[1:]  # the page repeats its title above the text
    if not title:
        raise ImportProblem(f"{file_name}: not an article: its title line has no text")
    if not body:
        raise ImportProblem(f"{file_name}: no article text after the title {title[:60]!r}")
    entry_id = slugify(title) or slugify(Path(file_name).stem) or "article"
    return {
        "id": entry_id,
        "kind": "article",
        "title": title,
        "summary": first_sentence(body[0]),
        "aliases": [],
        "sources": [],
        "file": file_name,
        "paragraphs": body,
    }


def _not_an_article(lines: list[str], blocks: list[str]) -> str | None:
    """Why a text is not an article saved from a web page, or None. An article starts with
    its title on a line of its own (at most TITLE_MAX characters), has at most MAX_PARAGRAPHS
    paragraphs, and has no Markdown headings or code fences (a README, notes)."""
    if found := _MARKDOWN.search("\n".join(lines)):
        mark = found.group().strip()
        line = "\n".join(lines)[: found.start()].count("\n") + 1
        return f"it looks like Markdown ({mark!r} on line {line}), not a saved web page"
    first = next(i for i, line in enumerate(lines) if line.strip())
    title = lines[first].strip()
    if title.startswith(("{", "[")):
        return f"it looks like JSON (the first line starts with {title[0]!r})"
    if first + 1 < len(lines) and lines[first + 1].strip():
        return "no title line (the first paragraph runs over several lines)"
    if len(title) > TITLE_MAX:
        return f"no title line (the first line has {len(title)} characters; at most {TITLE_MAX})"
    if len(blocks) - 1 > MAX_PARAGRAPHS:
        return f"{len(blocks) - 1} paragraphs (at most {MAX_PARAGRAPHS} in a saved article)"
    return None


class _HTMLText(HTMLParser):
    """The text of an HTML page: its <title> apart, then the text of each block as a
    paragraph; scripts, styles and the page's chrome (navigation, footer, asides) dropped."""

    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "nav", "footer", "aside"})
    BLOCKS = frozenset({
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
        "ul", "ol", "br", "tr", "table", "blockquote", "pre", "dd", "dt", "figcaption", "hr",
    })  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.parts: list[str] = []
        self.skipping = 0
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "title":
            self.in_title = True
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())  # newlines inside a paragraph are spaces
        if self.in_title:
            self.title.append(text)
        elif not self.skipping and text:  # keep the spaces between words of different tags
            lead, trail = " " * data[:1].isspace(), " " * data[-1:].isspace()
            self.parts.append(f"{lead}{text}{trail}")


def html_to_text(page: str) -> str:
    """An HTML page in the seed format: its title, a blank line, its paragraphs."""
    parser = _HTMLText()
    # A "<" that starts no whole tag (no ">" before the next "<") is text: held as a
    # private-use character, so that the parser never searches to the end of the page from
    # each one (2 MB of "</", "<!" or "<?" took it minutes: quadratic).
    parts = _TAG.split(page)
    parts[::2] = [text.replace("<", _LT) for text in parts[::2]]
    parser.feed("".join(parts))
    parser.close()
    title = " ".join(" ".join(parser.title).split()).replace(_LT, "<")
    body = "\n".join(" ".join(p.split()) for p in "".join(parser.parts).split("\n\n"))
    body = body.replace(_LT, "<")
    return f"{title}\n\n{body}\n" if title else f"{body}\n"


def empty_kb(name: str, today: datetime.date | None = None) -> dict[str, Any]:
    """A valid knowledge base with nothing in it."""
    return {
        "format": FORMAT_VERSION,
        "name": name,
        "version": "0",
        "reviewed": (today or datetime.date.today()).isoformat(),
        "language": "en",
        "references": [],
        "entries": [],
    }


def add_article(doc: dict[str, Any], entry: dict[str, Any], replace: bool, where: str) -> str:
    """Put ``entry`` into ``doc`` (in place); "added" or "replaced". Refuses duplicates."""
    entry_id = entry["id"]
    for ref in doc.get("references", []):
        if isinstance(ref, dict) and ref.get("id") == entry_id:
            raise ImportProblem(f"{where}: id {entry_id!r} is already a reference; not replaced")
    entries: list[Any] = doc["entries"]
    for i, old in enumerate(entries):
        if not (isinstance(old, dict) and old.get("id") == entry_id):
            continue
        if old.get("kind") != "article":
            raise ImportProblem(
                f"{where}: id {entry_id!r} is already a {old.get('kind')} entry; "
                "only articles can be replaced"
            )
        if not replace:
            raise ImportProblem(
                f"{where}: an article with id {entry_id!r} is already there "
                "(use --replace to overwrite it)"
            )
        entries[i] = entry
        return "replaced"
    entries.append(entry)
    return "added"


def dump(doc: dict[str, Any]) -> bytes:
    """The file bytes for ``doc``: readable UTF-8 JSON, or ASCII escapes for lone surrogates."""
    try:
        return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(doc, indent=2, ensure_ascii=True) + "\n").encode("ascii")


@dataclass(frozen=True)
class Imported:
    id: str
    title: str
    action: str  # "added" or "replaced"
    path: Path
    backup: Path | None
    paragraphs: int


def import_file(
    seed: Path,
    target: Path,
    replace: bool = False,
    on_wait: Callable[[Path], None] | None = None,
) -> Imported:
    """Add the article in ``seed`` to the knowledge base at ``target`` (created if missing).

    A symlink ``target`` is written through: its final target is replaced, the link stays.
    The read-modify-write runs under an advisory lock, so imports at once all land; when
    another holds it, ``on_wait`` is told the lock file's path before the bounded wait."""
    from crampcli.knowledge import loading
    from crampcli.knowledge.validate import validate

    try:
        raw = reading.read_regular(seed, MAX_ARTICLE_BYTES)
    except OSError as exc:
        raise ImportProblem(f"cannot read {seed}: {exc.strerror or exc}") from None
    entry = parse_seed(decode_seed(raw, seed.name), seed.name)
    real = _real_path(target)
    if kind := reading.special_kind(real):  # before the lock file is made beside it
        raise ImportProblem(f"cannot write {target}: not a regular file ({kind})")
    if real.resolve() == loading.bundled_path().resolve():
        raise UsageProblem("the bundled knowledge base is never changed; use --into YOUR-FILE.json")
    with _locked(real, target, on_wait):
        if real.exists():
            doc, _ = loading.read_document(real)
            if problems := validate(doc):
                raise DataError(str(target), problems)
        else:
            doc = empty_kb("Imported articles")
        action = add_article(doc, entry, replace, str(target))
        if problems := validate(doc):  # parse_seed made the entry: a bug, so write nothing
            raise DataError(str(target), problems)
        backup = write_atomic(real, dump(doc), shown=target)
    paragraphs = len(entry["paragraphs"])
    return Imported(entry["id"], entry["title"], action, target, backup, paragraphs)


def _real_path(path: Path) -> Path:
    """Where a write to ``path`` must land: every symlink on the way resolved (the end of a
    chain may not exist yet), so that a link itself is kept. ImportProblem for a loop, or a
    link someone else owns anywhere on the way (atomic.trusted_path): they would choose
    which file we write."""
    try:
        return atomic.trusted_path(path)
    except OSError as exc:
        raise ImportProblem(f"cannot write {path}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def _locked(
    real: Path, shown: Path, on_wait: Callable[[Path], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive advisory lock (``flock``) on ``.NAME.lock`` beside ``real``. The lock
    file stays (removing it would let a third writer lock a new file while a second holds the
    old one); the kernel drops the lock when the process ends, even killed. A lock file that
    is not a regular file of ours is refused (``_lock`` says how long it waits)."""
    if not real.parent.is_dir():
        raise ImportProblem(f"cannot write {shown}: directory {str(real.parent)!r} does not exist")
    lock = real.with_name(f".{real.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600)
    except OSError as exc:
        raise ImportProblem(f"cannot write {shown}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ImportProblem(f"cannot write {shown}: {lock} is not a regular file")
        if info.st_uid != os.geteuid():  # they could hold it for ever, or remove it
            raise ImportProblem(
                f"cannot write {shown}: its lock file {lock} belongs to someone else "
                f"(uid {info.st_uid}); nothing was written"
            )
        os.fchmod(fd, 0o600)  # only we may open it: anyone who can lock it can hold it
        _lock(fd, lock, shown, on_wait)
        yield
    finally:
        os.close(fd)  # releases the lock


def _lock(fd: int, lock: Path, shown: Path, on_wait: Callable[[Path], None] | None) -> None:
    """Take the lock on ``fd`` at once, else say so (``on_wait``) and wait for it at most
    ``LOCK_WAIT_SECONDS``, never for ever: whoever holds it may never let it go."""
    import fcntl  # POSIX only, as atomic already is
    import time

    deadline = None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if deadline is None:
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            if on_wait is not None:
                on_wait(lock)
        elif time.monotonic() >= deadline:
            raise ImportProblem(
                f"cannot write {shown}: another crampcli (or another program) still holds "
                f"its lock {lock} after {LOCK_WAIT_SECONDS:g} s; nothing was written, try again"
            )
        time.sleep(0.05)


# --- writing -------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes, shown: Path) -> Path | None:
    """Replace ``path`` with ``data`` atomically, keeping the previous file as ``PATH.bak``
    (returned); ImportProblem with a plain message naming ``shown`` (the path as the user gave
    it) when it cannot be written."""
    try:
        return atomic.write(path, data, backup=True)
    except OSError as exc:
        raise ImportProblem(f"cannot write {shown}: {exc.strerror or exc}") from None
