// Pure derivations from a `state` message and the estimated server time: which screen, which
// phase, whose turn, how long. No DOM and no clock of its own: easy to reason about and to test.

import { BREAKOUT_STATUSES, PHASE_KINDS } from "./events.js";
import { formatCountdown } from "./clock.js";
import { joinNames, t } from "./i18n.js";

export const Screen = Object.freeze({
  LOBBY: "lobby",
  LATE: "late",
  BREAKOUT: "breakout",
  DONE: "done",
});

export const Status = Object.freeze({
  RUNNING: "running",
  PAUSED: "paused",
  FINISHED: "finished",
});
for (const status of Object.values(Status)) {
  if (!BREAKOUT_STATUSES.includes(status)) throw new Error(`Status ${status} is not in the event vocabulary.`);
}

// ---- the shared timeline ------------------------------------------------------------------

/** Return the breakout's status at `now`: a running breakout whose last slot ran out is finished. */
export function statusAt(breakout, now) {
  const slots = breakout.slots;
  if (breakout.status === Status.RUNNING && slots.length > 0 && now >= slots[slots.length - 1].ends_at_ms) {
    return Status.FINISHED;
  }
  return breakout.status;
}

/** Return the index of the slot under way at `now` (the number of slots once finished). */
export function slotAt(breakout, now) {
  switch (statusAt(breakout, now)) {
    case Status.FINISHED:
      return breakout.slots.length;
    case Status.PAUSED:
      return breakout.current_slot;
    case Status.RUNNING: {
      const index = breakout.slots.findIndex((slot) => slot.ends_at_ms > now);
      return index === -1 ? breakout.slots.length : index;
    }
    default:
      throw new Error(`Unknown breakout status: ${breakout.status}.`);
  }
}

/** Return the time left in the current slot at `now`: frozen while paused, 0 once finished. */
export function remainingAt(breakout, now) {
  switch (statusAt(breakout, now)) {
    case Status.FINISHED:
      return 0;
    case Status.PAUSED:
      return Math.max(0, breakout.remaining_ms);
    case Status.RUNNING: {
      const slot = breakout.slots[slotAt(breakout, now)];
      return slot ? Math.max(0, slot.ends_at_ms - now) : 0;
    }
    default:
      throw new Error(`Unknown breakout status: ${breakout.status}.`);
  }
}

/** Return the time left until slot `upTo` (exclusive) has ended: the current slot's rest plus every later slot's length. */
export function remainingUntil(breakout, now, upTo = breakout.slots.length) {
  const current = slotAt(breakout, now);
  if (current >= upTo) return 0;
  let total = remainingAt(breakout, now);
  for (let i = current + 1; i < upTo; i += 1) {
    total += breakout.slots[i].ends_at_ms - breakout.slots[i].starts_at_ms;
  }
  return total;
}

/** Return the phase kind of slot `index` (every group does the same kind at the same time). */
export function kindOfSlot(index) {
  return PHASE_KINDS[index % PHASE_KINDS.length];
}

/** Return true when slot `index` begins a new rotation other than the first: the roles swap. */
export function isSwap(index) {
  return index > 0 && index % PHASE_KINDS.length === 0;
}

// ---- the participant ----------------------------------------------------------------------

function describePhase(phase, index, members, meId) {
  const teller = members.find((m) => m.id === phase.teller);
  const others = members.filter((m) => m.id !== phase.teller && m.id !== meId);
  return {
    index,
    kind: phase.kind,
    tellerIsMe: phase.teller === meId,
    tellerName: teller ? teller.name : "",
    otherNames: others.map((m) => m.name),
    swap: isSwap(index),
  };
}

/** Return what a participant's page shows for `state` at server time `now`. */
export function participantModel(state, now) {
  const me = state.me;
  const base = {
    title: state.session.title,
    count: state.participant_count,
    myName: me.name,
  };
  const breakout = state.breakout;
  if (!breakout) return { ...base, screen: Screen.LOBBY, key: "lobby" };
  const status = statusAt(breakout, now);
  const group = breakout.my_group;
  if (!group) {
    const screen = status === Status.FINISHED ? Screen.LOBBY : Screen.LATE;
    return { ...base, screen, afterBreakout: true, key: `${breakout.id}:${screen}` };
  }
  const members = group.members;
  const partners = members.filter((m) => m.id !== me.id);
  const phases = group.phases;
  const slot = slotAt(breakout, now);
  const common = {
    ...base,
    breakoutId: breakout.id,
    number: breakout.number,
    status,
    partners: partners.map((m) => m.name),
    partnersOnline: partners.map((m) => m.online),
    total: phases.length,
    rotations: members.map((m) => ({ name: m.name, isMe: m.id === me.id })),
  };
  if (slot >= phases.length) {
    const othersStillBusy = status !== Status.FINISHED && breakout.slots.length > phases.length;
    return {
      ...common,
      screen: Screen.DONE,
      slot: phases.length,
      waitingMs: othersStillBusy ? remainingUntil(breakout, now) : null,
      key: `${breakout.id}:done`,
    };
  }
  const phase = describePhase(phases[slot], slot, members, me.id);
  const next = slot + 1 < phases.length ? describePhase(phases[slot + 1], slot + 1, members, me.id) : null;
  return {
    ...common,
    screen: Screen.BREAKOUT,
    slot,
    phase,
    next,
    remainingMs: remainingAt(breakout, now),
    key: `${breakout.id}:${slot}`,
  };
}

/** Return the headline saying whose turn it is ("You tell", "Bram tells", "Ask your question", …). */
export function turnText(lang, phase) {
  const who = phase.tellerIsMe ? "me" : "other";
  switch (phase.kind) {
    case "tell":
    case "answer":
      return t(lang, `turn.${phase.kind}.${who}`, { name: phase.tellerName });
    case "silence":
    case "question":
      if (!phase.tellerIsMe) return t(lang, `turn.${phase.kind}.other`);
      return t(lang, `turn.${phase.kind}.${phase.otherNames.length > 1 ? "meMany" : "me"}`, {
        names: joinNames(lang, phase.otherNames),
      });
    default:
      throw new Error(`Unknown phase kind: ${phase.kind}.`);
  }
}

/** Return the instruction for the phase, in the seed's words where it has them. */
export function instructionText(lang, phase) {
  const who = phase.tellerIsMe ? "me" : "other";
  if (!PHASE_KINDS.includes(phase.kind)) throw new Error(`Unknown phase kind: ${phase.kind}.`);
  return t(lang, `do.${phase.kind}.${who}`, { name: phase.tellerName });
}

/** Return the "what's next" line for the phase after this one, or "Done" after the last. */
export function nextText(lang, next) {
  if (!next) return t(lang, "breakout.nextDone");
  const label = next.kind === "tell"
    ? t(lang, `next.tell.${next.tellerIsMe ? "me" : "other"}`, { name: next.tellerName })
    : t(lang, `next.${next.kind}`);
  return next.swap ? `${t(lang, "breakout.swap")} ${label}` : label;
}

/** Return the sentence the live region announces when the phase changes. */
export function announcementText(lang, model) {
  if (model.screen === Screen.DONE) return t(lang, "announce.done");
  if (model.screen !== Screen.BREAKOUT) return "";
  const text = t(lang, "announce.phase", {
    n: model.slot + 1,
    total: model.total,
    phase: t(lang, `phase.${model.phase.kind}`),
    turn: turnText(lang, model.phase),
  });
  return model.phase.swap ? `${t(lang, "breakout.swap")} ${text}` : text;
}

/** Return the done screen's waiting line, or "" when nobody else is still busy. */
export function waitingText(lang, model) {
  if (model.status === Status.FINISHED) return t(lang, "done.finished");
  if (model.waitingMs === null) return "";
  if (model.status === Status.PAUSED) return t(lang, "done.waitingPaused");
  return t(lang, "done.waiting", { time: formatCountdown(model.waitingMs) });
}

// ---- the host -----------------------------------------------------------------------------

function hostGroup(group, index, slot, byId) {
  const members = group.members.map((id) => {
    const p = byId.get(id);
    return { id, name: p ? p.name : "?", online: p ? p.online : false };
  });
  if (slot >= group.phases.length) return { index, members, phase: null };
  const phase = group.phases[slot];
  const teller = members.find((m) => m.id === phase.teller);
  const others = members.filter((m) => m.id !== phase.teller).map((m) => m.name);
  return {
    index,
    members: members.map((m) => ({ ...m, isTeller: m.id === phase.teller })),
    phase: { kind: phase.kind, tellerName: teller ? teller.name : "?", otherNames: others },
  };
}

/** Return what the host's page shows for `state` at server time `now`. */
export function hostModel(state, now) {
  const participants = state.participants || [];
  const online = participants.filter((p) => p.online).length;
  const breakout = state.breakout;
  const status = breakout ? statusAt(breakout, now) : null;
  const busy = status === Status.RUNNING || status === Status.PAUSED;
  const model = {
    title: state.session.title,
    phaseSeconds: state.session.phase_seconds,
    participants,
    onlineCount: online,
    total: state.participant_count,
    canStart: online >= 2 && !busy,
    busy,
    breakout: null,
  };
  if (!breakout) return model;
  const slot = slotAt(breakout, now);
  const byId = new Map(participants.map((p) => [p.id, p]));
  return {
    ...model,
    breakout: {
      id: breakout.id,
      number: breakout.number,
      status,
      slot,
      totalSlots: breakout.slots.length,
      kind: slot < breakout.slots.length ? kindOfSlot(slot) : null,
      remainingMs: remainingAt(breakout, now),
      everyoneDoneMs: remainingUntil(breakout, now),
      groups: (breakout.groups || []).map((g, i) => hostGroup(g, i, slot, byId)),
      key: `${breakout.id}:${slot}:${status}`,
    },
  };
}

/** Return a host group's "whose turn" line. */
export function hostTurnText(lang, phase) {
  const many = phase.otherNames.length > 1;
  const names = joinNames(lang, phase.otherNames);
  switch (phase.kind) {
    case "tell":
    case "answer":
      return t(lang, `host.turn.${phase.kind}`, { name: phase.tellerName });
    case "silence":
    case "question":
      return t(lang, `host.turn.${phase.kind}${many ? "Many" : ""}`, { names });
    default:
      throw new Error(`Unknown phase kind: ${phase.kind}.`);
  }
}
