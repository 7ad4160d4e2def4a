"""Talking to a person at a terminal: the questionnaire and the stretch countdown."""
