"""Settings, database, clock and security helpers shared by every layer."""
