"""The cramp diary: a person's own records, in one SQLite file on their machine. No printing."""
