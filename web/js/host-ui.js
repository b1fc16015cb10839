// The host page's views: participants, the start button, the running breakout and its groups.

import { formatCountdown } from "./clock.js";
import { h, replaceChildren, setText, show } from "./dom.js";
import { durationText, t } from "./i18n.js";
import { PHASE_KINDS } from "./events.js";
import { Status, hostTurnText } from "./view.js";

export const SELECTORS = Object.freeze({
  body: "body",
  codeLabel: "#code-label",
  langButtons: ".lang-button",
  connStatus: "#conn-status",
  views: {
    loading: "#view-loading",
    gone: "#view-gone",
    notoken: "#view-notoken",
    host: "#view-host",
  },
  sessionTitle: "#session-title",
  breakoutHeading: "#breakout-heading",
  startArea: "#start-area",
  start: "#start",
  startReason: "#start-reason",
  startHint: "#start-hint",
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
  inviteCode: "#invite-code",
  inviteLink: "#invite-link",
  copyInvite: "#copy-invite",
  inviteQr: "#invite-qr",
  copyStatus: "#copy-status",
  announcer: "#announcer",
});

/** Show the view named `name` and hide the others. */
export function showView(els, name) {
  for (const [key, el] of Object.entries(els.views)) show(el, key === name);
  els.body.dataset.screen = name;
}

/** Return true (and remember it) when `data` differs from what `el` shows now. */
const shown = new WeakMap();
function changed(el, data) {
  const signature = JSON.stringify(data);
  if (shown.get(el) === signature) return false;
  shown.set(el, signature);
  return true;
}

function personItem(lang, person, extra) {
  return h("li", { class: `person ${person.online ? "is-online" : "is-offline"}` }, [
    h("span", { class: `dot${person.online ? " dot-online" : ""}`, "aria-hidden": "true" }),
    h("span", { class: "person-name", text: person.name }),
    h("span", { class: "visually-hidden", text: `, ${t(lang, person.online ? "host.online" : "host.offline")}` }),
    extra,
  ]);
}

/** Render everyone who joined, with an online mark, and the count. */
export function renderParticipants(els, lang, model) {
  setText(els.peopleCount, t(lang, "host.onlineCount", { online: model.onlineCount, total: model.total }));
  show(els.peopleEmpty, model.participants.length === 0);
  if (!changed(els.participantList, [lang, model.participants])) return;
  const sorted = [...model.participants].sort((a, b) => Number(b.online) - Number(a.online));
  replaceChildren(els.participantList, sorted.map((p) => personItem(lang, p)));
}

/** Render the start button: enabled with 2+ online and no breakout under way, else the reason. */
export function renderStart(els, lang, model) {
  const again = model.breakout !== null;
  show(els.startArea, !model.busy);
  setText(els.start, t(lang, again ? "host.startAnother" : "host.start"));
  els.start.disabled = !model.canStart;
  const reason = model.onlineCount < 2 ? t(lang, "host.needTwo", { n: model.onlineCount }) : "";
  show(els.startReason, Boolean(reason));
  setText(els.startReason, reason);
  show(els.startHint, again && model.canStart);
  for (const el of els.stepTimes) setText(el, durationText(lang, model.phaseSeconds));
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

/** Update the countdown and the "everyone done in" line. */
export function renderHostCountdown(els, lang, breakout) {
  setText(els.countdown, formatCountdown(breakout.remainingMs));
  setText(els.everyone, t(lang, "host.everyoneDone", { time: formatCountdown(breakout.everyoneDoneMs) }));
}

/** Render every group: members with online marks, and whose turn it is. */
export function renderGroups(els, lang, model) {
  const b = model.breakout;
  if (!b || !changed(els.groupList, [lang, b.slot, b.groups])) return;
  const cards = b.groups.map((group) => {
    const done = group.phase === null;
    const turn = done ? t(lang, "host.groupDone") : hostTurnText(lang, group.phase);
    const tellerIndex = done ? -1 : group.members.findIndex((m) => m.isTeller);
    const members = group.members.map((m) =>
      personItem(lang, m, m.isTeller ? h("span", { class: "teller-tag", text: t(lang, "host.teller") }) : null),
    );
    return h("li", { class: `group-card${done ? " is-done" : ""}`, dataset: { rotation: String(Math.max(0, tellerIndex)) } }, [
      h("h4", { class: "group-title", text: t(lang, "host.group", { n: group.index + 1 }) }),
      h("p", { class: "group-turn", text: turn }),
      h("ul", { class: "member-list" }, members),
    ]);
  });
  replaceChildren(els.groupList, cards);
}

/** Show or hide an error from a control. */
export function renderError(els, message) {
  show(els.error, Boolean(message));
  setText(els.error, message || "");
}

/** Show the connection's state ("reconnecting…") or nothing while all is well. */
export function renderConnection(els, lang, status) {
  const key = { reconnecting: "conn.reconnecting", offline: "conn.offline" }[status];
  show(els.connStatus, Boolean(key));
  if (key) setText(els.connStatus, t(lang, key));
}

/** Mark the language buttons so the current one is pressed. */
export function renderLanguage(els, lang) {
  for (const button of els.langButtons) button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
}
