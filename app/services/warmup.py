"""A breakout run once when a process starts, on a session of its own, so that the first
real one does not pay for what is done once per process: SQLAlchemy compiling each
statement and configuring its mappers, the driver preparing, every path of the pairing and
the state's encoding taken for the first time. The session is deleted at once."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.events import BreakoutControl
from app.services.hub import Hub
from app.services.state import States

if TYPE_CHECKING:
    from app.services.container import Services

log = logging.getLogger(__name__)

PEOPLE = 5  # a trio and a duo: every kind of group


async def warm_up(services: Services) -> None:
    """Create a session, fill and run a breakout on it, read and encode its state, delete
    it. A failure is logged, never raised: the process serves all the same."""
    try:
        await _run_once(services)
    except Exception:
        log.exception("the warm-up breakout failed; the first real one will be slower")


async def _run_once(services: Services) -> None:
    created = await services.sessions.create_session("warm-up", "en", 60)
    code, host = created.code, f"Bearer {created.host_token}"
    people = [await services.sessions.join(code, f"warm-up {n}", "warm-up") for n in range(PEOPLE)]
    hub: Hub = services.hub
    try:
        for person in people:
            await hub.connected(code, person.id)
        await services.breakouts.start_breakout(code, host)
        for action in (BreakoutControl.PAUSE, BreakoutControl.RESUME, BreakoutControl.END):
            await services.breakouts.control(code, host, action)
        states = States(await services.snapshots.read(code, await hub.online(code)))
        states.for_host()
        for person in people:
            states.participant_text(states.participant_key(person.id))
    finally:
        for person in people:
            await hub.disconnected(code, person.id)
        await services.expiry.delete(code)
