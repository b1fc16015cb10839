// The pages' pure models (web/js/view.js) against the invariants of a meeting played by
// people: every state of the seeded sequences tests/model/meeting.py played through the API
// (DUO_MODEL_SEQUENCES names the file; tests/model/test_meeting_model.py writes it and runs
// this with `node --test`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { Screen, hostModel, participantModel } from "../../web/js/view.js";
import { t } from "../../web/js/i18n.js";
import { roomList } from "../../web/js/rooms.js";

const file = process.env.DUO_MODEL_SEQUENCES;
if (!file) throw new Error("DUO_MODEL_SEQUENCES is not set: run tests/model/test_meeting_model.py");
const sequences = JSON.parse(readFileSync(file, "utf8"));

const IN_A_GROUP = new Set([Screen.BREAKOUT, Screen.STARTING, Screen.DONE, Screen.ALONE]);

function breakoutRunning(state) {
  const b = state.breakout;
  if (!b || b.status === "finished") return false;
  return b.slots.length === 0 || state.server_ms < b.slots[b.slots.length - 1].ends_at_ms;
}

function departedLabels(state) {
  const group = state.breakout && state.breakout.my_group;
  if (!group) return new Set();
  return new Set(group.members.filter((m) => m.left).map((m) => m.name));
}

function namesOf(phase) {
  if (!phase) return [];
  return [...phase.otherNames, ...phase.askers.map((a) => a.name)];
}

function checkParticipant(state, now, where) {
  const model = participantModel(state, now);
  const meeting = state.meeting;
  if (state.session.closed) {
    assert.equal(model.screen, Screen.CLOSED, `${where}: a closed session shows its end`);
    return;
  }
  // Whatever runs is shown, agreed or not (the agreements above it until they agree).
  if (meeting.round) assert.equal(model.screen, Screen.ROUND, `${where}: a round runs`);
  else if (meeting.break) assert.equal(model.screen, Screen.BREAK, `${where}: a break runs`);
  else if (breakoutRunning(state) && state.breakout.my_group) {
    assert.ok(IN_A_GROUP.has(model.screen), `${where}: in a group, shown ${model.screen}`);
  }
  // Nobody is told to listen to, ask or answer someone who left.
  if (model.screen === Screen.BREAKOUT) {
    const gone = departedLabels(state);
    for (const name of [...namesOf(model.phase), ...namesOf(model.next)]) {
      assert.ok(!gone.has(name), `${where}: told about ${name}, who left`);
    }
    if (model.next) assert.ok(!gone.has(model.next.tellerName), `${where}: next turn is ${model.next.tellerName}'s, who left`);
  }
}

function checkHost(state, now, where) {
  const model = hostModel(state, now);
  assert.equal(model.activity, state.meeting.activity, `${where}: the host's activity`);
  assert.equal(model.total, state.participant_count, `${where}: the host's count`);
  if (model.breakout) assert.equal(model.breakout.groups.length, state.breakout.groups.length);
}

test("every state of every sequence holds the invariants in the pages' models", () => {
  assert.ok(sequences.length > 0, "no sequences were recorded");
  let checked = 0;
  sequences.forEach((steps, s) => {
    steps.forEach((step, i) => {
      const where = `sequence ${s}, step ${i}`;
      checkHost(step.host, step.now, where);
      for (const [id, state] of Object.entries(step.participants)) {
        checkParticipant(state, step.now, `${where}, participant ${id}`);
        checked += 1;
      }
    });
  });
  assert.ok(checked > 0, "no participant's state was checked");
});

// Where the groups talk (issue 19): the host's room list for the video tool is the groups,
// room by room, and every phone's group has the room and members the host's card has.
test("the room list is the groups, room by room, and every phone has its group's room", () => {
  const byName = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]);
  let lists = 0;
  sequences.forEach((steps, s) => {
    steps.forEach((step, i) => {
      const where = `sequence ${s}, step ${i}`;
      const model = hostModel(step.host, step.now);
      if (!model.breakout) return;
      const list = roomList("nl", model.breakout.groups);
      const rooms = list.map((r) => r.room);
      assert.deepEqual(rooms, [...new Set(rooms)].sort((a, b) => a - b), `${where}: rooms in order, once each`);
      const listed = list.flatMap((r) => r.names.map((name) => [name, r.room])).sort(byName);
      const grouped = model.breakout.groups
        .flatMap((g) => g.members.filter((m) => !m.left).map((m) => [m.name ?? t("nl", "host.someone"), g.room]))
        .sort(byName);
      assert.deepEqual(listed, grouped, `${where}: the room list names everyone present in their group's room`);
      lists += 1;
      for (const [id, state] of Object.entries(step.participants)) {
        const group = state.breakout && state.breakout.my_group;
        if (!group || state.breakout.id !== step.host.breakout.id) continue;
        const card = step.host.breakout.groups[group.index];
        assert.equal(group.room, card.room, `${where}, participant ${id}: the room of their group`);
        assert.deepEqual(group.members.map((m) => m.id), card.members, `${where}, participant ${id}: the members`);
      }
    });
  });
  assert.ok(lists > 0, "no breakout's room list was checked");
});
