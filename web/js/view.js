// Pure derivations from a `state` message and the estimated server time: which screen, which
// phase, whose turn, how long. No DOM and no clock of its own: easy to reason about and to test.

import { Activity, BREAK_SUGGESTED_AFTER_MS, CLOSED_LIFETIME_MS, EXACT_COUNT_BELOW, PHASE_KINDS, Speaker, Status } from "./events.js";
import { formatClockTime, formatCountdown, msUntilNextTick } from "./clock.js";
import { isolate, isolateName, joinNames, localizeQuestion, t } from "./i18n.js";

export const Screen = Object.freeze({
  AGREEMENTS: "agreements",
  LOBBY: "lobby",
  LATE: "late",
  ALONE: "alone",
  STARTING: "starting",
  BREAKOUT: "breakout",
  DONE: "done",
  ROUND: "round",
  BREAK: "break",
  CLOSED: "closed",
});

/** The time a planned break needs before the planned end: the break itself and the check-out after it. */
export const BREAK_ROOM_MS = 20 * 60_000;

/** The meeting's steps as the host's agenda lists them, in the seed's order (all but the first are activities). */
const AGENDA = Object.freeze(["agreements", Activity.CHECKIN, Activity.BREAKOUT, Activity.BREAK, Activity.CHECKOUT]);


// ---- the shared timeline ------------------------------------------------------------------

/** Return the breakout's status at `now`: a running breakout whose last slot ran out is finished. */
function statusAt(breakout, now) {
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
function kindOfSlot(index) {
  return PHASE_KINDS[index % PHASE_KINDS.length];
}

/** Return true when slot `index` begins a new rotation other than the first: the roles swap. */
export function isSwap(index) {
  return index > 0 && index % PHASE_KINDS.length === 0;
}

// ---- names ----------------------------------------------------------------------------------

/** Letters a tag is made of: none that look alike (no 0/O, 1/I/L). */
const TAG_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** Return how two names compare: the same letters, whatever their case, composition or spacing. */
function nameKey(name) {
  return String(name).normalize("NFKC").toLocaleLowerCase().replace(/\s+/gu, " ").trim();
}

/** Return a tag of `length` letters for participant `id`: the same on every page, whoever draws it. */
export function tagOf(id, length = 2) {
  let hash = 0x811c9dc5;
  for (const ch of String(id)) hash = Math.imul(hash ^ ch.codePointAt(0), 0x01000193) >>> 0;
  let tag = "";
  for (let i = 0; i < length; i += 1) {
    tag += TAG_LETTERS[hash % TAG_LETTERS.length];
    hash = Math.floor(hash / TAG_LETTERS.length);
  }
  return tag;
}

/**
 * Return a label for each of the `people` ({id, name}) one screen shows, by id: the name,
 * isolated (i18n.js), and when two of them have the same name, each with a tag made from
 * their id ("Anna (K7)") — the same tag on the host's page and on every participant's.
 */
export function nameLabels(people) {
  const byName = new Map();
  for (const { id, name } of people) {
    if (name === null || name === undefined || id === null || id === undefined) continue;
    const key = nameKey(name);
    if (!byName.has(key)) byName.set(key, new Map());
    byName.get(key).set(id, name);
  }
  const labels = new Map();
  for (const same of byName.values()) {
    const ids = [...same.keys()];
    // Two short tags alike (about one pair in a thousand): longer tags for those names.
    const length = new Set(ids.map((id) => tagOf(id))).size < ids.length ? 4 : 2;
    for (const [id, name] of same) {
      labels.set(id, ids.length > 1 ? `${isolateName(name)} (${tagOf(id, length)})` : isolateName(name));
    }
  }
  return labels;
}

/** Return the label of `person` ({id, name}) from `labels`, or their name isolated. */
function labelOf(labels, person) {
  return labels.get(person.id) ?? isolateName(person.name);
}

// ---- the participant ----------------------------------------------------------------------

/**
 * Return the members who listen while `tellerId` tells, in the order they ask (and have
 * their questions answered): round the group from the teller on, the rotation's own order.
 */
export function askersOf(members, tellerId) {
  const at = members.findIndex((m) => m.id === tellerId);
  if (at < 0) return members.slice();
  return [...members.slice(at + 1), ...members.slice(0, at)];
}

/**
 * Return a phase as my page shows it. Whoever left is nobody's task: not a listener, not an
 * asker; a phase whose teller left (or that names none) is a wait until the next turn.
 */
function describePhase(phase, index, members, meId) {
  const here = members.filter((m) => !m.left);
  const teller = here.find((m) => m.id === phase.teller);
  const others = here.filter((m) => m.id !== phase.teller && m.id !== meId);
  return {
    index,
    kind: phase.kind,
    wait: !teller,
    tellerIsMe: Boolean(teller) && phase.teller === meId,
    tellerName: teller ? teller.label : "",
    otherNames: others.map((m) => m.label),
    askers: teller ? askersOf(here, phase.teller).map((m) => ({ name: m.label, isMe: m.id === meId })) : [],
    // A rotation begins with its telling: the roles swap (a leave can move it off slot 4k).
    swap: Boolean(teller) && index > 0 && phase.kind === PHASE_KINDS[0],
  };
}

/**
 * Return the blocks of my group's progress: one per rotation, named after its teller, and one
 * per stretch of waiting where a teller left ({name, isMe, wait, start, length, colour}).
 */
export function rotationBlocks(phases, members, meId) {
  const blocks = [];
  phases.forEach((phase, i) => {
    const member = members.find((m) => m.id === phase.teller && !m.left);
    const wait = !member && !members.some((m) => m.id === phase.teller);
    const last = blocks[blocks.length - 1];
    const teller = wait ? null : phase.teller;
    if (last && last.teller === teller && (wait || phase.kind !== PHASE_KINDS[0])) {
      last.length += 1;
      return;
    }
    const at = members.findIndex((m) => m.id === teller);
    const person = members[at];
    blocks.push({
      teller,
      name: person ? person.label : "",
      isMe: teller === meId,
      wait,
      start: i,
      length: 1,
      colour: Math.max(0, at),
    });
  });
  return blocks;
}

/** Return my role in a phase: "teller" (tells and answers) or "listener" (thinks and asks); the same through a rotation. */
export function roleOf(phase) {
  if (phase.wait) return "wait";
  return phase.tellerIsMe ? "teller" : "listener";
}

/** Return my task in a phase as a headline ("Vertel", "Luister naar Bram", "Stilte — bedenk één open vraag", …). */
export function taskText(lang, phase) {
  if (!PHASE_KINDS.includes(phase.kind)) throw new Error(`Unknown phase kind: ${phase.kind}.`);
  return t(lang, taskKey("task", phase), { name: phase.tellerName, names: joinNames(lang, phase.otherNames) });
}

/** Return what the voice says when a phase begins ("Wissel. Eva vertelt nu."). */
export function speechText(lang, phase) {
  const text = t(lang, taskKey("speech", phase), { name: phase.tellerName, names: joinNames(lang, phase.otherNames) });
  const order = orderText(lang, phase);
  const spoken = order ? `${text} ${order}` : text;
  return phase.swap ? `${t(lang, "speech.swap")} ${spoken}` : spoken;
}

/** Return the key of my task's text under `prefix`: the teller's texts name one listener or several. */
function taskKey(prefix, phase) {
  if (phase.wait) return `${prefix}.wait`;
  const role = roleOf(phase);
  const many = role === "teller" && phase.kind !== "tell" && phase.otherNames.length > 1 ? "Many" : "";
  return `${prefix}.${phase.kind}.${role}${many}`;
}

/**
 * Return who asks first in a trio's question phase ("Eerst Cas, dan Anna.") and whose question
 * is answered first in its answer phase; "" for a duo and in the other phases.
 */
export function orderText(lang, phase) {
  if (phase.askers.length < 2 || (phase.kind !== "question" && phase.kind !== "answer")) return "";
  const [first, second] = phase.askers;
  if (phase.kind === "question") {
    const who = (a) => (a.isMe ? t(lang, "order.you") : a.name);
    const text = t(lang, "order.question", { first: who(first), second: who(second) });
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  if (first.isMe) return t(lang, "order.answerYou", { second: isolate(second.name) });
  if (second.isMe) return t(lang, "order.answerYouSecond", { first: isolate(first.name) });
  return t(lang, "order.answer", { first: isolate(first.name), second: isolate(second.name) });
}

/** Return the host card's order line for a trio's question or answer phase ("Eerst Cas, dan Anna"), or "". */
export function hostOrderText(lang, phase) {
  if (!phase || phase.askers.length < 2 || (phase.kind !== "question" && phase.kind !== "answer")) return "";
  const [first, second] = phase.askers.map((name) => isolate(hostName(lang, name)));
  return t(lang, `order.host.${phase.kind}`, { first, second });
}

/** The number of group colours; group i has colour i mod this, on the host's cards and the participant's page alike. */
export const GROUP_COLOURS = 6;

/** Return how a group is shown everywhere: its number (its room: index + 1 unless the state says otherwise) and its colour. */
export function groupLook(index, room = index + 1) {
  const i = room - 1;
  return { number: room, colour: ((i % GROUP_COLOURS) + GROUP_COLOURS) % GROUP_COLOURS };
}

/** Return a signal from the state ({kind, by, raised_at_ms, seen_at_ms}) as the pages use it, or null. */
export function signalModel(signal) {
  if (!signal) return null;
  return {
    kind: signal.kind,
    by: signal.by,
    raisedAtMs: signal.raised_at_ms,
    seen: signal.seen_at_ms !== null,
    seenAtMs: signal.seen_at_ms,
  };
}

/**
 * Return a group's signal as the participant's page shows it (signalModel) while the phase
 * under way began at `phaseStartMs`: the host's "seen" lasts until the next phase, an open
 * one until the host sees it.
 */
export function currentSignal(signal, phaseStartMs) {
  const model = signalModel(signal);
  if (model && model.seen && model.seenAtMs < phaseStartMs) return null;
  return model;
}

/** Return when the breakout's slot under way at `now` began (the last slot's end once all are over; 0 without slots). */
export function slotStartAt(breakout, now) {
  const slots = breakout.slots;
  if (slots.length === 0) return 0;
  const index = slotAt(breakout, now);
  return index < slots.length ? slots[index].starts_at_ms : slots[slots.length - 1].ends_at_ms;
}

/**
 * Return the host's open signals over `groups` (hostGroup's): how many groups ask for help,
 * how many said they are done, and the groups in the order the host's list shows them —
 * those asking for help first (the longest waiting first), then those done, then the rest.
 */
export function openSignals(groups) {
  const open = (g, kind) => Boolean(g.signal && !g.signal.seen && g.signal.kind === kind);
  const rank = (g) => (open(g, "help") ? 0 : open(g, "done") ? 1 : 2);
  const ordered = groups
    .map((g, i) => ({ g, i }))
    .sort((a, b) => rank(a.g) - rank(b.g) || (rank(a.g) < 2 ? a.g.signal.raisedAtMs - b.g.signal.raisedAtMs : 0) || a.i - b.i)
    .map(({ g }) => g);
  return {
    help: groups.filter((g) => open(g, "help")).length,
    done: groups.filter((g) => open(g, "done")).length,
    ordered,
  };
}

/** Return the host page's tab title: "(1) Hulp nodig — Duo" while groups ask for help, else the session's. */
export function hostPageTitle(lang, title, help) {
  if (help > 0) return t(lang, "host.pageTitle.help", { n: help });
  return t(lang, "host.pageTitle", { title });
}

/** Return a stretch of time the way people say it: "minder dan een minuut", "ongeveer 4 minuten" (rounded up). */
export function durationWords(lang, ms) {
  if (ms < 60_000) return t(lang, "duration.lessThanMinute");
  const minutes = Math.ceil(ms / 60_000);
  return minutes === 1 ? t(lang, "duration.aboutMinute") : t(lang, "duration.aboutMinutes", { n: minutes });
}

/** The last stretch of a phase: the countdown says "wrap up" and a soft chime sounds. */
export const WRAP_UP_MS = 10_000;

/**
 * Return how many joined as a participant's page says it: `{n, atLeast}`. Below
 * EXACT_COUNT_BELOW the exact count; from there the count's floor with a plus ("120+"): a
 * participant is sent a new state only when the floor changes, so "120+" stays true until then.
 */
export function participantCount(state) {
  const exact = state.participant_count;
  if (exact < EXACT_COUNT_BELOW) return { n: exact, atLeast: false };
  return { n: state.participant_count_floor ?? exact, atLeast: true };
}

/** Return how many joined as words, from participantCount: "7 deelnemers", "1 participant", "120+ participants". */
export function countText(lang, count) {
  if (count.atLeast) return t(lang, "lobby.count.atLeast", { n: count.n });
  return t(lang, count.n === 1 ? "lobby.count.one" : "lobby.count.many", { n: count.n });
}

/** Return what a participant's page shows for `state` at server time `now`. */
export function participantModel(state, now) {
  const me = state.me;
  const meeting = state.meeting || null;
  const base = {
    title: state.session.title,
    count: participantCount(state),
    myName: isolateName(me.name),
    activity: activityAt(state, now),
  };
  // The host closed the session: a calm end, nothing left over of what ran or was said.
  if (state.session.closed) {
    return { ...base, activity: Activity.LOBBY, screen: Screen.CLOSED, key: "closed", agreements: null };
  }
  const running = runningPart(state, me, now);
  // Agreements not yet confirmed stand above whatever runs (it is shown as to everyone);
  // with nothing running they are the whole screen.
  const reading = me.agreed === false && Boolean(meeting && meeting.agreements.trim());
  if (!reading) return { ...base, ...running, agreements: null };
  const idle = running.screen === Screen.LOBBY;
  return idle
    ? { ...base, screen: Screen.AGREEMENTS, agreements: meeting.agreements, key: "agreements" }
    : { ...base, ...running, agreements: meeting.agreements };
}

/** Return the part of a participant's model for what runs at `now`: a break, a round, the breakout (or the lobby). */
function runningPart(state, me, now) {
  const meeting = state.meeting || null;
  const going = breakAt(meeting, now);
  if (going) return { screen: Screen.BREAK, break: going, key: `break:${going.startedAtMs}` };
  if (meeting && meeting.round) {
    const round = roundModel(meeting.round, me.id, now);
    return { screen: Screen.ROUND, round, key: `round:${round.kind}:${round.turnStartedAtMs}:${round.turn}` };
  }
  return breakoutPart(state.breakout, me, now, meeting);
}

function breakoutPart(breakout, me, now, meeting = null) {
  if (!breakout || breakoutIsPast(breakout, meeting, now)) return { screen: Screen.LOBBY, key: "lobby" };
  const status = statusAt(breakout, now);
  const group = breakout.my_group;
  if (!group) {
    const screen = status === Status.FINISHED ? Screen.LOBBY : Screen.LATE;
    return { screen, afterBreakout: true, key: `${breakout.id}:${screen}` };
  }
  const labels = nameLabels(group.members);
  const members = group.members.map((m) => ({ ...m, label: labelOf(labels, m) }));
  const partners = members.filter((m) => m.id !== me.id);
  const phases = group.phases;
  const first = group.first_slot || 0;
  // Phase i of this group runs in slot first + i (a duo formed late starts after slot 0).
  const index = slotAt(breakout, now) - first;
  const common = {
    breakoutId: breakout.id,
    number: breakout.number,
    group: groupLook(group.index ?? 0, group.room ?? (group.index ?? 0) + 1),
    signal: currentSignal(group.signal, slotStartAt(breakout, now)),
    status,
    partners: partners.map((m) => m.label),
    partnersOnline: partners.map((m) => m.online),
    partnersLeft: partners.map((m) => Boolean(m.left)),
    // Offline for now (they may come back) or gone for good (they left the session).
    dropped: partners.filter((m) => !m.online && !m.left).map((m) => m.label),
    gone: partners.filter((m) => m.left).map((m) => m.label),
    stayed: partners.filter((m) => !m.left).map((m) => m.label),
    // A trio someone left goes on as a duo (docs/meeting.md, "Leavers").
    asDuo: members.length > 2 && members.filter((m) => !m.left).length === 2,
    total: phases.length,
    rotations: rotationBlocks(phases, members, me.id),
  };
  const alone = partners.length > 0 && partners.every((m) => m.left);
  if (alone && index < phases.length && status !== Status.FINISHED) {
    // Nobody left to talk with: say so instead of counting down phases for nobody.
    return { ...common, screen: Screen.ALONE, waitingMs: remainingUntil(breakout, now), key: `${breakout.id}:alone` };
  }
  if (index < 0) {
    return {
      ...common,
      screen: Screen.STARTING,
      startsInMs: remainingUntil(breakout, now, first),
      key: `${breakout.id}:starting`,
    };
  }
  if (index >= phases.length) {
    const othersStillBusy = status !== Status.FINISHED && breakout.slots.length > first + phases.length;
    return {
      ...common,
      screen: Screen.DONE,
      slot: phases.length,
      waitingMs: othersStillBusy ? remainingUntil(breakout, now) : null,
      key: `${breakout.id}:done`,
    };
  }
  const phase = describePhase(phases[index], index, members, me.id);
  const next = index + 1 < phases.length ? describePhase(phases[index + 1], index + 1, members, me.id) : null;
  // While waiting where a teller left: whose turn comes next.
  const after = phases.slice(index + 1).map((p, i) => describePhase(p, index + 1 + i, members, me.id));
  const upcoming = phase.wait ? after.find((p) => !p.wait) || null : null;
  const block = common.rotations.find((b) => b.start <= index && index < b.start + b.length);
  return {
    ...common,
    screen: Screen.BREAKOUT,
    slot: index,
    phase,
    next,
    upcoming,
    colour: block ? block.colour : 0,
    remainingMs: remainingAt(breakout, now),
    wrapUp: remainingAt(breakout, now) <= WRAP_UP_MS,
    key: `${breakout.id}:${index}`,
  };
}

/**
 * Return true when `breakout` is over and another activity has started since (the meeting's
 * `last_activity`): its end screen, group and partners are leftovers the page no longer shows.
 */
export function breakoutIsPast(breakout, meeting, now) {
  const last = meeting && meeting.last_activity;
  return statusAt(breakout, now) === Status.FINISHED && Boolean(last) && last !== Activity.BREAKOUT;
}

/** Return the instruction for the phase, in the seed's words where it has them. */
export function instructionText(lang, phase, upcoming = null) {
  if (phase.wait) {
    if (!upcoming) return t(lang, "do.wait.end");
    return t(lang, `do.wait.${upcoming.tellerIsMe ? "me" : "other"}`, { name: upcoming.tellerName });
  }
  const who = phase.tellerIsMe ? "me" : "other";
  if (!PHASE_KINDS.includes(phase.kind)) throw new Error(`Unknown phase kind: ${phase.kind}.`);
  return t(lang, `do.${phase.kind}.${who}`, { name: phase.tellerName });
}

/** Return the "what's next" line for the phase after this one, or "Done" after the last. */
export function nextText(lang, next) {
  if (!next) return t(lang, "breakout.nextDone");
  if (next.wait) return t(lang, "next.wait");
  const label = next.kind === "tell"
    ? t(lang, `next.tell.${next.tellerIsMe ? "me" : "other"}`, { name: next.tellerName })
    : t(lang, `next.${next.kind}`);
  return next.swap ? `${t(lang, "breakout.swap")} ${label}` : label;
}

/** Return the sentence the live region announces when the screen or phase changes. */
export function announcementText(lang, model) {
  switch (model.screen) {
    case Screen.DONE:
      return t(lang, "announce.done");
    case Screen.ROUND:
      return roundAnnouncement(lang, model.round);
    case Screen.BREAK:
      return t(lang, "announce.break", { time: formatClockTime(model.break.endsAtMs) });
    case Screen.STARTING:
      return t(lang, "announce.starting");
    case Screen.CLOSED:
      return t(lang, "announce.closed");
    case Screen.ALONE:
      return `${partnersLeftText(lang, model.gone)} ${t(lang, "alone.text")}`;
    case Screen.BREAKOUT:
      break;
    default:
      return "";
  }
  const text = t(lang, "announce.phase", {
    n: model.slot + 1,
    total: model.total,
    phase: t(lang, `phase.${model.phase.kind}`),
    turn: taskText(lang, model.phase),
  });
  const order = orderText(lang, model.phase);
  const said = order ? `${text} ${order}` : text;
  return model.phase.swap ? `${t(lang, "breakout.swapped")} ${said}` : said;
}

/** Return "Bram has left the session." for the partners in `names`. */
export function partnersLeftText(lang, names) {
  return t(lang, names.length > 1 ? "breakout.partnersLeft" : "breakout.partnerLeft", { names: joinNames(lang, names) });
}

/** Return the done screen's waiting line, or "" when nobody else is still busy. */
export function waitingText(lang, model) {
  if (model.status === Status.FINISHED) return t(lang, "done.finished");
  if (model.waitingMs === null) return "";
  if (model.status === Status.PAUSED) return t(lang, "done.waitingPaused");
  return t(lang, "done.waiting", { duration: durationWords(lang, model.waitingMs) });
}

// ---- the host -----------------------------------------------------------------------------

function hostGroup(group, index, slot, byId, labels, live) {
  const left = new Set(group.left || []);
  const members = group.members.map((id) => {
    const p = byId.get(id);
    return { id, name: labels.get(id) ?? null, online: p ? p.online : false, left: left.has(id), reading: Boolean(p && p.reading) };
  });
  const present = members.filter((m) => !m.left);
  const phaseIndex = slot - (group.first_slot || 0);
  const done = phaseIndex >= group.phases.length;
  const offline = present.filter((m) => !m.online).map((m) => m.name);
  const open = live && !done;
  const common = {
    index,
    look: groupLook(index, group.room ?? index + 1),
    // Where the group talks: its room (a number), and its own video link with a link per group.
    room: group.room ?? index + 1,
    roomUrl: group.room_url || null,
    signal: signalModel(group.signal),
    size: members.length,
    // A group with someone offline is broken while it still has phases to go.
    broken: open && offline.length > 0 ? offline : null,
    // A duo can take a newcomer; one that someone left needs its lone member placed instead.
    placeable: open && members.length < 3 && left.size === 0,
    // The one member still here when every other member left: the host can place them.
    lone: open && present.length === 1 && members.length > 1 ? present[0] : null,
  };
  if (phaseIndex < 0) return { ...common, members, state: "starting", phase: null };
  if (done) return { ...common, members, state: "done", phase: null };
  const phase = group.phases[phaseIndex];
  // Whoever left is nobody's task; where the teller left, those still here wait for the next turn.
  const wait = !phase.teller || left.has(phase.teller);
  const role = (m) => (m.left ? null : wait ? "wait" : memberRole(phase.kind, m.id === phase.teller));
  return {
    ...common,
    state: "running",
    members: members.map((m) => ({ ...m, isTeller: !wait && m.id === phase.teller, role: role(m) })),
    phase: { kind: phase.kind, wait, askers: wait ? [] : askersOf(present, phase.teller).map((m) => m.name) },
  };
}

/**
 * Return what changed in a group someone left, for its card ({key, gone, stayed}: "Chloe is
 * weg — Anna en Bram gaan verder als duo"), or null when nobody left it.
 */
export function groupChange(group) {
  const gone = group.members.filter((m) => m.left).map((m) => m.name);
  if (gone.length === 0) return null;
  const stayed = group.members.filter((m) => !m.left).map((m) => m.name);
  let key = "host.change.gone";
  if (stayed.length === 1 && group.lone) key = "host.change.lone";
  else if (stayed.length === 2 && group.state !== "done") key = "host.change.duo";
  return { key, gone, stayed };
}

/**
 * Return what the host's page shows for `state` at server time `now` (group members who left
 * are named by the state's `departed`).
 */
export function hostModel(state, now) {
  const round = state.meeting && state.meeting.round;
  const labels = nameLabels([
    ...(state.participants || []),
    ...(round ? round.order : []),
    ...(state.departed || []),
  ]);
  // Agreements to read only when the session has some: else nobody is "reading" them.
  const asked = Boolean(state.meeting && state.meeting.agreements.trim());
  const participants = (state.participants || []).map((p) => ({
    ...p,
    name: labelOf(labels, p),
    reading: asked && p.agreed === false,
  }));
  const online = participants.filter((p) => p.online).length;
  const breakout = state.breakout;
  const status = breakout ? statusAt(breakout, now) : null;
  const busy = status === Status.RUNNING || status === Status.PAUSED;
  const activity = activityAt(state, now);
  const model = {
    title: state.session.title,
    language: state.session.language,
    phaseSeconds: state.session.phase_seconds,
    rooms: state.session.rooms || "breakout_rooms",
    participants,
    onlineCount: online,
    total: state.participant_count,
    canStart: online >= 2 && !busy && activity === Activity.LOBBY,
    busy,
    activity,
    agreementsAsked: asked,
    // Who a start would include while they still read the agreements: the host is asked first.
    readers: participants.filter((p) => p.online && p.reading).map((p) => p.name),
    stepSeconds: stepSeconds(state.session),
    messages: (state.meeting && state.meeting.messages) || [],
    breakout: null,
    waiting: [],
    pairable: [],
    meeting: meetingModel(state, now, labels),
    locked: Boolean(state.session.locked),
    bursts: (state.join_bursts || []).map((b) => ({ ...b, key: b.participant_ids.join(",") })),
  };
  if (!breakout) return model;
  const slot = slotAt(breakout, now);
  const byId = new Map(participants.map((p) => [p.id, p]));
  const groups = (breakout.groups || []).map((g, i) => hostGroup(g, i, slot, byId, labels, busy));
  const grouped = new Set(groups.flatMap((g) => g.members.map((m) => m.id)));
  // Late joiners: online, in no group, while the breakout is under way.
  const waiting = busy ? participants.filter((p) => p.online && !grouped.has(p.id)) : [];
  return {
    ...model,
    waiting,
    // Who can make a new duo with whom: late joiners and lone members alike.
    pairable: [...waiting, ...groups.filter((g) => g.lone).map((g) => g.lone)],
    breakout: {
      id: breakout.id,
      number: breakout.number,
      status,
      slot,
      totalSlots: breakout.slots.length,
      kind: slot < breakout.slots.length ? kindOfSlot(slot) : null,
      remainingMs: remainingAt(breakout, now),
      everyoneDoneMs: remainingUntil(breakout, now),
      // The last slot's own end: every slot carries its length (steps may differ).
      doneAtMs: status === Status.RUNNING ? now + remainingUntil(breakout, now) : null,
      round: roundOfSlot(breakout, slot, groups),
      groups,
      // Signals count while the breakout is under way: a finished one asks nothing of the host.
      signals: busy ? openSignals(groups) : { help: 0, done: 0, ordered: groups },
      key: `${breakout.id}:${slot}:${status}`,
    },
  };
}

/**
 * Return the host's question before a start that would include people still reading the
 * agreements (`names`): "Anna leest nog de afspraken — toch starten?", or "" for nobody.
 */
export function readersText(lang, names) {
  if (names.length === 0) return "";
  if (names.length === 1) return t(lang, "host.readers.one", { name: names[0] });
  return t(lang, "host.readers.many", { n: names.length, names: joinNames(lang, names) });
}

/** Return how the host's page calls a group member: their label, or "someone" when the page never saw their name. */
export function hostName(lang, name) {
  return name ?? t(lang, "host.someone");
}

/** Return how long until a countdown of the host's `model` (hostModel) shows a new second: the breakout's, a break's or a timed round's (at most 1 s). */
export function hostTickMs(model) {
  const b = model.breakout;
  const m = model.meeting;
  const counting = [
    b && b.status === Status.RUNNING ? b.remainingMs : null,
    m && m.break ? m.break.remainingMs : null,
    m && m.round && m.round.remainingMs ? m.round.remainingMs : null,
  ].filter((ms) => ms !== null);
  return Math.min(1000, ...counting.map(msUntilNextTick));
}

/** What a group member does in a phase, by kind and whether they are its teller (`host.role.*`). */
const ROLES = Object.freeze({
  tell: { teller: "tell", other: "listen" },
  silence: { teller: "silent", other: "think" },
  question: { teller: "listen", other: "ask" },
  answer: { teller: "answer", other: "listen" },
});

/** Return what a member does in a phase of `kind` (a key under `host.role.`): tells, silent, thinks of a question, asks, answers, listens. Raises Error for an unknown kind. */
export function memberRole(kind, isTeller) {
  const roles = ROLES[kind];
  if (!roles) throw new Error(`Unknown phase kind: ${kind}.`);
  return isTeller ? roles.teller : roles.other;
}

/** Return the session's length of each step in seconds ({tell, silence, question, answer}): its own per kind, else the one phase length. */
export function stepSeconds(session) {
  const byKind = session.phase_seconds_by_kind || {};
  return Object.fromEntries(PHASE_KINDS.map((kind) => [kind, byKind[kind] ?? session.phase_seconds]));
}

/**
 * Return the round of the exercise slot `slot` is in ({n, total, mixed, trios}: one round per
 * teller, as many as the largest group has members; `mixed` when duos and trios run side by
 * side, `trios` how many trios); null once past the last slot.
 */
export function roundOfSlot(breakout, slot, groups = breakout.groups || []) {
  if (slot >= breakout.slots.length) return null;
  const sizes = groups.map((g) => g.members.length);
  const total = Math.max(2, ...sizes);
  const trios = sizes.filter((size) => size === 3).length;
  return { n: Math.min(total, Math.floor(slot / PHASE_KINDS.length) + 1), total, mixed: new Set(sizes).size > 1, trios };
}

/**
 * Return how the round reads for the whole room: "Ronde 1 van 2 · en dan andersom" when every
 * group is the same size; with duos and a trio side by side, each kind's own count ("Ronde 1 ·
 * duo’s 2 rondes, het trio 3") and, in the third, that only the trio still talks. "" for none.
 */
export function roundText(lang, round) {
  if (!round) return "";
  const trios = round.trios > 1 ? "Trios" : "Trio";
  if (round.mixed && round.n > 2) return t(lang, `present.round${trios}Only`);
  if (round.mixed) return t(lang, `present.roundMixed${round.trios > 1 ? "Trios" : ""}`, { n: round.n });
  const text = t(lang, "present.round", round);
  return round.n < round.total ? `${text} · ${t(lang, "present.thenSwap")}` : text;
}

/** Return why no start can be offered while `activity` runs (a `host.blocked.*` key: one activity at a time), or null in the lobby. */
export function blockedBy(activity) {
  return activity === Activity.LOBBY ? null : `host.blocked.${activity}`;
}

/** The steps the host page suggests, in the seed's order (a break only when one is due). */
const NEXT_STEPS = Object.freeze([Activity.CHECKIN, Activity.BREAKOUT, Activity.BREAK, Activity.CHECKOUT]);

/**
 * Return the agenda's suggested next step (an `Activity`, or "end": close the session, once
 * all is done or the check-out was the last thing): during an activity the one after it, in
 * the lobby the first not yet done (the state's `meeting.done`). The break comes in when one
 * is due: after an hour without (`suggestBreak`: at once), or when the planned end says the
 * meeting would otherwise go that long without one (`breakPlanned`: after the check-in and
 * the breakout, before the check-out).
 */
export function nextStep(state, meeting) {
  // What the meeting has had, as the server keeps it: the same on every device of the host.
  const seen = new Set((state.meeting && state.meeting.done) || []);
  const due = (step) => step !== Activity.BREAK || meeting.suggestBreak || meeting.breakPlanned;
  if (meeting.activity !== Activity.LOBBY) {
    const after = NEXT_STEPS.slice(NEXT_STEPS.indexOf(meeting.activity) + 1).find((step) => step === Activity.CHECKOUT || due(step));
    return after || "end";
  }
  // After the check-out the meeting is over: the next step closes it.
  if (state.meeting && state.meeting.last_activity === Activity.CHECKOUT) return "end";
  // An hour without a break: the break now, whatever comes next.
  if (meeting.suggestBreak) return Activity.BREAK;
  // Else in the agenda's order: what has not been had, and the break where the plan needs one.
  return NEXT_STEPS.find((step) => (step === Activity.BREAK ? due(step) : !seen.has(step))) || "end";
}

/** How long the newest host message stays a banner on the host's page before it folds into a line. */
export const MESSAGE_BANNER_MS = 60_000;

/**
 * Return how the host's page shows its newest message: "banner" while it is new (under a
 * minute old and the activity the same as when it was first seen), "strip" afterwards, or
 * null when there is none. `seenDuring` is the activity when this page first saw it.
 */
export function messageMode(message, now, activity, seenDuring) {
  if (!message) return null;
  const fresh = now - message.sent_at_ms < MESSAGE_BANNER_MS && (seenDuring === undefined || seenDuring === activity);
  return fresh ? "banner" : "strip";
}

// ---- the meeting around the breakout ------------------------------------------------------

/** Return the break going on at `now` ({startedAtMs, endsAtMs, remainingMs, energizer}), or null. */
function breakAt(meeting, now) {
  const going = meeting && meeting.break;
  if (!going || going.ends_at_ms <= now) return null;
  return {
    startedAtMs: going.started_at_ms,
    endsAtMs: going.ends_at_ms,
    remainingMs: going.ends_at_ms - now,
    energizer: going.energizer || null,
  };
}

/** Return what the meeting does at `now` (`Activity.*`): a break (until it runs out), a round, a breakout under way, or the lobby. */
export function activityAt(state, now) {
  const meeting = state.meeting || null;
  if (breakAt(meeting, now)) return Activity.BREAK;
  if (meeting && meeting.round) return meeting.round.kind;
  const status = state.breakout ? statusAt(state.breakout, now) : null;
  if (status === Status.RUNNING || status === Status.PAUSED) return Activity.BREAKOUT;
  return Activity.LOBBY;
}

/** Return a speaking round as seen by `myId` (a participant id, or Speaker.HOST): who speaks, who is next, where I am, time left; names from `labels` (see nameLabels). */
export function roundModel(round, myId, now, labels = nameLabels(round.order), reading = new Set()) {
  const turn = round.turn;
  const named = (speaker) => (speaker.host ? null : labelOf(labels, speaker));
  const order = round.order.map((speaker, i) => ({
    id: speaker.id,
    name: named(speaker),
    host: speaker.host,
    isMe: speaker.id === myId,
    // Still reading the agreements (the host's page knows; a participant's does not).
    reading: reading.has(speaker.id),
    place: i < turn ? "done" : i === turn ? "current" : i === turn + 1 ? "next" : "later",
  }));
  const mine = order.findIndex((s) => s.isMe);
  let position = "none";
  if (mine === turn) position = "speaker";
  else if (mine === turn + 1) position = "next";
  else if (mine > turn + 1) position = "later";
  else if (mine >= 0) position = "spoken";
  else if (round.size > order.length) position = "notShown";
  const speaker = round.speaker || order[turn] || null;
  return {
    kind: round.kind,
    question: round.question,
    turn,
    size: round.size,
    order,
    hidden: Math.max(0, round.size - order.length),
    speaker: speaker ? { id: speaker.id, name: named(speaker), host: speaker.host, isMe: speaker.id === myId } : null,
    next: round.next ? { id: round.next.id, name: named(round.next), host: round.next.host } : null,
    position,
    before: position === "later" ? mine - turn - 1 : 0,
    seconds: round.seconds_per_speaker || null,
    turnStartedAtMs: round.turn_started_at_ms,
    remainingMs: round.turn_ends_at_ms ? Math.max(0, round.turn_ends_at_ms - now) : null,
  };
}

/** Return how a speaker is called: their name, or "the host". */
export function speakerName(lang, speaker) {
  return speaker.host ? t(lang, "round.host") : speaker.name;
}

/** Return the round's headline for me: "Your turn", or who is speaking. */
export function roundHeadline(lang, round) {
  if (!round.speaker) return "";
  if (round.position === "speaker") return t(lang, "round.yourTurn");
  return t(lang, "round.speaking", { name: speakerName(lang, round.speaker) });
}

/** Return the line under the headline: "You're next", how many speak before me, or that I spoke. */
export function roundPositionText(lang, round) {
  switch (round.position) {
    case "next":
      return t(lang, "round.youreNext");
    case "later":
      return t(lang, round.before === 1 ? "round.laterOne" : "round.laterMany", { n: round.before });
    case "spoken":
      return t(lang, "round.spoken");
    case "notShown":
      return t(lang, "round.notShown");
    case "speaker":
    case "none":
      return "";
    default:
      throw new Error(`Unknown place in the round: ${round.position}.`);
  }
}

function roundAnnouncement(lang, round) {
  if (!round.speaker) return "";
  if (round.position === "speaker") {
    return t(lang, "announce.yourTurn", { question: localizeQuestion(lang, round.question) });
  }
  const name = speakerName(lang, round.speaker);
  return t(lang, round.position === "next" ? "announce.youreNext" : "announce.speaking", { name });
}

/**
 * Return true while `message` belongs to the activity under way (`activity`, `Activity.*`): it
 * fades when the activity it was sent in ends. Sent before the latest activity started (the
 * meeting's `last_activity_started_at_ms`), it is over; so is one this page first saw during
 * another activity (`seenDuring`, undefined when unknown).
 */
export function messageIsCurrent(message, meeting, activity, seenDuring = undefined) {
  const lastStart = meeting ? meeting.last_activity_started_at_ms ?? null : null;
  if (lastStart !== null && message.sent_at_ms < lastStart) return false;
  return seenDuring === undefined || seenDuring === activity;
}

/** Return the newest host message unless this device dismissed it (ids in `dismissed`); null when none. */
export function bannerMessage(meeting, dismissed) {
  const messages = (meeting && meeting.messages) || [];
  const newest = messages[messages.length - 1];
  if (!newest || dismissed.includes(newest.id)) return null;
  return newest;
}

/** Return the time still planned from `now`: the breakout's rest (from its slots), the break's, a timed round's. */
function remainingPlannedMs(state, now, round, breakNow) {
  let rest = 0;
  const breakout = state.breakout;
  if (breakout && statusAt(breakout, now) !== Status.FINISHED) rest += remainingUntil(breakout, now);
  if (breakNow) rest += breakNow.remainingMs;
  if (round && round.seconds && round.remainingMs !== null) {
    rest += round.remainingMs + Math.max(0, round.size - round.turn - 1) * round.seconds * 1000;
  }
  return rest;
}

/** Return the host's view of the meeting: agenda, elapsed time, break suggestion, planned against projected end; names from `labels` when given (see nameLabels). */
export function meetingModel(state, now, labels = undefined) {
  const meeting = state.meeting;
  if (!meeting) return null;
  const activity = activityAt(state, now);
  const breakNow = breakAt(meeting, now);
  const reading = new Set(
    meeting.agreements.trim() ? (state.participants || []).filter((p) => p.agreed === false).map((p) => p.id) : [],
  );
  const round = meeting.round ? roundModel(meeting.round, Speaker.HOST, now, labels, reading) : null;
  // A break that ran out by itself is over before the server says so (it sends no state then).
  const ranOut = meeting.break && meeting.break.ends_at_ms <= now ? meeting.break.ends_at_ms : 0;
  const lastBreakEnd = Math.max(meeting.last_break_ended_at_ms || 0, ranOut);
  const sinceBreakMs = breakNow ? 0 : now - Math.max(meeting.started_at_ms, lastBreakEnd);
  const projectedEndMs = now + remainingPlannedMs(state, now, round, breakNow);
  const plannedEndMs = meeting.planned_end_ms ?? null;
  const participants = state.participants || [];
  const agreed = participants.filter((p) => p.agreed).length;
  const had = new Set(meeting.done || []);
  // The agreements are done when everyone agreed (or there were none and the meeting moved on).
  const agreementsDone = meeting.agreements.trim() ? participants.length > 0 && agreed === participants.length : had.size > 0;
  const isDone = (step) => (step === "agreements" ? agreementsDone : had.has(step));
  const lastRestMs = Math.max(meeting.started_at_ms, lastBreakEnd);
  return {
    activity,
    agenda: AGENDA.map((step) => ({ step, current: step === activity, done: step !== activity && isDone(step) })),
    agreed,
    total: participants.length,
    elapsedMs: Math.max(0, now - meeting.started_at_ms),
    sinceBreakMs,
    suggestBreak: !breakNow && sinceBreakMs >= BREAK_SUGGESTED_AFTER_MS,
    // The plan says so: by the planned end the meeting would go an hour without a break, none
    // was the last thing it did, and a break and the check-out still fit before that end.
    breakPlanned:
      plannedEndMs !== null &&
      !breakNow &&
      meeting.last_activity !== Activity.BREAK &&
      plannedEndMs - lastRestMs >= BREAK_SUGGESTED_AFTER_MS &&
      plannedEndMs - now >= BREAK_ROOM_MS,
    plannedEndMs,
    projectedEndMs,
    restMs: projectedEndMs - now,
    overrunMs: plannedEndMs === null ? 0 : Math.max(0, projectedEndMs - plannedEndMs),
    round,
    break: breakNow,
  };
}

// ---- the end of the meeting -----------------------------------------------------------------

/**
 * Return what the host's page says of a closed session (null while it is open): when it
 * closed, how long it lasted, who was there at the end, how many breakouts it had and what
 * else it did (`done`, in agenda order), and when it is deleted by itself.
 */
export function closedSummary(state, closedLifetimeMs = CLOSED_LIFETIME_MS) {
  const session = state.session;
  if (!session.closed) return null;
  const meeting = state.meeting || null;
  const closedAtMs = session.closed_at_ms;
  const startedAtMs = meeting ? meeting.started_at_ms : closedAtMs;
  return {
    title: session.title,
    closedAtMs,
    durationMs: Math.max(0, closedAtMs - startedAtMs),
    people: state.participant_count,
    breakouts: state.breakout ? state.breakout.number : 0,
    done: meeting ? meeting.done.filter((step) => step !== Activity.BREAKOUT) : [],
    deletedAtMs: closedAtMs + closedLifetimeMs,
  };
}

/**
 * Return the settings of the session `state` describes as the create page keeps a device's
 * last ones (storage.saveSettings): language, lengths, agreements, planned minutes; no title.
 */
export function settingsOf(state) {
  const session = state.session;
  const byKind = session.phase_seconds_by_kind || null;
  const uniform = !byKind || PHASE_KINDS.every((kind) => byKind[kind] === session.phase_seconds);
  const meeting = state.meeting || null;
  const planned = meeting && meeting.planned_end_ms ? meeting.planned_end_ms - meeting.started_at_ms : null;
  return {
    language: session.language,
    phase_seconds: session.phase_seconds,
    phase_seconds_by_kind: uniform ? null : { ...byKind },
    agreements: meeting ? meeting.agreements : "",
    planned_minutes: planned && planned > 0 ? Math.round(planned / 60_000) : null,
  };
}
