"""A meeting played by people, not a script: what a host and participants do, through the
HTTP API, and every `state` they would be sent after each step, with the invariants those
states must hold (issue 18.9).

One ``Meeting`` serves both players: hypothesis's stateful testing (``test_meeting_model``),
which shrinks a failing sequence to its shortest, and ``play``, which plays seeded random
sequences and keeps every state, for the pages' own models to be checked against the same
invariants in Node (``tests/js/view.test.js``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel

from app.core.clock import ManualClock
from app.domain.meeting import CLOSED_LIFETIME_MS
from app.services.container import Services
from app.services.state import States
from tests.conftest import unlimited_settings
from tests.utils.app import make_test_app
from tests.utils.factories import connected

Json = dict[str, Any]
NAMES = ("Anna", "Bram", "Chloe", "Daan", "Eva", "Fenna", "Gijs")
# What an answer may be: the step was done, or refused as the contract says (never a 500).
ALLOWED = {200, 201, 204, 404, 409, 410, 423}


@dataclass
class Person:
    name: str
    id: str
    token: str
    online: bool = True
    left: bool = False
    socket: ExitStack = field(default_factory=ExitStack)  # their open socket, while online


@dataclass
class Meeting:
    """One session, its host and its people, played through the API with a clock that only
    moves when the player says so."""

    client: TestClient
    clock: ManualClock
    code: str
    host_token: str
    people: list[Person] = field(default_factory=list)
    states: list[Json] = field(default_factory=list)  # every step's states, when recording
    recording: bool = False
    closed_at_ms: int | None = None  # when the host closed the session

    # ---- what people do ---------------------------------------------------------------

    def join(self, name: str) -> None:
        answer = self.client.post(f"/api/sessions/{self.code}/participants", json={"name": name})
        self._expect(answer)
        if answer.status_code == 201:
            body = answer.json()
            person = Person(name, body["id"], body["token"])
            self.people.append(person)
            self._connect(person)

    def agree(self, person: Person) -> None:
        self._as(person, "post", f"participants/{person.id}/agreement")

    def go_offline(self, person: Person) -> None:
        person.online = False
        person.socket.close()

    def come_back(self, person: Person) -> None:
        if not person.online:
            person.online = True
            self._connect(person)

    def leave(self, person: Person) -> None:
        answer = self._as(person, "delete", f"participants/{person.id}")
        if answer.status_code == 204:
            person.left = True
            with suppress(Exception):  # the server closed it (4403)
                person.socket.close()

    def close_sockets(self) -> None:
        for person in self.people:
            with suppress(Exception):
                person.socket.close()

    def signal(self, person: Person, kind: str) -> None:
        self._as(person, "post", f"participants/{person.id}/signal", {"kind": kind})

    # ---- what the host does -----------------------------------------------------------

    def host(self, path: str, body: Any = None) -> None:
        self._expect(
            self.client.post(
                f"/api/sessions/{self.code}/{path}",
                json=body,
                headers={"Authorization": f"Bearer {self.host_token}"},
            )
        )

    def wait(self, ms: int) -> None:
        self.clock.advance(ms)

    def close(self) -> None:
        """The host closes the session (not erased: it stays readable for an hour)."""
        answer = self.client.post(
            f"/api/sessions/{self.code}/close",
            headers={"Authorization": f"Bearer {self.host_token}"},
        )
        self._expect(answer)
        if answer.status_code == 200:
            self.closed_at_ms = answer.json()["closed_at_ms"]

    # ---- what they are shown ----------------------------------------------------------

    @property
    def present(self) -> list[Person]:
        return [p for p in self.people if not p.left]

    def views(self) -> tuple[Json, dict[str, Json]]:
        """Return the host's state and every present participant's, as they would be sent
        now (encoded from a fresh snapshot, as a flush does)."""
        services: Services = self.client.app.state.services  # type: ignore[attr-defined]
        online = frozenset(p.id for p in self.present if p.online)
        snapshot = services.snapshots.read_now(self.code, online)
        states = States(snapshot)
        host = json.loads(states.for_host()[0])
        mine = {p.id: json.loads(states.for_participant(p.id)[0]) for p in self.present}
        if self.recording:
            self.states.append({"now": snapshot.now_ms, "host": host, "participants": mine})
        return host, mine

    def check(self) -> None:
        """Assert every invariant on what everyone is shown now."""
        if self.expired:  # an hour after closing it is gone, for everyone
            assert self.client.get(f"/api/sessions/{self.code}").status_code == 404
            return
        host, mine = self.views()
        check_states(host, mine)
        # A closed session stays closed, with the time of its first close; else it is open.
        assert host["session"]["closed_at_ms"] == self.closed_at_ms

    @property
    def expired(self) -> bool:
        closed = self.closed_at_ms
        return closed is not None and self.clock.now_ms() >= closed + CLOSED_LIFETIME_MS

    # ---- helpers ----------------------------------------------------------------------

    def _connect(self, person: Person) -> None:
        """Open the person's socket and say hello: they are online for the server too."""
        person.socket = ExitStack()
        person.socket.enter_context(connected(self.client, self.code, person.token))

    def _as(self, person: Person, method: str, path: str, body: Any = None) -> Any:
        answer = self.client.request(
            method,
            f"/api/sessions/{self.code}/{path}",
            json=body,
            headers={"Authorization": f"Bearer {person.token}"},
        )
        self._expect(answer)
        return answer

    @staticmethod
    def _expect(answer: Any) -> None:
        assert answer.status_code in ALLOWED, (answer.status_code, answer.text)


@contextmanager
def meeting(**fields: Any) -> Iterator[Meeting]:
    """Yield a new session with its host, on an in-memory database and a manual clock."""
    clock = ManualClock()
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    SQLModel.metadata.create_all(engine)
    try:
        app = make_test_app(unlimited_settings(), clock, engine)
        with TestClient(app) as client:
            created = client.post("/api/sessions", json={"language": "nl", **fields}).json()
            played = Meeting(client, clock, created["code"], created["host_token"])
            try:
                yield played
            finally:
                played.close_sockets()
    finally:
        engine.dispose()


# ---- the invariants -------------------------------------------------------------------

ACTIVITIES = {"lobby", "checkin", "checkout", "breakout", "break"}


def check_states(host: Json, mine: dict[str, Json]) -> None:
    """Assert what must hold of the host's state and every participant's at one moment."""
    meeting = host["meeting"]
    assert meeting["activity"] in ACTIVITIES
    running = _breakout_running(host)
    # Exactly one activity runs.
    assert (meeting["round"] is not None) + (meeting["break"] is not None) + running <= 1, meeting
    if meeting["round"] is not None:
        assert meeting["activity"] in {"checkin", "checkout"}
    if meeting["break"] is not None:
        assert meeting["activity"] == "break"
    if running:
        assert meeting["activity"] == "breakout"
    present = {p["id"] for p in host["participants"]}
    assert set(mine) == present
    departed = {p["id"] for p in host["departed"]}
    closed = host["session"].get("closed", False)
    if closed:  # nothing runs any more, and nothing can start
        assert meeting["activity"] == "lobby" and not running, meeting
        assert meeting["round"] is None and meeting["break"] is None, meeting
    for pid, state in mine.items():
        # Counts, the session and the activity agree between the host and everyone.
        assert state["participant_count"] == host["participant_count"]
        assert state["session"] == host["session"]
        assert state["meeting"]["activity"] == meeting["activity"]
        assert state["session"].get("closed", False) == closed
        assert state["me"]["id"] == pid
        _check_group(host, state, pid, departed)


def _breakout_running(state: Json) -> bool:
    breakout = state["breakout"]
    if breakout is None or breakout["status"] == "finished":
        return False
    slots = breakout["slots"]
    return not slots or state["server_ms"] < slots[-1]["ends_at_ms"]


def _check_group(host: Json, state: Json, pid: str, departed: set[str]) -> None:
    breakout = state["breakout"]
    if breakout is None:
        assert host["breakout"] is None
        return
    group = breakout["my_group"]
    hosts_groups = host["breakout"]["groups"]
    mine = [i for i, g in enumerate(hosts_groups) if pid in g["members"]]
    if group is None:
        assert mine == []
        return
    # Groups agree between the host and their members.
    assert mine == [group["index"]]
    assert [m["id"] for m in group["members"]] == hosts_groups[group["index"]]["members"]
    assert {m["id"] for m in group["members"] if m["left"]} == set(
        hosts_groups[group["index"]]["left"]
    )
    # Nobody is told to listen to, ask or answer someone who left: no phase that has not
    # started names a departed member, while anyone else is still there to talk with.
    members = {m["id"] for m in group["members"]}
    still_there = members - departed
    if len(still_there) < 2:
        return
    current = breakout["current_slot"]
    for i, phase in enumerate(group["phases"]):
        if group["first_slot"] + i > current:
            assert phase["teller"] not in departed, (i, phase, departed)


# ---- a player of seeded random sequences -----------------------------------------------

Step = Callable[[Meeting, random.Random], None]


def _someone(m: Meeting, rng: random.Random) -> Person | None:
    return rng.choice(m.present) if m.present else None


def _with_someone(act: Callable[[Meeting, Person], None]) -> Step:
    def step(m: Meeting, rng: random.Random) -> None:
        person = _someone(m, rng)
        if person is not None:
            act(m, person)

    return step


STEPS: list[tuple[int, Step]] = [
    (6, lambda m, rng: m.join(rng.choice(NAMES))),
    (4, _with_someone(Meeting.agree)),
    (2, _with_someone(Meeting.go_offline)),
    (2, _with_someone(Meeting.come_back)),
    (2, _with_someone(Meeting.leave)),
    (2, lambda m, rng: (p := _someone(m, rng)) and m.signal(p, rng.choice(["done", "help"]))),
    (3, lambda m, rng: m.host("breakouts")),
    (1, lambda m, rng: m.host(f"breakouts/current/{rng.choice(['pause', 'resume', 'skip'])}")),
    (1, lambda m, rng: m.host("breakouts/current/end")),
    (
        2,
        lambda m, rng: m.host(
            "rounds", {"kind": rng.choice(["checkin", "checkout"]), "question": "Hoe gaat het?"}
        ),
    ),
    (2, lambda m, rng: m.host("rounds/current/next")),
    (1, lambda m, rng: m.host("rounds/current/end")),
    (1, lambda m, rng: m.host("messages", {"text": "Nog vijf minuten"})),
    (1, lambda m, rng: m.host("breaks", {"minutes": 1})),
    (1, lambda m, rng: m.host("breaks/current/end")),
    (4, lambda m, rng: m.wait(rng.choice([1_000, 15_000, 60_000, 61_000]))),
    (1, lambda m, rng: m.close()),
]


def play(seed: int, steps: int = 40) -> list[Json]:
    """Play ``steps`` random steps with ``seed``; return every step's states (checked)."""
    rng = random.Random(seed)
    weights = [w for w, _ in STEPS]
    with meeting() as m:
        m.recording = True
        for _ in range(steps):
            _, step = rng.choices(STEPS, weights)[0]
            step(m, rng)
            m.check()
        return m.states
