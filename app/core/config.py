"""Duo's settings, read once from the environment (prefix ``DUO_``) and an optional ``.env``."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything Duo can be configured with."""

    model_config = SettingsConfigDict(env_prefix="DUO_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./data/duo.db"
    redis_url: str | None = None
    # The origin of every link Duo makes (join, host, QR), e.g. https://duo.example.org.
    # Unset: the request's Host, if it is one of DUO_ALLOWED_HOSTS (else 400).
    public_url: str | None = None
    # Comma-separated host names (without port) Duo makes links for when DUO_PUBLIC_URL is unset.
    allowed_hosts: str = "localhost,127.0.0.1,[::1]"
    # How many threads wait for the database at once (each holds one pooled connection).
    database_threads: int = 8
    # Run one breakout on a session of its own at start-up (then deleted), so that the
    # first real one is as fast as the next.
    warm_up: bool = True
    session_ttl_hours: float = 24.0
    # Comma-separated origins allowed to open a WebSocket; empty: only the service's own.
    allowed_origins: str = ""
    hello_timeout_seconds: float = 10.0
    # A request's head (or a WebSocket upgrade's) not complete this long after its first byte
    # closes the connection (python -m app).
    head_timeout_seconds: float = 10.0
    max_frame_bytes: int = 64 * 1024
    # How long changes close together are folded into one state, at the most.
    fold_ms: int = 25
    # With Redis: a process's presence expires this long after its last heartbeat.
    presence_ttl_seconds: float = 20.0
    presence_heartbeat_seconds: float = 5.0
    # Abuse limits (per client IP unless said otherwise); 0 turns a rate limit off.
    sessions_per_minute: int = 30
    joins_per_minute: int = 600
    signals_per_minute: int = 30  # "done" and "help" raised by participants
    misses_per_minute: int = 60  # unknown or expired codes asked for
    max_participants: int = 500  # per session, at once
    # Over a session's lifetime: every join counted, but those the host removed again.
    max_joins_per_session: int = 2000
    # Joins of one session from one address, over its lifetime (an office shares one).
    max_joins_per_address: int = 200
    max_sockets_per_participant: int = 8
    max_sockets_per_ip: int = 1000
    messages_per_second: float = 20.0  # per socket, with a burst of twice as many
    max_body_bytes: int = 64 * 1024
    # Comma-separated addresses the per-address limits do not count: the machine itself by
    # default. Behind a proxy, start uvicorn with --proxy-headers so clients keep theirs.
    unlimited_addresses: str = "127.0.0.1,::1"
    # A client that has not taken a message for this long is dropped.
    send_timeout_seconds: float = 10.0

    @property
    def unlimited(self) -> frozenset[str]:
        """Return the addresses the per-address limits do not count."""
        return frozenset(a.strip() for a in self.unlimited_addresses.split(",") if a.strip())

    @property
    def host_allowlist(self) -> frozenset[str]:
        """Return the host names links may be made for, lower-cased."""
        return frozenset(h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip())

    @property
    def origin_allowlist(self) -> frozenset[str]:
        """Return the extra allowed origins, normalised without a trailing slash."""
        return frozenset(
            o.strip().rstrip("/").lower() for o in self.allowed_origins.split(",") if o.strip()
        )


@lru_cache
def get_settings() -> Settings:
    """Return the settings of this process."""
    return Settings()
