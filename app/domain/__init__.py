"""Duo's pure rules: pairing and the exercise timeline. No I/O, no await, no database."""
