"""Answers from a knowledge base: search, the symptom checker. Pure: returns dataclasses."""
