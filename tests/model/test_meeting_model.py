"""A meeting played by people in random order (hypothesis's stateful testing): after every
step, what the host and every participant are shown holds the invariants of
``tests/model/meeting.py``. Node checks the pages' models on seeded sequences of the same
steps (``test_the_pages_models_hold_the_invariants``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tests.model.meeting import NAMES, Meeting, Person, meeting, play
from tests.utils.server import ROOT
from tests.utils.services import unavailable

EXAMPLES = int(os.environ.get("DUO_MODEL_EXAMPLES", "15"))


class PeopleInAMeeting(RuleBasedStateMachine):
    """Join, agree or not, go offline, come back, leave, join late, ask for help or say
    done, between the host's starts, controls, messages, breaks and rounds."""

    def __init__(self) -> None:
        super().__init__()
        self._meeting_cm = meeting()
        self.m: Meeting = self._meeting_cm.__enter__()

    def teardown(self) -> None:
        self._meeting_cm.__exit__(None, None, None)

    @initialize(count=st.integers(0, 5))
    def arrive(self, count: int) -> None:
        for name in NAMES[:count]:
            self.m.join(name)

    def _pick(self, index: int) -> Person:
        present = self.m.present
        return present[index % len(present)]

    def has_people(self) -> bool:
        return bool(self.m.present)

    @rule(name=st.sampled_from(NAMES))
    def join(self, name: str) -> None:
        self.m.join(name)

    @precondition(has_people)
    @rule(index=st.integers(0, 10))
    def agree(self, index: int) -> None:
        self.m.agree(self._pick(index))

    @precondition(has_people)
    @rule(index=st.integers(0, 10))
    def go_offline(self, index: int) -> None:
        self.m.go_offline(self._pick(index))

    @precondition(has_people)
    @rule(index=st.integers(0, 10))
    def come_back(self, index: int) -> None:
        self.m.come_back(self._pick(index))

    @precondition(has_people)
    @rule(index=st.integers(0, 10))
    def leave(self, index: int) -> None:
        self.m.leave(self._pick(index))

    @precondition(has_people)
    @rule(index=st.integers(0, 10), kind=st.sampled_from(["done", "help"]))
    def signal(self, index: int, kind: str) -> None:
        self.m.signal(self._pick(index), kind)

    @rule()
    def start_breakout(self) -> None:
        self.m.host("breakouts")

    @rule(action=st.sampled_from(["pause", "resume", "skip", "end"]))
    def control(self, action: str) -> None:
        self.m.host(f"breakouts/current/{action}")

    @rule(seconds=st.sampled_from([10, 60]))
    def extend(self, seconds: int) -> None:
        self.m.host("breakouts/current/extend", {"seconds": seconds})

    @rule(kind=st.sampled_from(["checkin", "checkout"]))
    def start_round(self, kind: str) -> None:
        self.m.host("rounds", {"kind": kind, "question": "Hoe gaat het?"})

    @rule(action=st.sampled_from(["next", "end"]))
    def round_step(self, action: str) -> None:
        self.m.host(f"rounds/current/{action}")

    @rule()
    def message(self) -> None:
        self.m.host("messages", {"text": "Nog vijf minuten"})

    @rule()
    def start_break(self) -> None:
        self.m.host("breaks", {"minutes": 1})

    @rule()
    def end_break(self) -> None:
        self.m.host("breaks/current/end")

    @rule(ms=st.sampled_from([1_000, 15_000, 59_000, 60_000, 61_000, 300_000]))
    def wait(self, ms: int) -> None:
        self.m.wait(ms)

    @rule()
    def close(self) -> None:
        self.m.close()

    @invariant()
    def everyone_is_shown_what_runs(self) -> None:
        self.m.check()


PeopleInAMeeting.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_meeting_model = PeopleInAMeeting.TestCase


SEQUENCES = 8


def test_the_pages_models_hold_the_invariants(tmp_path: Path) -> None:
    """The same steps, seeded, through the pages' pure models (web/js/view.js) in Node's
    test runner: every state of every sequence, for the host and every participant."""
    node = shutil.which("node")
    if node is None:
        unavailable("Node.js is not installed: the pages' models are not run")
    recorded = tmp_path / "sequences.json"
    recorded.write_text(json.dumps([play(seed) for seed in range(SEQUENCES)]))
    run = subprocess.run(
        [node, "--test", *map(str, sorted((ROOT / "tests" / "js").glob("*.test.mjs")))],
        env={**os.environ, "DUO_MODEL_SEQUENCES": str(recorded)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
