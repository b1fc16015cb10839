// Where the groups talk (issue 19), as the pages show it: pure models, no DOM. The session's
// choice is `session.rooms` (RoomMode); every group carries its `room` number, and with a
// link per group its members and the host get its `room_url`.

import { joinNames, t } from "./i18n.js";
import { RoomMode } from "./events.js";

/** The colours of groups that meet in one room, in the order groups get them: far apart first, each readable with its text colour (contrast ≥ 4.5) and named in words for whoever cannot tell them apart. */
export const ROOM_COLOURS = Object.freeze([
  "red", "blue", "yellow", "green", "purple", "orange", "pink", "turquoise", "brown", "grey", "black", "lightblue",
]);

/** Return the colour (a key of ROOM_COLOURS) of room `room` (1, 2, …). */
export function roomColour(room) {
  return ROOM_COLOURS[(((room - 1) % ROOM_COLOURS.length) + ROOM_COLOURS.length) % ROOM_COLOURS.length];
}

/** Return the session's choice of rooms (breakout rooms when the state says none). */
export function roomMode(state) {
  return (state && state.session && state.session.rooms) || RoomMode.BREAKOUT_ROOMS;
}

/** Return how many groups (rooms) a breakout of `people` makes: duos, and a trio counted once. */
export function roomsToMake(people) {
  return Math.floor(people / 2);
}

/** Return where a participant's group talks, from the state and the page's model (participantModel): `{mode, room, url, colour, partners}`, or null outside a group. */
export function whereModel(state, model) {
  const group = state.breakout && state.breakout.my_group;
  if (!group || !model.partners) return null;
  const room = group.room ?? (group.index ?? 0) + 1;
  return {
    mode: roomMode(state),
    room,
    url: group.room_url || null,
    colour: roomColour(room),
    partners: model.partners,
  };
}

/** Return the first line of the breakout screen: where to go and with whom. */
export function whereText(lang, where) {
  const names = joinNames(lang, where.partners);
  switch (where.mode) {
    case RoomMode.LINK_PER_GROUP:
      return t(lang, where.url ? "rooms.link" : "rooms.noLink", { names });
    case RoomMode.SAME_ROOM:
      return t(lang, "rooms.find", { names, n: where.room });
    default:
      return t(lang, "rooms.go", { names, n: where.room });
  }
}

/** Return "groep 3 · oranje": a group's number with its colour in words. */
export function colourLine(lang, room) {
  return t(lang, "rooms.colourLine", { n: room, colour: t(lang, `rooms.colour.${roomColour(room)}`) });
}

/** Return the rooms of the host's groups (hostModel's `breakout.groups`) as the video tool lists them: `[{room, names}]` in room order, groups that share a room together. */
export function roomList(lang, groups) {
  const byRoom = new Map();
  for (const group of groups) {
    const names = group.members.filter((m) => !m.left).map((m) => m.name ?? t(lang, "host.someone"));
    byRoom.set(group.room, [...(byRoom.get(group.room) || []), ...names]);
  }
  return [...byRoom.entries()].sort((a, b) => a[0] - b[0]).map(([room, names]) => ({ room, names }));
}

/** Return the room list as one line to paste: "Ruimte 1: Anna, Bram · Ruimte 2: …". */
export function roomListText(lang, list) {
  return list.map((r) => t(lang, "host.rooms.listItem", { n: r.room, names: r.names.join(", ") })).join(" · ");
}

/** Return, per participant id, the room of their group in the host's `groups` (hostModel's). */
export function roomsById(groups) {
  const rooms = new Map();
  for (const group of groups) for (const m of group.members) if (!m.left) rooms.set(m.id, group.room);
  return rooms;
}

/** Return who must be moved in the video tool: everyone whose room is new since `before` (roomsById of the previous state of the same breakout), as `[{id, room}]`. */
export function roomMoves(before, after) {
  const moves = [];
  for (const [id, room] of after) if (before.has(id) ? before.get(id) !== room : before.size > 0) moves.push({ id, room });
  return moves;
}

/** Return the host's view of the question "which room are you in?": `{rooms, unanswered: [names], answers: [{room, names}]}`, or null when not asking. */
export function questionModel(state, participants) {
  const question = state.room_question;
  if (!question) return null;
  const online = participants.filter((p) => p.online);
  const byRoom = new Map();
  for (const p of online) {
    if (p.room_answer) byRoom.set(p.room_answer, [...(byRoom.get(p.room_answer) || []), p.name]);
  }
  return {
    rooms: question.rooms,
    unanswered: online.filter((p) => !p.room_answer).map((p) => p.name),
    answers: [...byRoom.entries()].sort((a, b) => a[0] - b[0]).map(([room, names]) => ({ room, names })),
  };
}
