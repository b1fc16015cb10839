"""Duo: pairs an online group into duos and runs a timed exercise for every duo at once."""
