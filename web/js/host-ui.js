// The host page's views: the meeting's agenda and times, rounds, the breakout and its groups,
// late joiners, breaks, messages and participants.

import { formatClockTime, formatCountdown } from "./clock.js";
import { h, replaceChildren, setText, show } from "./dom.js";
import { QUESTIONS, durationText, elapsedText, isolate, joinNames, localizeQuestion, t } from "./i18n.js";
import { Activity, ENERGIZERS, PHASE_KINDS, Status } from "./events.js";
import { renderEnergizer, renderOrder, renderRoundTimer } from "./meeting-ui.js";
import { SHELL_SELECTORS, SHELL_VIEWS, changed, renderError } from "./page-ui.js";
import { blockedBy, hostName, speakerName } from "./view.js";
import { groupExtras, groupTitle } from "./group-ui.js";
import { withRoom } from "./rooms-ui.js";

const MESSAGE_MAX = 280;

export const SELECTORS = Object.freeze({
  ...SHELL_SELECTORS,
  views: {
    ...SHELL_VIEWS,
    notoken: "#view-notoken",
    host: "#view-host",
  },
  tokenNote: "#token-note",
  sessionTitle: "#session-title",
  presentLink: "#present-link",
  messageStrip: "#message-strip",
  // now: what runs, with its controls
  nowPanel: "#now-panel",
  nowHeading: "#now-heading",
  nowLobby: "#now-lobby",
  // next: the agenda's suggestion
  nextWhen: "#next-when",
  nextStep: "#next-step",
  nextText: "#next-text",
  nextGo: "#next-go",
  // the tools, in a fixed order, folded on a narrow screen while something runs
  tools: "details.tool",
  breakoutHeading: "#breakout-heading",
  startArea: "#start-area",
  start: "#start",
  startReason: "#start-reason",
  startHint: "#start-hint",
  startError: "#start-error",
  signalCount: "#signal-count",
  helpCount: "#help-count",
  helpBar: "#help-bar",
  doneCount: "#done-count",
  helpSound: "#help-sound",
  startReaders: "#start-readers",
  startReadersText: "#start-readers-text",
  startReadersYes: "#start-readers-yes",
  startReadersNo: "#start-readers-no",
  roundReaders: "#round-readers",
  roundReadersText: "#round-readers-text",
  roundReadersYes: "#round-readers-yes",
  roundReadersNo: "#round-readers-no",
  exerciseSummary: "#start-area .exercise-summary",
  roundPanel: "#round-panel",
  roundBlocked: "#round-blocked",
  roundReason: "#round-reason",
  breakoutPanel: "#breakout-panel",
  breakoutBlocked: "#breakout-blocked",
  breakPanel: "#break-panel",
  breakBlocked: "#break-blocked",
  breakReason: "#break-reason",
  stepTimes: "[data-step-time]",
  runningArea: "#running-area",
  phaseName: "#host-phase-name",
  phaseCount: "#host-phase-count",
  countdown: "#host-countdown",
  everyone: "#host-everyone",
  pause: "#pause",
  resume: "#resume",
  extend1: "#extend1",
  skip: "#skip",
  end: "#end",
  endConfirm: "#end-confirm",
  endYes: "#end-yes",
  endNo: "#end-no",
  extendForm: "#extend-form",
  extendSeconds: "#extend-seconds",
  error: "#host-error",
  groups: "#groups",
  groupList: "#group-list",
  peopleCount: "#people-count",
  peopleEmpty: "#people-empty",
  participantList: "#participant-list",
  burstAlert: "#burst-alert",
  burstText: "#burst-text",
  burstRemove: "#burst-remove",
  burstKeep: "#burst-keep",
  lockToggle: "#lock-toggle",
  lockNote: "#lock-note",
  lockError: "#lock-error",
  inviteCode: "#invite-code",
  inviteLink: "#invite-link",
  copyInvite: "#copy-invite",
  inviteQr: "#invite-qr",
  copyStatus: "#copy-status",
  // the meeting: agenda and times
  agenda: "#agenda",
  elapsed: "#elapsed",
  plannedFact: "#planned-fact",
  plannedEnd: "#planned-end",
  projectedFact: "#projected-fact",
  projectedEnd: "#projected-end",
  overrun: "#overrun",
  breakSuggestion: "#break-suggestion",
  // rounds
  roundForm: "#round-form",
  roundQuestion: "#round-question",
  roundCustomField: "#round-custom-field",
  roundCustom: "#round-custom",
  roundCustomError: "#round-custom-error",
  roundSeconds: "#round-seconds",
  roundStart: "#round-start",
  roundRunning: "#round-running",
  roundKind: "#host-round-kind",
  roundCount: "#host-round-count",
  roundQuestionText: "#host-round-question",
  roundSpeaker: "#host-round-speaker",
  roundTimer: "#host-round-timer",
  roundCountdown: "#host-round-countdown",
  roundTimeUp: "#host-round-timeup",
  roundNext: "#round-next",
  roundEnd: "#round-end",
  roundOrder: "#host-round-order",
  roundError: "#round-error",
  // late joiners
  waiting: "#waiting",
  waitingList: "#waiting-list",
  // breaks
  breakForm: "#break-form",
  breakMinutes: "#break-minutes",
  breakEnergizerChoice: "#break-energizer-choice",
  breakEnergizerHint: "#break-energizer-hint",
  breakStart: "#break-start",
  breakRunning: "#break-running",
  breakUntil: "#host-break-until",
  breakCountdown: "#host-break-countdown",
  energizer: "#host-energizer",
  energizerName: "#host-energizer-name",
  energizerText: "#host-energizer-text",
  breakEnd: "#break-end",
  breakError: "#break-error",
  // messages
  messageForm: "#message-form",
  messageInput: "#message-input",
  messageCounter: "#message-counter",
  messageSend: "#message-send",
  messageStatus: "#message-status",
  sentMessages: "#sent-messages",
  sentList: "#sent-list",
});

function personItem(lang, person, extra) {
  const state = person.left ? "is-left" : person.online ? "is-online" : "is-offline";
  // The dot stays beside the name; a tag that does not fit beside the name goes below it.
  return h("li", { class: `person ${state}` }, [
    h("span", { class: `dot${person.online ? " dot-online" : ""}`, "aria-hidden": "true" }),
    h("span", { class: "person-main" }, [
      h("span", { class: "person-name", text: hostName(lang, person.name) }),
      person.left
        ? h("span", { class: "left-tag", text: t(lang, "host.left") })
        : h("span", { class: "visually-hidden", text: `, ${t(lang, person.online ? "host.online" : "host.offline")}` }),
      ...[extra].flat(),
    ]),
  ]);
}

/** Render everyone who joined, with an online mark, whether they still read the agreements, and the count. */
export function renderParticipants(els, lang, model) {
  setText(els.peopleCount, t(lang, "host.onlineCount", { online: model.onlineCount, total: model.total }));
  show(els.peopleEmpty, model.participants.length === 0);
  if (!changed(els.participantList, [lang, model.participants])) return;
  const sorted = [...model.participants].sort((a, b) => Number(b.online) - Number(a.online));
  replaceChildren(
    els.participantList,
    sorted.map((p) =>
      personItem(lang, p, p.reading ? h("span", { class: "reading-tag", text: t(lang, "host.reading") }) : null),
    ),
  );
}

/** Render the lock and the largest burst of joins from one address not dismissed (`kept`: their keys). */
export function renderJoinControl(els, lang, model, kept) {
  els.lockToggle.textContent = t(lang, model.locked ? "host.lock.unlock" : "host.lock.lock");
  els.lockToggle.setAttribute("aria-pressed", String(model.locked));
  els.lockToggle.classList.toggle("button-primary", model.locked);
  setText(els.lockNote, t(lang, model.locked ? "host.lock.locked" : "host.lock.open"));
  const burst = model.bursts.find((b) => !kept.has(b.key)) || null;
  show(els.burstAlert, Boolean(burst));
  if (!burst) return null;
  setText(els.burstText, t(lang, "host.burst.text", { count: burst.count, seconds: burst.seconds }));
  els.burstRemove.textContent = t(lang, "host.burst.remove", { count: burst.count });
  return burst;
}

/** Return why nothing can start now (another activity runs: one at a time), or "". */
function blockedText(lang, model) {
  const key = blockedBy(model.activity);
  return key ? t(lang, key) : "";
}

/** Return when a folded tool can start ("after the breakout"): its summary's short reason. */
function blockedSoon(lang, model) {
  return t(lang, `host.after.${model.activity}`);
}

/** Render the start button: enabled with 2+ online and nothing else running, else disabled with the reason. */
export function renderStart(els, lang, model) {
  const again = model.breakout !== null;
  setText(els.start, t(lang, again ? "host.startAnother" : "host.start"));
  els.start.disabled = !model.canStart;
  const blocked = blockedText(lang, model);
  const reason = blocked || (model.onlineCount < 2 ? t(lang, "host.needTwo", { n: model.onlineCount }) : "");
  show(els.startReason, Boolean(reason));
  setText(els.startReason, reason);
  renderError(els.breakoutBlocked, blocked && blockedSoon(lang, model));
  show(els.startHint, again && model.canStart);
  // The host knows the exercise after the first breakout: keep the page short from then on.
  show(els.exerciseSummary, !again);
  for (const el of els.stepTimes) setText(el, durationText(lang, model.stepSeconds[el.dataset.stepTime]));
}

/** Render in the now panel how many groups ask for help (a button to the first) and how many are done, or nothing. */
export function renderSignalCount(els, lang, model) {
  const signals = model.breakout ? model.breakout.signals : { help: 0, done: 0 };
  show(els.signalCount, signals.help + signals.done > 0);
  show(els.helpCount, signals.help > 0);
  show(els.doneCount, signals.done > 0);
  const help = signals.help > 0 ? t(lang, signals.help === 1 ? "host.help.one" : "host.help.many", { n: signals.help }) : "";
  setText(els.helpCount, help);
  setText(els.helpBar, help);
  if (signals.done > 0) setText(els.doneCount, t(lang, signals.done === 1 ? "host.done.one" : "host.done.many", { n: signals.done }));
}

/** Render the now panel's heading ("Now: Breakout") and, in the lobby, that nothing runs. */
export function renderNow(els, lang, model) {
  const activity = model.activity;
  setText(els.nowHeading, t(lang, "host.nowHeading", { activity: t(lang, `activity.${activity}`) }));
  els.nowPanel.dataset.activity = activity;
  els.views.host.dataset.activity = activity;
  show(els.nowLobby, activity === Activity.LOBBY);
}

/** Fold the tools on a narrow screen while something runs, so what runs fits; open them again in the lobby. Only when the activity changes: what the host opened stays open. */
export function foldTools(els, activity, narrow) {
  const open = !narrow || activity === Activity.LOBBY;
  for (const tool of els.tools) tool.open = open;
}

/** Render the breakout heading: its number and status, or the lobby's heading. */
export function renderHeading(els, lang, model) {
  const b = model.breakout;
  const text = b ? `${t(lang, "host.breakoutN", { n: b.number })} · ${t(lang, `host.status.${b.status}`)}` : t(lang, "host.lobbyHeading");
  setText(els.breakoutHeading, text);
}

/** Render the shared countdown, the phase everybody is in, and the controls that apply. */
export function renderRunning(els, lang, model) {
  const b = model.breakout;
  show(els.runningArea, model.busy);
  show(els.groups, b !== null && b.groups.length > 0);
  if (!b || !model.busy) return;
  els.runningArea.dataset.rotation = String(Math.floor(b.slot / PHASE_KINDS.length) % 3);
  els.runningArea.dataset.status = b.status;
  els.runningArea.dataset.slot = `${b.id}:${b.slot}`;
  setText(els.phaseName, t(lang, `phase.${b.kind}`));
  setText(els.phaseCount, t(lang, "breakout.phaseOf", { n: b.slot + 1, total: b.totalSlots }));
  renderHostCountdown(els, lang, b);
  show(els.pause, b.status === Status.RUNNING);
  show(els.resume, b.status === Status.PAUSED);
}

/** Update the countdown and how long until everyone is done, as a duration and a clock time. */
function renderHostCountdown(els, lang, breakout) {
  setText(els.countdown, formatCountdown(breakout.remainingMs));
  setText(els.everyone, timeLeftText(lang, breakout));
}

/** Return "About 12 min left, done at 10:56" (or less than a minute; paused: no clock time, it moves). */
export function timeLeftText(lang, breakout) {
  const minutes = Math.ceil(breakout.everyoneDoneMs / 60_000);
  if (breakout.doneAtMs === null) return t(lang, "host.timeLeftPaused", { n: Math.max(1, minutes) });
  const time = formatClockTime(breakout.doneAtMs);
  return breakout.everyoneDoneMs < 60_000 ? t(lang, "host.timeLeftUnder", { time }) : t(lang, "host.timeLeft", { n: minutes, time });
}

/** Return the duos `model`'s people can be added to (each becomes a trio): index and member names. */
function placeTargets(model) {
  const b = model.breakout;
  return b ? b.groups.filter((g) => g.placeable).map((g) => ({ index: g.index, number: g.look.number, names: g.members.map((m) => m.name) })) : [];
}

/**
 * Return where `person` (a late joiner or a lone member) can go, as a label, a choice and a
 * "Place" button: a duo of `targets` (it becomes a trio) or a new duo with one of `pairable`.
 * With nowhere to go: their name and that they join the next breakout.
 */
function placeControl(lang, person, targets, pairable) {
  const options = [
    ...targets.map((g) =>
      h("option", { value: `group:${g.index}`, text: t(lang, "host.waiting.toGroup", { n: g.number, names: joinNames(lang, g.names) }) }),
    ),
    ...pairable
      .filter((other) => other.id !== person.id)
      .map((other) => h("option", { value: `pair:${other.id}`, text: t(lang, "host.waiting.newDuo", { name: other.name }) })),
  ];
  if (options.length === 0) {
    return [
      h("span", { class: "person-name", text: person.name }),
      h("p", { class: "hint", text: t(lang, "host.waiting.none", { name: person.name }) }),
    ];
  }
  const selectId = `place-${person.id}`;
  return [
    h("label", { class: "person-name", for: selectId, text: t(lang, "host.waiting.where", { name: person.name }) }),
    h("div", { class: "inline-field" }, [
      h("select", { id: selectId, dataset: { participant: person.id } }, options),
      h("button", { type: "button", class: "button", id: `${selectId}-go`, dataset: { place: person.id }, text: t(lang, "host.waiting.place") }),
    ]),
  ];
}

/** Replace `list`'s children with `children`, keeping what the host chose in its place choices and where focus was. */
function redrawKeepingChoices(list, children) {
  const chosen = new Map([...list.querySelectorAll("select[data-participant]")].map((el) => [el.id, el.value]));
  const focused = list.contains(document.activeElement) ? document.activeElement.id : "";
  replaceChildren(list, children);
  for (const select of list.querySelectorAll("select[data-participant]")) {
    const value = chosen.get(select.id);
    if (value && [...select.options].some((o) => o.value === value)) select.value = value;
  }
  const again = focused && document.getElementById(focused);
  if (again && list.contains(again)) again.focus();
}

/** Render every group: members with online marks, whose turn it is, whether it is broken, who left, and where a lone member can go. */
export function renderGroups(els, lang, model) {
  const b = model.breakout;
  const targets = placeTargets(model);
  if (!b || !changed(els.groupList, [lang, b.slot, b.groups, targets, model.pairable, model.rooms])) return;
  // Groups asking for help come first, then those done: where the host's eyes are.
  const cards = b.signals.ordered.map((group) => {
    const turn = { done: "host.groupDone", starting: "host.group.starts", running: null }[group.state];
    const tellerIndex = group.state === "running" ? group.members.findIndex((m) => m.isTeller) : -1;
    // Each member says what they do in this phase: tells, listens, silent, thinks of a question, asks, answers.
    const members = group.members.map((m) =>
      personItem(lang, m, [
        m.role && !m.left
          ? h("span", { class: `role-tag${m.isTeller ? " is-teller" : ""}`, dataset: { role: m.role }, text: t(lang, `host.role.${m.role}`) })
          : null,
        m.reading && !m.left ? h("span", { class: "reading-tag", text: t(lang, "host.reading") }) : null,
      ]),
    );
    const classes = ["group-card", `is-${group.state}`, group.broken ? "is-broken" : "", group.lone ? "is-lone" : ""]
      .filter(Boolean)
      .join(" ");
    return h("li", { class: classes, dataset: { rotation: String(Math.max(0, tellerIndex)), size: String(group.size) } }, [
      withRoom(groupTitle(lang, group), lang, model.rooms, group),
      group.broken
        ? h("p", { class: "group-broken", text: t(lang, "host.group.broken", { names: joinNames(lang, group.broken) }) })
        : null,
      group.lone || !turn ? null : h("p", { class: "group-turn", text: t(lang, turn) }),
      ...groupExtras(lang, group),
      h("ul", { class: "member-list" }, members),
      group.lone ? h("div", { class: "waiting-person lone-place" }, placeControl(lang, group.lone, targets, model.pairable)) : null,
    ]);
  });
  redrawKeepingChoices(els.groupList, cards);
}

/** Render the late joiners with, for each, where they can go: a duo (it becomes a trio) or a new duo with another late joiner or a lone member. */
export function renderWaiting(els, lang, model) {
  const waiting = model.breakout ? model.waiting : [];
  show(els.waiting, waiting.length > 0);
  const targets = placeTargets(model);
  const pairable = model.pairable.map((p) => [p.id, p.name]);
  if (!changed(els.waitingList, [lang, waiting.map((p) => [p.id, p.name]), targets, pairable])) return;
  const items = waiting.map((person) => h("li", { class: "waiting-person" }, placeControl(lang, person, targets, model.pairable)));
  redrawKeepingChoices(els.waitingList, items);
}

// ---- the meeting --------------------------------------------------------------------------

/** Render the agenda (the current step marked, what is done ticked off), the elapsed time, planned against projected end, and a break suggestion. */
export function renderMeeting(els, lang, model) {
  const m = model.meeting;
  if (!m) return;
  if (changed(els.agenda, [lang, m.agenda, m.agreed, m.total, model.agreementsAsked])) {
    const steps = m.agenda.map(({ step, current, done }) => {
      const asked = step === "agreements" && model.agreementsAsked && m.total > 0;
      const detail = asked ? t(lang, "host.agenda.agreed", { n: m.agreed, total: m.total }) : "";
      const state = current ? " is-current" : done ? " is-done" : "";
      return h("li", { class: `agenda-step${state}`, "aria-current": current ? "step" : null }, [
        h("span", { class: "agenda-name", text: t(lang, `agenda.${step}`) }),
        detail ? h("span", { class: "agenda-detail", text: detail }) : null,
        done ? h("span", { class: "visually-hidden", text: `, ${t(lang, "host.agenda.done")}` }) : null,
        current ? h("span", { class: "agenda-now", text: t(lang, "host.agenda.now") }) : null,
      ]);
    });
    replaceChildren(els.agenda, steps);
  }
  const started = m.elapsedMs < 60_000;
  setText(els.elapsed, started ? t(lang, "host.meeting.justStarted") : t(lang, "host.meeting.elapsed", { time: elapsedText(lang, m.elapsedMs) }));
  show(els.plannedFact, m.plannedEndMs !== null);
  if (m.plannedEndMs !== null) setText(els.plannedEnd, formatClockTime(m.plannedEndMs));
  show(els.projectedFact, m.plannedEndMs !== null || m.restMs > 0);
  setText(els.projectedEnd, formatClockTime(m.projectedEndMs));
  els.projectedFact.dataset.over = String(m.overrunMs > 0);
  show(els.overrun, m.overrunMs > 0);
  if (m.overrunMs > 0) setText(els.overrun, t(lang, "host.meeting.overrun", { n: Math.ceil(m.overrunMs / 60_000) }));
  show(els.breakSuggestion, m.suggestBreak);
  if (m.suggestBreak) setText(els.breakSuggestion, t(lang, "host.meeting.suggestBreak", { time: elapsedText(lang, m.sinceBreakMs) }));
}

/** Render the agenda's suggested next step ("When this is over: Break"), its one-line why, and the button that gets its tool ready. */
export function renderNext(els, lang, model, step) {
  const running = model.activity !== Activity.LOBBY;
  show(els.nextWhen, running && step !== "end");
  setText(els.nextStep, t(lang, `host.next.${step}`));
  // A break the plan asks for (not yet an hour without one) says why: the planned end.
  const planned = step === Activity.BREAK && model.meeting && !model.meeting.suggestBreak && model.meeting.breakPlanned;
  setText(
    els.nextText,
    planned ? t(lang, "host.next.break.planned", { time: formatClockTime(model.meeting.plannedEndMs) }) : t(lang, `host.next.${step}.text`),
  );
  // Its tool cannot start while something runs: the button comes back in the lobby. At the
  // end it closes the session (confirmed).
  show(els.nextGo, !running);
  setText(els.nextGo, t(lang, step === "end" ? "host.close" : "host.next.go"));
  els.nextGo.dataset.step = step;
}

/** Return the tool that starts `step` (the round panel for check-in and check-out), or null. */
export function toolOf(els, step) {
  const tools = {
    [Activity.CHECKIN]: els.roundPanel,
    [Activity.CHECKOUT]: els.roundPanel,
    [Activity.BREAKOUT]: els.breakoutPanel,
    [Activity.BREAK]: els.breakPanel,
  };
  return tools[step] || null;
}

/** Fill the question list for `kind` (the seed's questions in `lang`, then "your own"), keeping the choice. */
function renderQuestionChoices(els, lang, kind) {
  const select = els.roundQuestion;
  if (!changed(select, [lang, kind])) return;
  const before = select.value;
  const options = [
    ...QUESTIONS[kind].map((key) => h("option", { value: key, text: t(lang, `question.${kind}.${key}`) })),
    h("option", { value: "custom", text: t(lang, "question.custom") }),
  ];
  replaceChildren(select, options);
  if ([...select.options].some((o) => o.value === before)) select.value = before;
  for (const option of els.roundSeconds.options) {
    if (option.value) option.textContent = durationText(lang, Number(option.value));
  }
}

/** Render the round panel: the form to start one, or the running round with its controls and order. */
export function renderRoundPanel(els, lang, model, kind) {
  const round = model.meeting ? model.meeting.round : null;
  show(els.roundRunning, Boolean(round));
  renderQuestionChoices(els, lang, kind);
  show(els.roundCustomField, els.roundQuestion.value === "custom");
  setText(els.roundStart, t(lang, `host.round.start.${kind}`));
  const blocked = blockedText(lang, model);
  els.roundStart.disabled = Boolean(blocked);
  renderError(els.roundBlocked, blocked && blockedSoon(lang, model));
  renderError(els.roundReason, blocked);
  if (!round) return;
  setText(els.roundKind, t(lang, `round.kind.${round.kind}`));
  setText(els.roundCount, t(lang, "round.turnOf", { n: Math.min(round.turn + 1, round.size), total: round.size }));
  setText(els.roundQuestionText, localizeQuestion(lang, round.question));
  setText(els.roundSpeaker, round.speaker ? speakerName(lang, round.speaker) : "");
  setText(els.roundNext, t(lang, round.next ? "host.round.next" : "host.round.finish"));
  renderRoundTimer(els, round);
  renderOrder(els.roundOrder, lang, round);
}

/** Offer every built-in energizer in the break form after "none" (their names come with the page's texts). */
export function fillEnergizerChoices(els) {
  els.breakEnergizerChoice.append(
    ...ENERGIZERS.map((name) => h("option", { value: name, dataset: { i18n: `energizer.${name}` } })),
  );
}

/** Render the break panel: the form to start one, or the running break's countdown, energizer and "end now". */
export function renderBreakPanel(els, lang, model) {
  const going = model.meeting ? model.meeting.break : null;
  show(els.breakRunning, Boolean(going));
  const blocked = blockedText(lang, model);
  els.breakStart.disabled = Boolean(blocked);
  renderError(els.breakBlocked, blocked && blockedSoon(lang, model));
  renderError(els.breakReason, blocked);
  const chosen = els.breakEnergizerChoice.value;
  show(els.breakEnergizerHint, Boolean(chosen));
  setText(els.breakEnergizerHint, chosen ? t(lang, `energizer.${chosen}.text`) : "");
  if (!going) return;
  setText(els.breakUntil, t(lang, "host.break.until", { time: formatClockTime(going.endsAtMs) }));
  setText(els.breakCountdown, formatCountdown(going.remainingMs));
  renderEnergizer(els, lang, going.energizer);
}

/** Render the message form's counter ("12 of 280 characters"). */
export function renderMessageCounter(els, lang) {
  const n = els.messageInput.value.length;
  setText(els.messageCounter, t(lang, "host.message.counter", { n }));
  els.messageCounter.dataset.full = String(n >= MESSAGE_MAX);
}

/** Render the messages the host sent (the newest five the state keeps), newest first, each with its time. */
export function renderSentMessages(els, lang, messages) {
  show(els.sentMessages, messages.length > 0);
  if (!changed(els.sentList, [lang, messages.map((m) => m.id)])) return;
  const items = [...messages].reverse().map((m) =>
    h("li", { class: "sent-message" }, [
      h("time", { class: "sent-time", datetime: new Date(m.sent_at_ms).toISOString(), text: formatClockTime(m.sent_at_ms) }),
      h("span", { class: "sent-text", text: isolate(m.text) }),
    ]),
  );
  replaceChildren(els.sentList, items);
}

/** Show the newest message as a one-line strip ("Message from 10:42: …"), or hide the strip. */
export function renderMessageStrip(els, lang, message) {
  show(els.messageStrip, Boolean(message));
  if (message) setText(els.messageStrip, t(lang, "host.message.strip", { time: formatClockTime(message.sent_at_ms), text: message.text }));
}
