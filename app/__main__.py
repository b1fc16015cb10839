"""Run Duo: bring the database schema up to date, then serve with the settings Duo is
measured and hardened with, so that no deployment depends on remembering uvicorn flags.

    python -m app [--host 127.0.0.1] [--port 8000] [--no-migrate] [--log-level info]
    python -m app migrate

Served as measured (docs/benchmarks.md, docs/deploy.md): no per-message deflate (half the
memory per socket), request heads of at most 16 KiB (``app/core/http.py``: larger ones
answer 431 before more is read), WebSocket messages no larger than Duo's frame limit (uvicorn would
otherwise assemble up to 16 MiB before Duo could refuse it), the client address taken from
the proxy's headers when the proxy is one of ``--forwarded-allow-ips``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from alembic.config import Config

from alembic import command
from app.core.config import get_settings
from app.core.http import BoundedHeadProtocol

MIGRATIONS = Path(__file__).resolve().parent / "migrations"  # alembic/, shipped inside


def migrate() -> None:
    """Bring the database that DUO_DATABASE_URL names to the newest schema."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    command.upgrade(config, "head")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app", description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", choices=["serve", "migrate"], default="serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-migrate", action="store_true", help="serve without migrating")
    parser.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    if args.command == "migrate" or not args.no_migrate:
        migrate()
    if args.command == "migrate":
        return
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=args.port,
        forwarded_allow_ips=args.forwarded_allow_ips,
        log_level=args.log_level,
        proxy_headers=True,
        ws_per_message_deflate=False,
        http=BoundedHeadProtocol,
        ws_max_size=get_settings().max_frame_bytes,
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
