// Where the groups talk (issue 19), drawn on the three pages: the participant's first line
// (a breakout room, a video link, or a colour and whom to find) and the question "which room
// are you in?", the host's choice and room list, and the presenter's group titles.

import * as api from "./api.js";
import { copyText, h, plainText, replaceChildren, setText, show } from "./dom.js";
import { Activity, MAX_ROOMS_ASKED, ROOM_MODES, RoomMode } from "./events.js";
import { joinNames, t } from "./i18n.js";
import { changed, renderError } from "./page-ui.js";
import {
  colourLine,
  questionModel,
  roomColour,
  roomList,
  roomListText,
  roomMoves,
  roomsById,
  roomsToMake,
  whereModel,
  whereText,
} from "./rooms.js";

// ---- the participant ------------------------------------------------------------------------

export const WHERE_SELECTORS = Object.freeze({
  where: "#where",
  whereText: "#where-text",
  whereColour: "#where-colour",
  whereLink: "#where-link",
  whereHint: "#where-hint",
  groupBadge: "#group-badge",
  roomButtons: "#room-buttons",
  roomChosen: "#room-chosen",
});

/** The screens whose first line says where the group talks. */
const WHERE_SCREENS = Object.freeze(["breakout", "starting"]);

/** Draw where my group talks as the first line of the breakout screen (or hide it elsewhere). */
export function renderWhere(els, lang, state, model) {
  const where = WHERE_SCREENS.includes(model.screen) ? whereModel(state, model) : null;
  show(els.where, Boolean(where));
  delete els.groupBadge.dataset.roomColour;
  if (!where) return;
  els.where.dataset.mode = where.mode;
  setText(els.whereText, whereText(lang, where));
  const same = where.mode === RoomMode.SAME_ROOM;
  show(els.whereColour, same);
  if (same) {
    els.where.dataset.roomColour = where.colour;
    els.groupBadge.dataset.roomColour = where.colour;
    setText(els.whereColour, colourLine(lang, where.room));
  } else {
    delete els.where.dataset.roomColour;
  }
  const link = where.mode === RoomMode.LINK_PER_GROUP && where.url;
  show(els.whereLink, Boolean(link));
  show(els.whereHint, Boolean(link));
  if (link) {
    if (els.whereLink.getAttribute("href") !== where.url) els.whereLink.href = where.url;
    setText(els.whereLink, t(lang, "rooms.open"));
    setText(els.whereHint, t(lang, "rooms.openHint"));
  }
}

/** Return the room question to show instead of the lobby ({rooms, answer}), or null. */
export function roomQuestionFor(state, model) {
  return model.screen === "lobby" && state.room_question ? state.room_question : null;
}

/** Draw the buttons 1…N of "which breakout room are you in?", the chosen one pressed. */
export function renderRoomQuestion(els, lang, question) {
  if (changed(els.roomButtons, [lang, question.rooms, question.answer])) {
    const buttons = [];
    for (let n = 1; n <= question.rooms; n += 1) {
      buttons.push(
        h("button", {
          type: "button",
          class: `button room-button${question.answer === n ? " button-primary" : ""}`,
          "aria-pressed": String(question.answer === n),
          "aria-label": t(lang, "rooms.ask.room", { n }),
          dataset: { room: String(n) },
          text: String(n),
        }),
      );
    }
    replaceChildren(els.roomButtons, buttons);
  }
  setText(els.roomChosen, question.answer ? t(lang, "rooms.ask.chosen", { n: question.answer }) : "");
}

/** Answer the room question when a room's button is pressed (`session()` gives {code, id, token, onError}). */
export function bindRoomButtons(els, session) {
  els.roomButtons.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("button[data-room]");
    if (!button) return;
    const { code, id, token, onError } = session();
    try {
      await api.answerRoom(code, id, token, Number(button.dataset.room));
    } catch (error) {
      onError(error);
    }
  });
}

// ---- the host ---------------------------------------------------------------------------------

export const HOST_ROOM_SELECTORS = Object.freeze({
  setup: "#rooms-setup",
  mode: "#rooms-mode",
  baseForm: "#rooms-base-form",
  base: "#rooms-base",
  make: "#rooms-make",
  modeHint: "#rooms-mode-hint",
  status: "#rooms-status",
  error: "#rooms-error",
  from: "#rooms-from",
  askForm: "#rooms-ask-form",
  count: "#rooms-count",
  asking: "#rooms-asking",
  askingText: "#rooms-asking-text",
  answers: "#rooms-answers",
  unanswered: "#rooms-unanswered",
  startFrom: "#rooms-start",
  stop: "#rooms-stop",
  list: "#room-list",
  listText: "#room-list-text",
  copy: "#room-list-copy",
  copyStatus: "#room-list-status",
  moves: "#room-moves",
  movesList: "#room-moves-list",
  alone: "#room-alone",
  fromRooms: "#room-list-from",
});

/** What the host page remembers between states: each person's room, to see who moved. */
const memory = { breakoutId: null, rooms: new Map(), moves: [], attention: 0 };

/** Fill the choice of rooms once (its texts follow the language). */
function fillModes(els, lang) {
  if (!changed(els.mode, [lang])) return;
  const value = els.mode.value;
  replaceChildren(
    els.mode,
    ROOM_MODES.map((mode) => h("option", { value: mode, text: t(lang, `rooms.mode.${mode}`) })),
  );
  if (value) els.mode.value = value;
}

/** Draw the host's rooms: the choice (in the lobby), "make N rooms", the question "which room are you in?", and while a breakout runs the room list to copy and who must be moved. */
export function renderHostRooms(els, lang, state, model) {
  const mode = model.rooms;
  const lobby = model.activity === Activity.LOBBY;
  fillModes(els, lang);
  if (document.activeElement !== els.mode) els.mode.value = mode;
  els.mode.disabled = !lobby;
  show(els.baseForm, els.mode.value === RoomMode.LINK_PER_GROUP);
  if (document.activeElement !== els.base && !els.base.value) els.base.value = state.session.room_link_base || "";
  els.base.disabled = !lobby;
  const rooms = roomsToMake(model.onlineCount);
  const breakoutRooms = mode === RoomMode.BREAKOUT_ROOMS;
  // Before the start: the rooms the next breakout needs (while one runs, its room list says it).
  show(els.make, breakoutRooms && rooms > 0 && !model.busy);
  setText(els.make, rooms === 1 ? t(lang, "host.rooms.makeOne") : t(lang, "host.rooms.make", { n: rooms }));
  const noBase = mode === RoomMode.LINK_PER_GROUP && !state.session.room_link_base;
  const hint = breakoutRooms
    ? rooms > 0 && !model.busy ? t(lang, "host.rooms.makeHint", { people: model.onlineCount }) : ""
    : t(lang, mode === RoomMode.SAME_ROOM ? "host.rooms.sameHint" : noBase ? "host.rooms.needBase" : "host.rooms.linkHint");
  show(els.modeHint, Boolean(hint));
  setText(els.modeHint, hint);
  show(els.from, breakoutRooms);
  renderQuestion(els, lang, state, model, lobby);
  renderRoomList(els, lang, model, Boolean(state.breakout && state.breakout.from_rooms));
}

function renderQuestion(els, lang, state, model, lobby) {
  const question = questionModel(state, model.participants);
  show(els.asking, Boolean(question));
  els.askForm.querySelector("button").disabled = !lobby;
  if (question) {
    els.from.open = true;
    setText(els.askingText, t(lang, "host.rooms.asking", { n: question.rooms }));
    setText(els.answers, question.answers.map((r) => t(lang, "host.rooms.listItem", { n: r.room, names: joinNames(lang, r.names) })).join(" · "));
    setText(
      els.unanswered,
      question.unanswered.length ? t(lang, "host.rooms.unanswered", { names: joinNames(lang, question.unanswered) }) : t(lang, "host.rooms.allAnswered"),
    );
    els.unanswered.dataset.all = String(question.unanswered.length === 0);
  }
}

function renderRoomList(els, lang, model, fromRooms) {
  const b = model.breakout;
  const live = Boolean(b) && model.busy && model.rooms === RoomMode.BREAKOUT_ROOMS;
  show(els.list, live);
  if (!b) return;
  const now = roomsById(b.groups);
  if (memory.breakoutId !== b.id) {
    memory.breakoutId = b.id;
    memory.moves = [];
    memory.rooms = now;
    // On a phone the host reads the groups; the list is for the video tool on a laptop.
    els.list.open = window.matchMedia("(min-width: 64rem)").matches;
  } else {
    for (const move of roomMoves(memory.rooms, now)) {
      memory.moves = [...memory.moves.filter((m) => m.id !== move.id), move];
    }
    memory.rooms = now;
  }
  if (!live) return;
  const list = roomList(lang, b.groups);
  setText(els.listText, roomListText(lang, list));
  const names = new Map(model.participants.map((p) => [p.id, p.name]));
  const moves = memory.moves.filter((m) => names.has(m.id));
  show(els.moves, moves.length > 0);
  const alone = fromRooms ? model.waiting.filter((p) => p.room_answer) : [];
  show(els.fromRooms, fromRooms);
  // Someone to move, or alone in a room: the host must see it, also on a phone.
  const attention = moves.length + alone.length;
  if (attention > memory.attention) els.list.open = true;
  memory.attention = attention;
  // On a phone the cards say each group's room: the list shows only when someone must move.
  els.list.classList.toggle("is-quiet", attention === 0);
  if (changed(els.movesList, [lang, moves, [...names]])) {
    replaceChildren(
      els.movesList,
      moves.map((m) =>
        h("li", { class: "room-move" }, [
          h("span", { class: "room-move-text", text: t(lang, "host.rooms.move", { name: names.get(m.id), n: m.room }) }),
          h("button", { type: "button", class: "button button-quiet", dataset: { moved: m.id }, text: t(lang, "host.rooms.moveDone") }),
        ]),
      ),
    );
  }
  // Alone in their room after a breakout from the rooms: waiting, with the room they are in.
  if (changed(els.alone, [lang, alone.map((p) => [p.name, p.room_answer])])) {
    replaceChildren(els.alone, alone.map((p) => h("li", { text: t(lang, "host.rooms.alone", { name: p.name, n: p.room_answer }) })));
  }
}

/** Return a host card's title (`title`, from groupTitle) with its room beside the badge: "Breakoutroom 3", a link to the group's video room, or "groep 3 · oranje". */
export function withRoom(title, lang, mode, group) {
  let room;
  if (mode === RoomMode.LINK_PER_GROUP) {
    room = group.roomUrl
      ? h("a", { class: "group-room group-room-link", href: group.roomUrl, target: "_blank", rel: "noopener noreferrer", text: t(lang, "host.rooms.card.link_per_group") })
      : null;
  } else if (mode === RoomMode.SAME_ROOM) {
    room = h("span", { class: "group-room room-colour", dataset: { roomColour: roomColour(group.room) }, text: colourLine(lang, group.room) });
  } else {
    room = h("span", { class: "group-room", text: t(lang, "host.rooms.card.breakout_rooms", { n: group.room }) });
  }
  if (room) title.append(" ", room);
  return title;
}

/** Wire the host's room controls (`session()` gives {code, token, lang, render, onError, started, unlessReading}). */
export function bindHostRooms(els, session) {
  const save = async (fields) => {
    const { code, token, lang, render } = session();
    renderError(els.error, "");
    setText(els.status, "");
    try {
      await api.changeSettings(code, token, fields);
      setText(els.status, t(lang, "host.rooms.saved"));
    } catch (error) {
      renderError(els.error, error.status === 422 ? t(lang, "host.rooms.badBase") : session().errorText(error));
    }
    render();
  };
  els.mode.addEventListener("change", () => {
    const mode = els.mode.value;
    show(els.baseForm, mode === RoomMode.LINK_PER_GROUP);
    if (mode === RoomMode.LINK_PER_GROUP && !els.base.value.trim()) {
      els.base.focus();
      return; // saved with its link
    }
    save({ rooms: mode });
  });
  els.baseForm.addEventListener("submit", (event) => {
    event.preventDefault();
    save({ rooms: els.mode.value, room_link_base: els.base.value.trim() });
  });
  els.askForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { code, token, onError } = session();
    const rooms = Math.min(MAX_ROOMS_ASKED, Math.max(1, Math.round(Number(els.count.value) || 0)));
    try {
      await api.askRooms(code, token, rooms);
    } catch (error) {
      onError(error);
    }
  });
  els.stop.addEventListener("click", async () => {
    const { code, token, onError } = session();
    try {
      await api.stopAskingRooms(code, token);
    } catch (error) {
      onError(error);
    }
  });
  els.startFrom.addEventListener("click", () => {
    const { code, token, onError, started, unlessReading } = session();
    // As every start: first asked when someone it includes still reads the agreements.
    unlessReading(async () => {
      els.startFrom.disabled = true;
      try {
        await api.startBreakoutFromRooms(code, token);
        started();
      } catch (error) {
        onError(error);
      } finally {
        els.startFrom.disabled = false;
      }
    });
  });
  els.copy.addEventListener("click", async () => {
    const text = plainText(els.listText.textContent);
    const scratch = h("textarea", { class: "visually-hidden", readonly: true });
    scratch.value = text;
    document.body.append(scratch);
    const ok = await copyText(text, scratch);
    scratch.remove();
    setText(els.copyStatus, t(session().lang, ok ? "copy.done" : "copy.failed"));
  });
  els.movesList.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button[data-moved]");
    if (!button) return;
    memory.moves = memory.moves.filter((m) => m.id !== button.dataset.moved);
    session().render();
  });
}

// ---- the presenter ------------------------------------------------------------------------------

/** Return a presenter card's title: its group number with its room ("Breakoutroom 3") or, in one room, its colour in words on the colour. */
export function presentRoomTitle(lang, mode, group) {
  if (mode === RoomMode.SAME_ROOM) {
    return h("p", { class: "present-group-title room-colour", dataset: { roomColour: roomColour(group.room) }, text: colourLine(lang, group.room) });
  }
  const key = mode === RoomMode.BREAKOUT_ROOMS ? "host.rooms.card.breakout_rooms" : "host.group";
  return h("p", { class: "present-group-title", text: t(lang, key, { n: group.room }) });
}

// ---- the create page ------------------------------------------------------------------------------

/** Show the link base only for a link per group on the create page's form. */
export function bindCreateRooms(form) {
  const field = form.querySelector("#create-base-field");
  const update = () => show(field, form.elements.rooms.value === RoomMode.LINK_PER_GROUP);
  for (const radio of form.elements.rooms) radio.addEventListener("change", update);
  update();
}

/** Return the create form's room fields for `POST /api/sessions`: `rooms`, and the link base with a link per group. */
export function createRoomFields(form) {
  const rooms = form.elements.rooms.value || RoomMode.BREAKOUT_ROOMS;
  return rooms === RoomMode.LINK_PER_GROUP ? { rooms, room_link_base: form.elements.room_link_base.value.trim() } : { rooms };
}
