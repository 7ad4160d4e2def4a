"""What ``--help`` shows besides the options: a one-line summary and an EXAMPLES section per
command, as gh does. Every example is run by the tests (tests/test_help.py)."""

from __future__ import annotations

# The line in the root command list: wrapped there, never cut with "...".
SHORT_HELP = {
    "causes": "Why leg cramps happen.",
    "relieve": "What to do during a cramp.",
    "prevent": "How to make cramps less likely.",
    "warning-signs": "When to get medical help.",
    "articles": "The source articles.",
    "show": "One entry in full.",
    "search": "Search everything, in your own words.",
    "check": "Symptom checker: what may be going on.",
    "meds": "Is a medicine linked to cramps?",
    "doctor": "Seeing a doctor about cramps.",
    "validate": "Check a knowledge-base file.",
    "import": "Add a saved article to your own file.",
    "log": "Record a cramp in your diary.",
    "report": "A one-page summary for your doctor.",
    "diary": "Your cramp diary: list, stats, edit, export.",
    "diary edit": "Change an entry.",
    "diary delete": "Delete an entry (undo brings it back).",
    "diary undo": "Take back the last change.",
    "diary stats": "Counts per week, durations, what helped.",
    "diary export": "Every entry, as CSV or JSON.",
    "diary import": "Add the entries of an export.",
    "diary wipe": "Delete the whole diary from this machine.",
    "diary path": "Where the diary lives.",
    "diary backup": "A consistent copy of the diary, readable by you only.",
    "diary restore": "Put a backup in place of the diary.",
    "cache": "What crampcli keeps to start faster.",
    "cache clear": "Remove the cached pages and indexes.",
    "help": "Help on a command, or a topic.",
    "completion": "The shell completion script.",
}

# `crampcli help TOPIC`: the texts are crampcli/topics/TOPIC.txt.
TOPICS = ("environment", "exit-codes", "json", "privacy")

# What bare `crampcli` lists: the commands people start with (`--help` lists them all).
FIRST_STEPS = ("relieve", "causes", "check", "warning-signs", "search", "meds", "log", "diary")

EXAMPLES = {
    "": [
        ("Cramping right now", "crampcli relieve --now"),
        ("Look something up", "crampcli search cramps at night"),
        ("Emergency numbers for Ireland", "crampcli --country IE warning-signs"),
        ("Turn on completion (bash, zsh, fish)", "crampcli help completion"),
    ],
    "help": [
        ("One command, with its examples", "crampcli help diary stats"),
        ("Where your data lives", "crampcli help privacy"),
        ("Exit codes, the same with --json", "crampcli help exit-codes"),
    ],
    "completion": [
        ("zsh: add to ~/.zshrc, after compinit", 'eval "$(crampcli completion zsh)"'),
        ("bash: add to ~/.bashrc", 'eval "$(crampcli completion bash)"'),
        ("fish: save as ~/.config/fish/completions/crampcli.fish", "crampcli completion fish"),
    ],
    "causes": [
        ("Every cause, most common first", "crampcli causes"),
        ("Causes for runners, at night", "crampcli causes --who runners --when night"),
        ("One line each", "crampcli causes --brief"),
    ],
    "relieve": [
        ("Cramping right now", "crampcli relieve --now"),
        ("Without the countdown", "crampcli relieve --now --no-timer"),
        ("Relief for older people", "crampcli relieve --who older"),
    ],
    "prevent": [
        ("Best supported first", "crampcli prevent"),
        ("For pregnancy, one line each", "crampcli prevent --who pregnant --brief"),
    ],
    "warning-signs": [
        ("Most serious first", "crampcli warning-signs"),
        ("As JSON", "crampcli warning-signs --json"),
    ],
    "articles": [
        ("List them", "crampcli articles"),
        ("Read one", "crampcli show what-causes-leg-cramps-in-women"),
    ],
    "show": [
        ("One cause", "crampcli show calcium-deficiency"),
        ("As JSON", "crampcli show magnesium --json"),
    ],
    "search": [
        ("In your own words", "crampcli search cramps at night"),
        ("Typos are fine", "crampcli search magnesum"),
        ("Why each result ranked", "crampcli search calf pain --explain"),
        ("Three results, as JSON", "crampcli search statins --limit 3 --json"),
    ],
    "check": [
        ("Answer questions", "crampcli check"),
        ("Give the answers", "crampcli check --when night --age 67"),
        ("A warning sign", "crampcli check --where calf --sign swelling"),
    ],
    "meds": [
        ("One medicine", "crampcli meds atorvastatin"),
        ("Brand names too", "crampcli meds lipitor lasix"),
    ],
    "doctor": [
        ("Before an appointment", "crampcli doctor"),
    ],
    "validate": [
        ("Check your own file", "crampcli validate my-cramps.json"),
    ],
    "log": [
        ("Right now", "crampcli log --leg left --minutes 3 --pain 7"),
        ("Last night, woken", 'crampcli log --at "last night 3am" --woke --minutes 2'),
        ("With what helped", "crampcli log --minutes 1 --helped wall-stretch"),
    ],
    "diary": [
        ("Your last 20 entries", "crampcli diary"),
        ("Counts per week, durations, what helped", "crampcli diary stats"),
        ("A copy to keep", "crampcli diary backup cramps-backup.sqlite3"),
        ("Since the new tablets", 'crampcli diary stats --since "28 Nov"'),
    ],
    "diary path": [
        ("Where the diary lives", "crampcli diary path"),
    ],
    "diary backup": [
        ("A copy, even while the diary is in use", "crampcli diary backup cramps.sqlite3"),
    ],
    "diary restore": [
        (
            "Back to that copy (asks first; the diary as it is now is kept)",
            "crampcli diary restore cramps.sqlite3",
        ),
    ],
    "diary stats": [
        ("The last 8 weeks", "crampcli diary stats"),
        ("A year, as JSON", "crampcli diary stats --weeks 52 --json"),
    ],
    "diary edit": [
        ("Entry 3 lasted 4 minutes", "crampcli diary edit 3 --minutes 4"),
        ("It did not wake you", "crampcli diary edit 3 --no-woke"),
    ],
    "diary delete": [
        ("Delete entry 3 (asks first)", "crampcli diary delete 3"),
        ("Without asking", "crampcli diary delete 3 --yes"),
    ],
    "diary undo": [
        ("Take back the last change", "crampcli diary undo"),
    ],
    "diary export": [
        ("A backup, lossless", "crampcli diary export -o cramps.json"),
        ("For a spreadsheet", "crampcli diary export --format csv -o cramps.csv"),
    ],
    "diary import": [
        ("From a backup (checked first)", "crampcli diary import cramps.json"),
        ("From stdin", "crampcli diary import - --format csv"),
    ],
    "diary wipe": [
        ("Delete the diary (asks first)", "crampcli diary wipe"),
    ],
    "report": [
        ("The last 4 weeks, as Markdown", "crampcli report"),
        ("A printable page", "crampcli report --html cramps.html --name 'Ann Smith'"),
    ],
    "cache": [
        ("Remove the pages and indexes kept to start faster", "crampcli cache clear"),
    ],
    "import": [
        ("Add an article", "crampcli import saved-page.txt --into my-cramps.json"),
        ("Then use it", "crampcli --data my-cramps.json search calcium"),
    ],
}


def short_help() -> str:
    """What bare `crampcli` prints: fits a 24-line terminal, ends with where to learn more."""
    rows = [f"  {name:<15}{SHORT_HELP[name]}" for name in FIRST_STEPS]
    return "\n".join(
        [
            "crampcli: leg cramps, offline. Not medical advice.",
            "",
            "Cramping right now?  crampcli relieve --now",
            "",
            "Usage: crampcli [OPTIONS] COMMAND [ARGS]...",
            "",
            "Start with:",
            *rows,
            "",
            "Learn more:",
            "  crampcli --help           every command and option",
            "  crampcli help COMMAND     one command, with examples",
            f"  crampcli help TOPIC       {', '.join(TOPICS)}",
            "  README.md and docs/guide.md in the source",
        ]
    )


def epilog(name: str) -> str:
    """The EXAMPLES section of ``crampcli NAME --help`` ("" for the root), laid out as written:
    ``\\b`` before a paragraph keeps click from rewrapping it."""
    shown = [f"\b\n  # {what}\n  $ {command}" for what, command in EXAMPLES.get(name, [])]
    return "\n\n".join(["Examples:", *shown]) if shown else ""
