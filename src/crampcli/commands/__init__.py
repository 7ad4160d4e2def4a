"""The commands, one module per family, each with its own Typer app. The root command
(crampcli.cli) imports a module only when one of its commands runs or help lists them all,
so `crampcli log` never loads the checker's options nor `search` the diary's."""

from __future__ import annotations

# Command name -> the module in this package that defines it, in the order help lists them.
MODULES = {
    "causes": "reading",
    "relieve": "reading",
    "prevent": "reading",
    "warning-signs": "reading",
    "articles": "reading",
    "show": "reading",
    "search": "reading",
    "check": "check",
    "meds": "meds",
    "doctor": "meds",
    "validate": "kb_files",
    "import": "kb_files",
    "log": "diary",
    "report": "diary",
    "diary": "diary",
    "cache": "cache",
    "help": "meta",
    "completion": "meta",
}
