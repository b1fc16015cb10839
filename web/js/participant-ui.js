// The participant page's views: each takes the page's elements, a language and a model from
// view.js, and updates the DOM. No state and no network here.

import { formatClockTime, formatCountdown } from "./clock.js";
import { h, replaceChildren, setText, show } from "./dom.js";
import { joinNames, localizeQuestion, t } from "./i18n.js";
import { PHASE_KINDS, Status } from "./events.js";
import { renderEnergizer, renderOrder, renderRoundTimer } from "./meeting-ui.js";
import { SHELL_SELECTORS, SHELL_VIEWS, changed, renderError, renderFieldError, showView as showShellView } from "./page-ui.js";
import {
  Screen,
  countText,
  durationWords,
  instructionText,
  nextText,
  orderText,
  partnersLeftText,
  roleOf,
  roundHeadline,
  roundPositionText,
  taskText,
  waitingText,
} from "./view.js";
import { renderGroupBadge } from "./group-ui.js";

export const SELECTORS = Object.freeze({
  ...SHELL_SELECTORS,
  views: {
    ...SHELL_VIEWS,
    join: "#view-join",
    lobby: "#view-lobby",
    starting: "#view-starting",
    breakout: "#view-breakout",
    round: "#view-round",
    break: "#view-break",
    alone: "#view-alone",
    done: "#view-done",
    left: "#view-left",
    closed: "#view-closed",
    rooms: "#view-rooms",
  },
  nowChip: "#now-chip",
  groupBadge: "#group-badge",
  task: "#task",
  roleLabel: "#role-label",
  taskOrder: "#task-order",
  countdownBox: "#countdown-box",
  wrapUp: "#wrap-up",
  doneReflect: "#done-reflect",
  signals: "#signals",
  signalDone: "#signal-done",
  signalHelp: "#signal-help",
  signalStatus: "#signal-status",
  voice: "#voice",
  voiceNote: "#voice-note",
  // Not one of the views: the agreements stand alone, or above whatever runs.
  agreementsBox: "#view-agreements",
  agreementsText: "#agreements-text",
  agreementsHint: "#agreements-hint",
  agree: "#agree",
  partnerNote: "#partner-note",
  startingLabel: "#starting-label",
  startingPartners: "#starting-partners",
  startingNote: "#starting-note",
  startingCountdown: "#starting-countdown",
  roundKind: "#round-kind",
  roundTurn: "#round-turn",
  roundPosition: "#round-position",
  roundQuestion: "#round-question",
  roundTimer: "#round-timer",
  roundCountdown: "#round-countdown",
  roundTimeUp: "#round-timeup",
  roundListen: "#round-listen",
  roundOrder: "#round-order",
  breakUntil: "#break-until",
  breakCountdown: "#break-countdown",
  energizer: "#break-energizer",
  energizerName: "#energizer-name",
  energizerText: "#energizer-text",
  joinTitle: "#join-title",
  joinForm: "#join-form",
  name: "#name",
  nameError: "#name-error",
  lobbyTitle: "#lobby-title",
  lobbyNote: "#lobby-note",
  lobbyHint: "#lobby-hint",
  lobbyYou: "#lobby-you",
  lobbyCount: "#lobby-count",
  partnerLabel: "#partner-label",
  partnerNames: "#partner-names",
  swapBanner: "#swap-banner",
  phaseName: "#phase-name",
  phaseCount: "#phase-count",
  turn: "#turn",
  instruction: "#instruction",
  pausedNote: "#paused-note",
  countdown: "#countdown",
  nextText: "#next-text",
  progress: "#progress",
  aloneHeading: "#alone-heading",
  aloneWaiting: "#alone-waiting",
  doneHeading: "#done-heading",
  doneWith: "#done-with",
  doneWaiting: "#done-waiting",
  error: "#error",
  actions: "#actions",
  sound: "#sound",
  leave: "#leave",
  leaveConfirm: "#leave-confirm",
  leaveYes: "#leave-yes",
  leaveNo: "#leave-no",
  rejoin: "#rejoin",
  leftText: "#left-text",
  closedHeading: "#closed-heading",
  closedTitle: "#closed-title",
  closedText: "#closed-text",
});

/** Show the view named `name` (a key of SELECTORS.views) and hide the others; move focus to its heading when focus was lost. */
export function showView(els, name) {
  const before = els.body.dataset.screen;
  showShellView(els, name);
  if (before === name) return;
  const active = document.activeElement;
  const lost = !active || active === document.body || active.closest("[hidden]");
  const heading = (els.views[name] || els.agreementsBox).querySelector("h1");
  if (lost && heading && name !== "join") heading.focus({ preventScroll: true });
}

/** Fill the name form's heading with the session's title. */
export function renderJoin(els, lang, title) {
  setText(els.joinTitle, title || t(lang, "app.name"));
}

/** Show a problem with the name under the field (or none). */
export function renderNameError(els, message) {
  renderFieldError(els.name, els.nameError, message);
}

/** Render the lobby: title, waiting, who I am and how many joined. */
export function renderLobby(els, lang, model) {
  setText(els.lobbyTitle, model.title || t(lang, "app.name"));
  setText(els.lobbyYou, t(lang, "lobby.you", { name: model.myName }));
  setText(els.lobbyCount, countText(lang, model.count));
  const note = model.screen === Screen.LATE ? "lobby.lateJoin" : model.afterBreakout ? "lobby.afterBreakout" : null;
  show(els.lobbyNote, Boolean(note));
  show(els.lobbyHint, !note);
  if (note) setText(els.lobbyNote, t(lang, note));
}

/** Return the partners the partner line names: those still here; all, tagged, when everyone left. */
function namedPartners(model) {
  const all = model.partners.map((name, i) => ({ name, left: model.partnersLeft[i], online: model.partnersOnline[i] }));
  const here = all.filter((p) => !p.left);
  return here.length > 0 ? here : all;
}

function partnerLabel(lang, model) {
  return t(lang, namedPartners(model).length > 1 ? "breakout.partners" : "breakout.partner");
}

function partnerText(lang, model) {
  const names = namedPartners(model).map((p) => {
    if (p.left) return `${p.name} (${t(lang, "breakout.leftTag")})`;
    return p.online ? p.name : `${p.name} (${t(lang, "host.offline")})`;
  });
  return joinNames(lang, names);
}

/** Return true when this phase asks something of me: telling and answering are the teller's, thinking and asking the other's. */
function isMyTurn(phase) {
  return phase.kind === "tell" || phase.kind === "answer" ? phase.tellerIsMe : !phase.tellerIsMe;
}

/** Show my group's number and colour on the screens of a breakout (or nothing elsewhere). */
export function renderGroup(els, lang, model) {
  const inGroup = [Screen.BREAKOUT, Screen.DONE, Screen.STARTING, Screen.ALONE].includes(model.screen);
  renderGroupBadge(els.groupBadge, lang, inGroup && model.group ? model.group.number - 1 : null);
}

/** Render the signal buttons ("we're done", "need help") and what became of the last one, on the screens where they make sense. */
export function renderSignals(els, lang, model) {
  const where = [Screen.BREAKOUT, Screen.DONE, Screen.ALONE].includes(model.screen) && model.status !== Status.FINISHED;
  show(els.signals, where);
  if (!where) return;
  show(els.signalDone, model.screen === Screen.BREAKOUT);
  const signal = model.signal;
  for (const button of [els.signalDone, els.signalHelp]) {
    button.setAttribute("aria-pressed", String(Boolean(signal && !signal.seen && signal.kind === button.dataset.kind)));
  }
  let text = "";
  if (signal) {
    text = signal.seen
      ? t(lang, `signal.seen.${signal.kind}`)
      : t(lang, `signal.sent.${signal.kind}`, { time: formatClockTime(signal.raisedAtMs) });
  }
  els.signals.dataset.seen = String(Boolean(signal && signal.seen));
  setText(els.signalStatus, text);
}

/** Render the partner note: who left, who dropped out, or who is back (`back`: names), or nothing. */
function renderPartnerNote(el, lang, model, back) {
  let text = "";
  let kind = "dropped";
  if (model.gone.length > 0) {
    text = partnersLeftText(lang, model.gone);
    if (model.asDuo) text = `${text} ${t(lang, "breakout.goOnAsDuo")}`;
  } else if (model.dropped.length > 0) {
    text = t(lang, model.dropped.length > 1 ? "breakout.partnersDropped" : "breakout.partnerDropped", {
      names: joinNames(lang, model.dropped),
    });
  } else if (back.length > 0) {
    text = t(lang, "breakout.partnerBack", { names: joinNames(lang, back) });
    kind = "back";
  }
  show(el, Boolean(text));
  setText(el, text);
  el.dataset.kind = kind;
}

/**
 * Render the agreements the participant has not confirmed yet: the whole screen when nothing
 * runs (then the lobby), else above what runs, which they see as everyone does; or hide them.
 */
export function renderAgreements(els, lang, model) {
  const reading = Boolean(model.agreements);
  show(els.agreementsBox, reading);
  if (!reading) return;
  const above = model.screen !== Screen.AGREEMENTS;
  els.agreementsBox.dataset.above = String(above);
  // Above what runs, the task's heading is the page's first: the agreements' comes second.
  els.agreementsBox.querySelector("h1").setAttribute("aria-level", above ? "2" : "1");
  setText(els.agreementsText, model.agreements);
  setText(els.agreementsHint, t(lang, above ? "agreements.hintRunning" : "agreements.hint"));
}

/** Render a late duo's wait for its first phase: the partner and how long until it starts. */
export function renderStarting(els, lang, model, back) {
  setText(els.startingLabel, `${partnerLabel(lang, model)}:`);
  setText(els.startingPartners, partnerText(lang, model));
  renderPartnerNote(els.startingNote, lang, model, back);
  setText(els.startingCountdown, formatCountdown(model.startsInMs));
}

/** Render a check-in or check-out: whose turn, where I am, the question, a gentle countdown, the order. */
export function renderRound(els, lang, model) {
  const round = model.round;
  els.views.round.dataset.position = round.position;
  setText(els.roundKind, t(lang, `round.kind.${round.kind}`));
  setText(els.roundTurn, roundHeadline(lang, round));
  const position = roundPositionText(lang, round);
  show(els.roundPosition, Boolean(position));
  setText(els.roundPosition, position);
  setText(els.roundQuestion, localizeQuestion(lang, round.question));
  show(els.roundListen, round.position !== "speaker");
  renderRoundTimer(els, round);
  renderOrder(els.roundOrder, lang, round);
}

/** Render the break: countdown, when we continue, and the energizer if the host picked one. */
export function renderBreak(els, lang, model) {
  setText(els.breakUntil, t(lang, "break.until", { time: formatClockTime(model.break.endsAtMs) }));
  setText(els.breakCountdown, formatCountdown(model.break.remainingMs));
  renderEnergizer(els, lang, model.break.energizer);
}

/** Render the breakout: partner, phase, whose turn, instruction, countdown, next, progress. */
export function renderBreakout(els, lang, model, back = []) {
  const view = els.views.breakout;
  const phase = model.phase;
  renderPartnerNote(els.partnerNote, lang, model, back);
  view.dataset.slot = `${model.breakoutId}:${model.slot}`;
  view.dataset.kind = phase.kind;
  view.dataset.rotation = String(model.colour);
  view.dataset.myTurn = String(isMyTurn(phase));
  view.dataset.role = roleOf(phase);
  view.dataset.status = model.status;
  view.dataset.wrapUp = String(model.wrapUp);
  setText(els.partnerLabel, `${partnerLabel(lang, model)}:`);
  setText(els.partnerNames, partnerText(lang, model));
  show(els.swapBanner, phase.swap);
  setText(els.swapBanner, t(lang, "breakout.swapped"));
  setText(els.phaseName, phase.wait ? t(lang, "breakout.rotationWait") : t(lang, `phase.${phase.kind}`));
  setText(els.phaseCount, t(lang, "breakout.phaseOf", { n: model.slot + 1, total: model.total }));
  setText(els.roleLabel, t(lang, `role.${roleOf(phase)}`));
  setText(els.turn, taskText(lang, phase));
  const order = orderText(lang, phase);
  show(els.taskOrder, Boolean(order));
  setText(els.taskOrder, order);
  setText(els.instruction, instructionText(lang, phase, model.upcoming));
  show(els.wrapUp, model.wrapUp);
  show(els.pausedNote, model.status === Status.PAUSED);
  renderCountdown(els, model.remainingMs);
  setText(els.nextText, nextText(lang, model.next));
  renderProgress(els, lang, model);
}

/** Show `remainingMs` as M:SS. */
function renderCountdown(els, remainingMs) {
  setText(els.countdown, formatCountdown(remainingMs));
}

/** Draw the progress: one block per rotation, named after its teller, a segment per phase (a wait where a teller left). */
function renderProgress(els, lang, model) {
  if (!changed(els.progress, [lang, model.breakoutId, model.slot, model.rotations])) return;
  const blocks = model.rotations.map((rotation) => {
    const segments = Array.from({ length: rotation.length }, (_, k) => {
      const index = rotation.start + k;
      const state = index < model.slot ? "segment-done" : index === model.slot ? "segment-current" : "";
      return h("li", { class: `segment ${state}`.trim() });
    });
    const current = rotation.start <= model.slot && model.slot < rotation.start + rotation.length;
    // A block shorter than a rotation (a wait, or the part of one a teller had before leaving) has no room for a name.
    let label = t(lang, "breakout.rotation", { name: rotation.name });
    if (rotation.length < PHASE_KINDS.length) label = "\u00a0";
    else if (rotation.isMe) label = t(lang, "breakout.rotationMe");
    const classes = ["rotation", current ? "rotation-current" : "", rotation.wait ? "rotation-wait" : ""];
    const dataset = { segments: String(rotation.length), colour: rotation.wait ? "wait" : String(rotation.colour) };
    return h("div", { class: classes.filter(Boolean).join(" "), dataset }, [
      h("span", { class: "rotation-name", text: label }),
      h("ol", { class: "segments" }, segments),
    ]);
  });
  replaceChildren(els.progress, blocks);
}

/** Clear what a session left on the page once it ended for this device (left, removed, gone): the group badge, the done/help buttons and their status, the connection's status, an error. */
export function renderEnded(els, lang) {
  renderGroupBadge(els.groupBadge, lang, null);
  show(els.signals, false);
  setText(els.signalStatus, "");
  show(els.connStatus, false);
  show(els.leaveConfirm, false);
  show(els.leave, true);
  renderError(els.error, "");
}

/** Say why this device is no longer in the session: it left (`self`), or the host removed it. */
export function renderLeft(els, lang, self) {
  const key = self ? "left.textSelf" : "left.textRemoved";
  els.leftText.dataset.i18n = key; // a language switch translates it anew
  setText(els.leftText, t(lang, key));
}

/** Render being alone in a breakout: who left, that the host can put me with another duo, how long the breakout still runs. */
export function renderAlone(els, lang, model) {
  setText(els.aloneHeading, partnersLeftText(lang, model.gone));
  setText(els.aloneWaiting, t(lang, "alone.waiting", { duration: durationWords(lang, model.waitingMs) }));
}

/** Render the end: thank the other, how long the others still need, and a question to reflect on meanwhile. */
export function renderDone(els, lang, model) {
  // Thank those who are still here; whoever left is not.
  const thanked = model.stayed.length > 0 ? model.stayed : model.partners;
  setText(els.doneHeading, t(lang, thanked.length > 1 ? "done.headingMany" : "done.heading"));
  setText(els.doneWith, t(lang, "breakout.with", { names: joinNames(lang, thanked) }));
  const waiting = waitingText(lang, model);
  show(els.doneWaiting, Boolean(waiting));
  setText(els.doneWaiting, waiting);
  // Done while others still talk: something to think about until everyone is back.
  show(els.doneReflect, model.waitingMs !== null && model.status !== Status.FINISHED);
}

/** Render the end of a closed session: thanks and its title to someone who took part (`joined`), else that it has ended. */
export function renderClosed(els, lang, title, joined) {
  setText(els.closedHeading, t(lang, joined ? "closed.heading" : "closed.headingNotJoined"));
  show(els.closedTitle, Boolean(title));
  setText(els.closedTitle, title || "");
  setText(els.closedText, t(lang, joined ? "closed.text" : "closed.textNotJoined"));
}
