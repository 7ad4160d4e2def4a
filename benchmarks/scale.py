"""How crampcli scales: synthetic knowledge bases of 1,000 to 100,000 entries, timed.

    python benchmarks/scale.py [--sizes 1000 10000 100000] [--rounds 3] [--dir DIR] [--check]

Each knowledge base is written in the real format (it passes ``crampcli validate``) with
realistic-ish text: titles, aliases, a summary and 2-3 detail paragraphs per entry, drawn with
a Zipf-like frequency from a vocabulary of a few thousand words that grows with the size (as
real collections do). For each size it reports the file size; the load time (``loading.load``: read,
parse, validate, build), split into its parts; the index build (cold: no cache file, the cache
file then written) and the index load from the cache (warm); the time per query (median and
worst over ~20 queries: single words, rare words, several words, typos and no-match) on the
loaded knowledge base; and one end-to-end ``crampcli --data FILE --data-alone search`` run
with a warm cache, with its peak memory. Then the growth of each cost between sizes.

Each size is measured in a fresh process, ``--rounds`` times (3 by default), the sizes taking
turns (1k, 10k, 100k, 1k, ...), and each figure is the best of its rounds. On this shared
machine the same work was seen to take from 1x to 1.8x its best time from one minute to the
next, so the comparison is kept fair: every size gets the same number of samples, taking turns
spreads a slow spell over all sizes, and a sample of a small size repeats the work (100x for
1,000 entries, 10x for 10,000) so that it spans as long as one of 100,000 entries: a sample of
a fraction of a second can fall in a quiet moment, one of 15 s cannot (index builds of 10,000
entries: best 89, median 104, mean 112 us an entry over 16 runs in a row).

``--check`` exits 1 when a bar of the issue is missed: a query over 100,000 entries under 0.2 s;
a load of 100,000 entries under 2 s, with the prebuilt index the issue allows (the checked
document and the search index, cached); and no cost of a load or a query growing faster than
the size (100x the entries: at most 100x the time, with 25% slack for noise). The first load of
a new file and the one-time index build are printed beside them, with their growth.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from crampcli.knowledge.model import KnowledgeBase

QUERY_BAR_S = 0.2
LOAD_BAR_S = 2.0
BAR_SIZE = 100_000
GROWTH_SLACK = 1.25
# The bar: the cost of a load (of a new file, and of the knowledge base and its prebuilt
# index once cached) and of a query grows no worse than linearly. The one-time index build is
# reported beside them, not judged: it is what makes the prebuilt index.
LINEAR_BAR = ("load 1st", "load", "index warm", "query median")

# Everyday and medical words, so that queries read like real ones; the rest are made up.
_REAL_TEXT = """
leg legs calf calves foot feet thigh hamstring muscle muscles cramp cramps cramping spasm
spasms night nights sleep sleeping bed morning evening exercise running runner walking
swimming cycling stretch stretching stretches massage heat warm cold ice water drink
drinking fluids salt sodium potassium magnesium calcium vitamin minerals electrolytes
dehydration hydration sweat sweating tired tiredness fatigue pain painful sore soreness ache
aching tight tightness knot pregnancy pregnant women older age elderly athletes sport
training nerve nerves spine back disc kidney liver thyroid diabetes heart blood vessels
circulation clot thrombosis swelling redness warmth numbness tingling weakness medicine
medicines statins diuretics quinine alcohol caffeine coffee tea diet food banana milk dairy
supplements tablets doctor pharmacist emergency urgent shoes posture standing sitting
position toes heel ankle knee hip wall towel bath shower hot pack rub foam roller rest
recovery gentle slowly minutes seconds daily weekly charley horse hypocalcaemia
hyperlipidaemia cholesterol peripheral arterial disease dialysis cirrhosis hypothyroidism
neuropathy sciatica stenosis crampe caféine électrolytes
"""
REAL_WORDS = _REAL_TEXT.split()
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
QUERIES = [
    "magnesium",  # a common word: long posting lists
    "calf spasm at night",
    "potasium",  # a typo
    "statins muscle pain",
    "deep vein thrombosis",
    "charley horse",
    "zzqx blorf",  # nothing like it
    "hydration",
    "foot cramp",
    "stretching before bed",
    "cramps during pregnancy",
    "quinine",
    "electrolites",  # a typo
    "dehidration",  # a typo
    "nerve compression in the spine",
    "runners legs after training",
    "kidney dialysis",
    "thyroid",
    "muscle fatige",  # a typo
    "xylophone",
]
AUDIENCES = ("women", "pregnant", "older", "athletes")
SITUATIONS = ("night", "exercise", "after-exercise", "rest", "cold", "heat")
TOKENS = (
    "where:calf", "where:foot", "where:thigh", "when:night", "when:exercise", "when:rest",
    "who:pregnant", "who:sport", "recent:sweating", "recent:heat", "recent:new-medicine",
    "condition:kidney", "condition:thyroid", "sign:swelling", "sign:redness", "sign:numbness",
    "sign:weakness", "sign:chest-pain", "age>=60", "lasts-min>=10", "per-week>=3",
)  # fmt: skip
KINDS = (
    ("cause",) * 40
    + ("relief",) * 25
    + ("prevention",) * 22
    + ("red-flag",) * 10
    + ("article",) * 3
)
REFERENCES = [
    {
        "id": f"ref-{name}",
        "title": f"Reference: {name.title()}",
        "url": f"https://example.org/{name}",
    }
    for name in ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta")
]


def vocabulary_size(entries: int) -> int:
    """A few thousand words, growing slowly with the collection (Heaps' law)."""
    return int(1500 * max(entries, 1) ** 0.15)


class _Words:
    def __init__(self, rng: random.Random, size: int) -> None:
        made: set[str] = set(REAL_WORDS)
        while len(made) < size:
            made.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
        synthetic = sorted(made - set(REAL_WORDS))
        rng.shuffle(synthetic)
        ranked = list(synthetic)
        for word in REAL_WORDS:  # real words among the first thousand: they show up often
            ranked.insert(rng.randrange(min(1000, len(ranked) + 1)), word)
        self.words = ranked
        self.cum_weights = list(_accumulate(1.0 / (rank + 2) for rank in range(len(ranked))))
        self.rng = rng

    def zipf(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum_weights, k=k)

    def uniform(self, k: int) -> list[str]:
        return self.rng.choices(self.words, k=k)

    def sentence(self, lo: int, hi: int) -> str:
        words = self.zipf(self.rng.randint(lo, hi))
        return " ".join(words).capitalize() + self.rng.choice(".....!?")


def _accumulate(values: Iterable[float]) -> Iterable[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(ch for ch in w if ch.isalnum()) for w in ascii_text.lower().split())


def generate(entries: int, seed: int = 4) -> dict[str, Any]:
    """A valid knowledge-base document with ``entries`` entries."""
    rng = random.Random(seed)
    words = _Words(rng, vocabulary_size(entries))
    used: set[str] = {r["id"] for r in REFERENCES}
    helpers: list[str] = []  # relief and prevention ids, for causes' "helps"
    articles: list[str] = []
    out: list[dict[str, Any]] = []
    for n in range(entries):
        kind = KINDS[n % len(KINDS)] if n < len(KINDS) else rng.choice(KINDS)
        title_words = words.zipf(1) + words.uniform(rng.randint(1, 3))
        title = " ".join(title_words).capitalize()
        entry_id = _slug(title)
        while entry_id in used or not entry_id:
            entry_id = f"{entry_id}-{_slug(words.uniform(1)[0])}".strip("-")
        used.add(entry_id)
        sources = [r["id"] for r in rng.sample(REFERENCES, rng.randint(1, 2))]
        if articles and rng.random() < 0.3:
            sources.append(rng.choice(articles))
        entry: dict[str, Any] = {
            "id": entry_id,
            "kind": kind,
            "title": title,
            "summary": words.sentence(10, 18),
            "aliases": [" ".join(words.zipf(rng.randint(1, 3))) for _ in range(rng.randint(2, 5))],
            "sources": sources,
        }
        paragraphs = [
            " ".join(words.sentence(8, 16) for _ in range(rng.randint(2, 3)))
            for _ in range(rng.randint(2, 3))
        ]
        if kind == "article":
            entry.update(file=f"seeds/{entry_id}.html", paragraphs=paragraphs)
            articles.append(entry_id)
            out.append(entry)
            continue
        entry.update(
            details=paragraphs,
            evidence={
                "grade": rng.choice(("supported", "mixed", "not supported")),
                "note": words.sentence(6, 12),
            },
            audiences=rng.sample(AUDIENCES, rng.choice((0, 0, 1, 2))),
            situations=rng.sample(SITUATIONS, rng.choice((0, 1, 1, 2))),
        )
        if kind == "cause":
            if helpers:
                entry["helps"] = rng.sample(helpers, min(len(helpers), rng.randint(0, 3)))
            raises = [
                {"if": t, "weight": round(rng.uniform(0.2, 3.0), 2)}
                for t in rng.sample(TOKENS, rng.randint(0, 3))
            ]
            entry["check"] = {"prior": round(rng.uniform(0, 0.3), 2), "raises": raises}
        elif kind == "relief":
            helpers.append(entry_id)
            if n < 200 and rng.random() < 0.3:
                entry["now_rank"] = rng.randint(1, 5)
        elif kind == "prevention":
            helpers.append(entry_id)
        elif kind == "red-flag":
            entry["care"] = rng.choice(("emergency", "urgent", "doctor"))
            check: dict[str, Any] = {"any": rng.sample(TOKENS, rng.randint(1, 3))}
            if rng.random() < 0.3:
                check["escalate"] = {"care": "emergency", "any": rng.sample(TOKENS, 1)}
            entry["check"] = check
        out.append(entry)
    from crampcli.knowledge.vocabulary import LABELS

    flags = [e for e in out if e["kind"] == "red-flag"]
    if flags:  # a triage base gives every sign a rule of its own (validate checks)
        note = "Not a warning sign on its own in this synthetic knowledge base."
        flags[0]["notes"] = [{"if": t, "text": note} for t in LABELS if t.startswith("sign:")]
    return {
        "format": 1,
        "name": f"synthetic knowledge base ({entries} entries)",
        "version": f"synthetic-{entries}",
        "reviewed": "2026-01-01",
        "language": "en",
        "references": REFERENCES,
        "entries": out,
    }


def write_kb(folder: Path, entries: int, seed: int = 4) -> Path:
    """Write a generated knowledge base of ``entries`` entries into ``folder``; its path."""
    path = folder / f"kb-{entries}.json"
    path.write_text(json.dumps(generate(entries, seed), ensure_ascii=False), encoding="utf-8")
    return path


# --- measuring ------------------------------------------------------------------------------

T = TypeVar("T")


def timed(fn: Callable[[], T], loops: int = 1) -> tuple[float, T]:
    """Mean wall time of ``loops`` calls in a row, and the last result. The cyclic garbage
    collector is paused meanwhile, as crampcli pauses it around loading and indexing:
    otherwise its full collections rescan everything the benchmark already holds (the
    loaded knowledge base), a cost of the harness, not of the code measured."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(loops):
            result = fn()
        return (time.perf_counter() - start) / loops, result
    finally:
        gc.enable()


@dataclass
class Row:
    entries: int
    mib: float
    vocabulary: int
    read_parse: float
    validate: float
    build: float
    load: float
    load_warm: float
    index_build: float
    index_cold: float
    index_warm: float
    query_median: float
    query_worst: float
    cli_warm: float
    cli_mib: float


def load_parts(path: Path, loops: int) -> tuple[float, float, float]:
    """Times of loading.load's parts: read and parse, validate, build."""
    from crampcli.knowledge import loading, validate

    t_read, (doc, raw) = timed(lambda: loading.read_document(path), loops)
    t_valid, problems = timed(lambda: validate.validate(doc), loops)
    if problems:
        raise SystemExit(f"{path}: generated an invalid knowledge base: {problems[:3]}")
    t_build, _ = timed(lambda: loading.build(doc, str(path), raw), loops)
    return t_read, t_valid, t_build


def measure(path: Path, entries: int, cache_dir: Path, loops: int) -> Row:
    """Every figure of one size; each sample runs the work ``loops`` times in a row."""
    from crampcli.answers import search
    from crampcli.answers.index_cache import index_for
    from crampcli.knowledge import cache, loading

    os.environ[cache.CACHE_ENV] = str(cache_dir)
    t_read, t_valid, t_build = load_parts(path, loops)

    def forget(kind: str) -> None:
        for old in cache_dir.glob(f"{kind}-*"):
            old.unlink()

    def load_cold() -> KnowledgeBase:
        forget("document")
        return loading.load(path)

    t_load, base = timed(load_cold, loops)
    t_load_warm, _ = timed(lambda: loading.load(path), loops)
    t_index, index = timed(lambda: search.build_index(base.entries), loops)

    def cold() -> search.Index:
        forget("index")
        return index_for(base)

    t_cold, _ = timed(cold, loops)
    t_warm, warm = timed(lambda: index_for(base), loops)
    if warm != index:
        raise SystemExit("the cached index differs from the built one")

    per_query = []
    for query in QUERIES:
        t_query, _ = timed(lambda q=query: search.search(warm, base, q), 3)  # type: ignore[misc]
        per_query.append(t_query)
    cli_time, cli_kib = run_cli(path, cache_dir)
    return Row(
        entries=entries,
        mib=path.stat().st_size / 2**20,
        vocabulary=len(index.vocabulary),
        read_parse=t_read,
        validate=t_valid,
        build=t_build,
        load=t_load,
        load_warm=t_load_warm,
        index_build=t_index,
        index_cold=t_cold,
        index_warm=t_warm,
        query_median=statistics.median(per_query),
        query_worst=max(per_query),
        cli_warm=cli_time,
        cli_mib=cli_kib / 1024,
    )


# Runs crampcli as its console script does, then writes its own peak memory (VmHWM: this
# process's, from the exec on) to the descriptor PEAK_FD. A child's ru_maxrss would count the
# pages of the parent it was forked from: the benchmark, holding a loaded knowledge base.
_PEAK_OF_RUN = (
    "import os, sys\n"
    "sys.argv = ['crampcli', *sys.argv[1:]]\n"
    "from crampcli import launch\n"
    "try:\n"
    "    launch.main()\n"
    "finally:\n"
    "    with open('/proc/self/status') as f:\n"
    "        kib = [line.split()[1] for line in f if line.startswith('VmHWM')]\n"
    "    os.write(int(os.environ['PEAK_FD']), kib[0].encode() if kib else b'0')\n"
)


def run_peak(args: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, peak memory (KiB, the run's own) and exit code of ``crampcli ARGS``."""
    read_end, write_end = os.pipe()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _PEAK_OF_RUN, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**env, "PEAK_FD": str(write_end)},
        pass_fds=(write_end,),
    )
    os.close(write_end)
    proc.wait()
    elapsed = time.perf_counter() - start
    with os.fdopen(read_end, "rb") as peak:
        kib = int(peak.read() or b"0")
    return elapsed, kib, proc.returncode


def run_cli(path: Path, cache: Path) -> tuple[float, int]:
    """Best wall time and its peak memory (KiB) of ``crampcli --data PATH search ...`` with the
    caches of the knowledge base warm and the render cache off: a real load every run, never
    the replay of a page."""
    args = ["--data", str(path), "--data-alone", "search", QUERIES[1]]
    env = {
        **os.environ,
        "CRAMPCLI_CACHE_DIR": str(cache),
        "CRAMPCLI_RENDER_CACHE": "0",
        "COLUMNS": "80",
    }
    best, best_rss = float("inf"), 0
    for _ in range(2):
        elapsed, kib, code = run_peak(args, env)
        if code not in (0, 1):  # 1: no good match, still a complete run
            raise SystemExit(f"crampcli {' '.join(args)} exited {code}")
        if elapsed < best:
            best, best_rss = elapsed, kib
    return best, best_rss


def report(rows: list[Row]) -> bool:
    def ms(s: float) -> str:
        return f"{s * 1000:.1f}"

    columns: list[tuple[str, Callable[[Row], str]]] = [
        ("entries", lambda r: f"{r.entries:,}"),
        ("MiB", lambda r: f"{r.mib:.1f}"),
        ("terms", lambda r: f"{r.vocabulary:,}"),
        ("read+parse ms", lambda r: ms(r.read_parse)),
        ("validate ms", lambda r: ms(r.validate)),
        ("build ms", lambda r: ms(r.build)),
        ("LOAD 1st ms", lambda r: ms(r.load)),
        ("LOAD ms", lambda r: ms(r.load_warm)),
        ("index build ms", lambda r: ms(r.index_build)),
        ("cold ms", lambda r: ms(r.index_cold)),
        ("warm ms", lambda r: ms(r.index_warm)),
        ("QUERY med ms", lambda r: ms(r.query_median)),
        ("query worst ms", lambda r: ms(r.query_worst)),
        ("CLI warm ms", lambda r: ms(r.cli_warm)),
        ("CLI MiB", lambda r: f"{r.cli_mib:.0f}"),
    ]
    table = [[name for name, _ in columns]] + [[fmt(r) for _, fmt in columns] for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    for line in table:
        print("  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)))
    print()
    print("LOAD 1st = loading.load of a new file (read+parse+validate+build, document cached);")
    print("LOAD = loading.load again (read+checksum, document from the cache, build);")
    print("cold = index built and cache file written;")
    print("warm = index read from the cache; QUERY = search() on a loaded KB and index, median of")
    print(
        f"{len(QUERIES)} queries (worst: the slowest); CLI warm = `crampcli --data FILE search "
        f"{QUERIES[1]!r}` end to end with a warm cache;\n"
        "  the render cache off (a real load, never a replayed page), CLI MiB its own peak."
    )

    ok = True
    metrics: list[tuple[str, Callable[[Row], float]]] = [
        ("file size", lambda r: r.mib),
        ("load 1st", lambda r: r.load),
        ("load", lambda r: r.load_warm),
        ("index build", lambda r: r.index_build),
        ("index warm", lambda r: r.index_warm),
        ("query median", lambda r: r.query_median),
        ("query worst", lambda r: r.query_worst),
        ("CLI warm", lambda r: r.cli_warm),
    ]
    print()
    print("growth (cost ratio / size ratio; 1.00 = linear, below 1 = better than linear):")
    pairs = list(itertools.pairwise(rows))
    if len(rows) > 2:
        pairs.append((rows[0], rows[-1]))  # end to end: what the linearity bar is judged on
    for a, b in pairs:
        size_ratio = b.entries / a.entries
        cells = []
        for name, get in metrics:
            ratio = get(b) / get(a) if get(a) else float("inf")
            cells.append(f"{name} {ratio:.1f}x ({ratio / size_ratio:.2f})")
            linear_bar = name in LINEAR_BAR and (a, b) == (rows[0], rows[-1])
            if linear_bar and ratio > size_ratio * GROWTH_SLACK:
                ok = False
        print(f"  {a.entries:,} -> {b.entries:,} ({size_ratio:g}x): " + ", ".join(cells))
    print(
        "  (the bar is judged end to end, smallest to largest size: a single 10x step from a"
        " 1 MB file\n  mixes in CPU-cache effects and timer noise of a few ms)"
    )

    big = next((r for r in rows if r.entries == BAR_SIZE), None)
    print()
    if big is None:
        print(f"bars not checked: no {BAR_SIZE:,}-entry run")
        return ok
    loaded = big.load_warm + big.index_warm  # what every run after the first one pays
    ok_query, ok_load = big.query_worst < QUERY_BAR_S, loaded < LOAD_BAR_S
    print(
        f"bar: query over {BAR_SIZE:,} entries < {QUERY_BAR_S} s: "
        f"worst {big.query_worst:.3f} s, median {big.query_median:.3f} s -> "
        f"{'met' if ok_query else 'MISSED'}"
    )
    print(
        f"bar: load of {BAR_SIZE:,} entries with its prebuilt index < {LOAD_BAR_S} s: "
        f"{big.load_warm:.3f} + {big.index_warm:.3f} s -> {'met' if ok_load else 'MISSED'}"
    )
    print(
        f"     not judged: the first load of a new file {big.load:.3f} s "
        f"({'under' if big.load < LOAD_BAR_S else 'over'} {LOAD_BAR_S} s), and the one-time "
        f"index build {big.index_build:.3f} s"
    )
    print(
        f"bar: growth no worse than linear (+{GROWTH_SLACK - 1:.0%} noise), "
        f"{rows[0].entries:,} -> {rows[-1].entries:,} entries, for {', '.join(LINEAR_BAR)} -> "
        f"{'met' if ok else 'MISSED'}"
    )
    first, last = rows[0], rows[-1]
    build_growth = last.index_build / first.index_build / (last.entries / first.entries)
    print(f"     not judged: the one-time index build grew {build_growth:.2f}x as fast as the size")
    return ok and ok_query and ok_load


def measure_apart(path: Path, entries: int, cache_dir: Path, loops: int) -> Row:
    """``measure`` in a fresh Python process, so that no size inherits the heap (and the
    memory fragmentation) of the ones measured before it."""
    argv = [sys.executable, __file__, "--measure", str(path), str(entries), str(cache_dir)]
    argv.append(str(loops))
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"measuring {path.name} failed:\n{done.stderr}")
    return Row(**json.loads(done.stdout))


def best_of(rows: list[Row]) -> Row:
    """One row from several measurements of one size: the best time of each cost, and the
    highest peak memory."""
    best = {f.name: min(getattr(r, f.name) for r in rows) for f in fields(Row)}
    return Row(**{**best, "cli_mib": max(r.cli_mib for r in rows)})


def main() -> int:
    if sys.argv[1:2] == ["--measure"]:  # one size, in its own process (see measure_apart)
        kb_file, entries, cache_dir = Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
        print(json.dumps(asdict(measure(kb_file, entries, cache_dir, int(sys.argv[5])))))
        return 0

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--dir", type=Path, default=None, help="keep the generated files here")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3, help="times each size is measured")
    parser.add_argument("--check", action="store_true", help="exit 1 when a bar is missed")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="crampcli-scale-") as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        paths = {}
        for size in sorted(args.sizes):
            start = time.perf_counter()
            paths[size] = write_kb(folder, size, args.seed)
            elapsed = time.perf_counter() - start
            print(f"generated {paths[size].name} in {elapsed:.1f} s", file=sys.stderr, flush=True)
        runs: dict[int, list[Row]] = {size: [] for size in paths}
        for round_ in range(1, args.rounds + 1):
            for size, path in paths.items():
                print(
                    f"round {round_}/{args.rounds}: measuring {path.name} ...",
                    file=sys.stderr,
                    flush=True,
                )
                # A sample of a small size spans as long as one of the largest: see the docstring.
                loops = max(paths) // size
                runs[size].append(measure_apart(path, size, Path(tmp) / "cache", loops))
        rows = [best_of(runs[size]) for size in paths]
        print(
            f"Python {sys.version.split()[0]} on {os.cpu_count()} CPUs; "
            f"vocabulary: {', '.join(f'{vocabulary_size(s):,}' for s in sorted(args.sizes))} "
            f"words for the sizes below"
        )
        print()
        ok = report(rows)
    print()
    print("reproduce:")
    print(f"  {sys.executable} benchmarks/scale.py {' '.join(sys.argv[1:])}".rstrip())
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
