"""Who may join a session, and which joins look like one machine's rather than people's.

A session's joins are a lever on everyone in it: one address could fill it, or use up its
lifetime's joins, so that nobody else can come in. The rules here keep the host in control:
each address gets a share of a session's joins, the host's own clean-up is given back, the
host can lock the session, and a burst of joins from one address is shown to the host.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

# Joins from one address, each within this long of the one before, are one run ...
BURST_GAP_MS = 2_000
# ... and a run of this many is a burst: people on one network don't join this evenly.
BURST_LEAST = 10


@dataclass(frozen=True)
class JoinCaps:
    """How many may join a session: at once, over its life, and from one address."""

    present: int  # at once
    lifetime: int  # joins over the session's life, but those the host undid
    per_address: int  # joins from one address over the session's life


@dataclass(frozen=True)
class JoinCounts:
    """What a join is judged on, read under the session's lock."""

    present: int  # joined and not left
    joins: int  # every join so far
    undone: int  # joins the host removed again (their clean-up is not counted)
    from_address: int  # every join so far from the joining address
    locked: bool  # the host let nobody more in


class JoinRefused(Exception):
    """A join the rules refuse; ``locked`` tells a locked session from a full one."""

    def __init__(self, detail: str, locked: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.locked = locked


def check_join(counts: JoinCounts, caps: JoinCaps) -> None:
    """Raise JoinRefused when a join with ``counts`` would pass one of ``caps``."""
    if counts.locked:
        raise JoinRefused("The host has locked this session: nobody new can join.", True)
    if counts.present >= caps.present:
        raise JoinRefused(f"This session is full ({caps.present} participants).")
    if counts.joins - counts.undone >= caps.lifetime:
        raise JoinRefused(
            f"This session has been joined {caps.lifetime} times, the most it takes; "
            "the host can start a new one."
        )
    if counts.from_address >= caps.per_address:
        raise JoinRefused(
            f"This session has taken {caps.per_address} joins from this address, the most "
            "it takes from one address."
        )


@dataclass(frozen=True)
class Arrival:
    """A present participant's join: who, from which address (a key), when."""

    participant_id: str
    address: str | None
    joined_at_ms: int


@dataclass(frozen=True)
class Burst:
    """Joins from one address that came like a machine's: ``count`` in ``seconds``."""

    address: str
    participant_ids: tuple[str, ...]
    first_ms: int
    last_ms: int

    @property
    def count(self) -> int:
        return len(self.participant_ids)

    @property
    def seconds(self) -> int:
        """The time the burst took, in whole seconds, rounded up (at least 1)."""
        return max(1, -(-(self.last_ms - self.first_ms) // 1000))


def bursts(arrivals: Iterable[Arrival]) -> list[Burst]:
    """Return the bursts among ``arrivals``: runs of at least BURST_LEAST joins from one
    address, each within BURST_GAP_MS of the one before; largest first."""
    by_address: dict[str, list[Arrival]] = defaultdict(list)
    for arrival in arrivals:
        if arrival.address is not None:
            by_address[arrival.address].append(arrival)
    found: list[Burst] = []
    for address, joins in by_address.items():
        joins.sort(key=lambda a: a.joined_at_ms)
        run: list[Arrival] = []
        for arrival in joins:
            if run and arrival.joined_at_ms - run[-1].joined_at_ms > BURST_GAP_MS:
                found.extend(_burst(address, run))
                run = []
            run.append(arrival)
        found.extend(_burst(address, run))
    return sorted(found, key=lambda b: (-b.count, b.first_ms))


def _burst(address: str, run: list[Arrival]) -> list[Burst]:
    if len(run) < BURST_LEAST:
        return []
    ids = tuple(a.participant_id for a in run)
    return [Burst(address, ids, run[0].joined_at_ms, run[-1].joined_at_ms)]
