// The host's page /host/{code}#{host_token}: who joined, the meeting's agenda and times,
// check-in and check-out rounds, breakouts (with late joiners), breaks and messages.

import * as api from "./api.js";
import { msUntilNextTick } from "./clock.js";
import { connect } from "./connection.js";
import { createWakeLock } from "./cues.js";
import { $, announce, codeFromPath, copyText } from "./dom.js";
import { Activity, CloseCode, Status } from "./events.js";
import { DEFAULT_LANGUAGE, pickLanguage, t, translate } from "./i18n.js";
import { messageAnnouncer, renderBanner } from "./meeting-ui.js";
import * as storage from "./storage.js";
import { bannerMessage, hostModel } from "./view.js";
import {
  SELECTORS,
  fillEnergizerChoices,
  orderPanels,
  renderBreakPanel,
  renderConnection,
  renderGroups,
  renderHeading,
  renderLanguage,
  renderMeeting,
  renderMessageCounter,
  renderPanelError,
  renderParticipants,
  renderRoundPanel,
  renderRunning,
  renderStart,
  renderWaiting,
  showView,
} from "./host-ui.js";

const EXTEND_DEFAULT_SECONDS = 60;

const els = Object.fromEntries(
  Object.entries(SELECTORS).map(([key, selector]) => {
    if (key === "views") return [key, Object.fromEntries(Object.entries(selector).map(([k, s]) => [k, $(s)]))];
    if (key === "langButtons" || key === "stepTimes") return [key, [...document.querySelectorAll(selector)]];
    return [key, $(selector)];
  }),
);

const page = {
  code: codeFromPath(window.location.pathname),
  token: null,
  lang: pickLanguage(null),
  state: null,
  conn: null,
  connStatus: null,
  lastKey: null,
  tick: null,
  kindTouched: false,
  focusNext: null,
};

const wakeLock = createWakeLock();
const announceMessage = messageAnnouncer(els.messageAnnouncer);

/** Return the host token: from the URL fragment (then remembered and taken out of the address bar) or from this device. */
function readToken() {
  const fragment = decodeURIComponent(window.location.hash.replace(/^#/, ""));
  if (fragment) {
    storage.saveHostToken(page.code, fragment);
    // Keep the token out of sight on a shared screen; the device remembers it.
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    return fragment;
  }
  return storage.loadHostToken(page.code);
}

// ---- language ---------------------------------------------------------------------------

function setLanguage(lang, remember = false) {
  page.lang = pickLanguage(lang);
  if (remember) storage.saveLanguage(page.code, page.lang);
  translate(document, page.lang);
  renderLanguage(els, page.lang);
  const title = page.state ? page.state.session.title : "";
  document.title = t(page.lang, "host.pageTitle", { title: title || page.code });
  els.inviteQr.alt = t(page.lang, "create.qrAlt", { url: els.inviteLink.value });
  renderConnection(els, page.lang, page.connStatus);
  renderMessageCounter(els, page.lang);
  render();
}

// ---- rendering --------------------------------------------------------------------------

function render() {
  window.clearTimeout(page.tick);
  if (!page.state || !page.conn) return;
  const model = hostModel(page.state, page.conn.serverNow());
  els.sessionTitle.textContent = model.title || t(page.lang, "app.name");
  renderMeeting(els, page.lang, model);
  if (model.meeting) orderPanels(els, model.meeting.activity);
  renderRoundPanel(els, page.lang, model, roundKind(model));
  renderParticipants(els, page.lang, model);
  renderStart(els, page.lang, model);
  renderHeading(els, page.lang, model);
  renderRunning(els, page.lang, model);
  renderWaiting(els, page.lang, model);
  renderGroups(els, page.lang, model);
  renderBreakPanel(els, page.lang, model);
  const message = bannerMessage(page.state.meeting, storage.loadDismissed(page.code));
  renderBanner(els, message);
  announceMessage(page.lang, message);
  showView(els, "host");
  moveFocus();
  wakeLock.want(model.busy);
  announceChange(model);
  page.tick = window.setTimeout(render, nextTickMs(model) + 8);
}

/** Focus `el` as soon as it is shown: a control's answer comes before the state that shows what it did. */
function focusWhenShown(el) {
  page.focusNext = el;
  moveFocus();
}

function moveFocus() {
  const el = page.focusNext;
  if (!el || el.closest("[hidden]")) return;
  page.focusNext = null;
  el.focus();
}

/** Return how long until a countdown on the page shows a new second (at most 1 s). */
function nextTickMs(model) {
  const b = model.breakout;
  const m = model.meeting;
  const counting = [
    b && b.status === Status.RUNNING ? b.remainingMs : null,
    m && m.pause ? m.pause.remainingMs : null,
    m && m.round && m.round.remainingMs ? m.round.remainingMs : null,
  ].filter((ms) => ms !== null);
  return Math.min(1000, ...counting.map(msUntilNextTick));
}

/** Return the kind of round the form offers: what the host chose, else check-out once a breakout has been. */
function roundKind(model) {
  const radios = els.roundForm.elements.kind;
  if (!page.kindTouched) {
    const kind = model.breakout ? Activity.CHECKOUT : Activity.CHECKIN;
    for (const radio of radios) radio.checked = radio.value === kind;
  }
  return radios.value || Activity.CHECKIN;
}

function announceChange(model) {
  const b = model.breakout;
  const key = b ? b.key : "lobby";
  const previous = page.lastKey;
  page.lastKey = key;
  if (previous === null || previous === key || !b) return;
  const text = b.status === Status.FINISHED
    ? t(page.lang, "host.finished")
    : `${t(page.lang, "breakout.phaseOf", { n: b.slot + 1, total: b.totalSlots })}: ${t(page.lang, `phase.${b.kind}`)}.${b.status === Status.PAUSED ? ` ${t(page.lang, "announce.paused")}` : ""}`;
  announce(els.announcer, text);
}

// ---- connection -------------------------------------------------------------------------

function onState(state) {
  const first = page.state === null;
  page.state = state;
  if (first) setLanguage(storage.loadLanguage(page.code) || state.session.language);
  else render();
}

function onStatus(status) {
  page.connStatus = status;
  renderConnection(els, page.lang, status);
}

function onEnd(code) {
  window.clearTimeout(page.tick);
  wakeLock.want(false);
  page.conn = null;
  switch (code) {
    case CloseCode.UNKNOWN_SESSION:
      showView(els, "gone");
      break;
    case CloseCode.BAD_TOKEN:
    case CloseCode.REMOVED:
      storage.forgetHostToken(page.code);
      showView(els, "notoken");
      break;
    default:
      throw new Error(`Unexpected close code: ${code}.`);
  }
}

// ---- controls ---------------------------------------------------------------------------

/** Press `button`: run `request`, show its error in `errorEl` (the breakout's by default), render. Return true when it worked. */
async function act(button, request, errorEl = els.error) {
  renderPanelError(errorEl, "");
  button.disabled = true;
  try {
    await request();
    return true;
  } catch (error) {
    renderPanelError(errorEl, errorText(error));
    return false;
  } finally {
    button.disabled = false;
    render();
  }
}

function errorText(error) {
  return error.status ? t(page.lang, "error.generic", { detail: error.detail }) : t(page.lang, "error.network");
}

// ---- the meeting's controls -------------------------------------------------------------

function startRound(event) {
  event.preventDefault();
  const kind = els.roundForm.elements.kind.value;
  const choice = els.roundQuestion.value;
  const custom = els.roundCustom.value.trim();
  if (choice === "custom" && !custom) {
    renderPanelError(els.roundCustomError, t(page.lang, "host.round.customEmpty"));
    els.roundCustom.setAttribute("aria-invalid", "true");
    els.roundCustom.focus();
    return;
  }
  renderPanelError(els.roundCustomError, "");
  els.roundCustom.removeAttribute("aria-invalid");
  // The question goes out in the session's language: everyone reads the same words.
  const question = choice === "custom" ? custom : t(page.state.session.language, `question.${kind}.${choice}`);
  const seconds = els.roundSeconds.value ? Number(els.roundSeconds.value) : null;
  act(els.roundStart, () => api.startRound(page.code, page.token, kind, question, seconds), els.roundError).then((ok) => {
    if (ok) focusWhenShown(els.roundNext);
  });
}

async function roundStep(button, request) {
  const round = page.state.meeting && page.state.meeting.round;
  const last = button === els.roundEnd || !round || round.next === null;
  const ok = await act(button, request, els.roundError);
  // After the last speaker the round is over: give focus back to the form.
  if (ok && last) focusWhenShown(els.roundStart);
}

async function sendMessage(event) {
  event.preventDefault();
  const text = els.messageInput.value.trim();
  els.messageStatus.textContent = "";
  if (!text) {
    els.messageStatus.hidden = false;
    els.messageStatus.textContent = t(page.lang, "host.message.empty");
    els.messageInput.focus();
    return;
  }
  const ok = await act(els.messageSend, () => api.sendMessage(page.code, page.token, text), els.messageStatus);
  if (ok) {
    els.messageInput.value = "";
    renderMessageCounter(els, page.lang);
    els.messageStatus.hidden = false;
    els.messageStatus.textContent = t(page.lang, "host.message.sent");
  }
}

function startBreak(event) {
  event.preventDefault();
  const minutes = Math.round(Number(els.breakMinutes.value));
  const energizer = els.breakEnergizerChoice.value || null;
  act(els.breakStart, () => api.startBreak(page.code, page.token, minutes, energizer), els.breakError).then((ok) => {
    if (ok) focusWhenShown(els.breakEnd);
  });
}

function placeWaiting(event) {
  const button = event.target.closest("button[data-place]");
  if (!button) return;
  const select = els.waitingList.querySelector(`select[data-participant="${CSS.escape(button.dataset.place)}"]`);
  const [target, value] = select.value.split(":");
  const id = button.dataset.place;
  const request = target === "group"
    ? () => api.addToGroup(page.code, page.token, Number(value), id)
    : () => api.addDuo(page.code, page.token, [id, value]);
  act(button, request).then(() => els.breakoutHeading.focus());
}

function dismissMessage() {
  storage.dismissMessage(page.code, Number(els.banner.dataset.id));
  render();
  els.sessionTitle.focus();
}

function bindMeetingControls() {
  els.roundForm.addEventListener("submit", startRound);
  for (const radio of els.roundForm.elements.kind) {
    radio.addEventListener("change", () => {
      page.kindTouched = true;
      render();
    });
  }
  els.roundQuestion.addEventListener("change", () => {
    render();
    if (els.roundQuestion.value === "custom") els.roundCustom.focus();
  });
  els.roundNext.addEventListener("click", () => roundStep(els.roundNext, () => api.nextSpeaker(page.code, page.token)));
  els.roundEnd.addEventListener("click", () => roundStep(els.roundEnd, () => api.endRound(page.code, page.token)));
  els.messageForm.addEventListener("submit", sendMessage);
  els.messageInput.addEventListener("input", () => renderMessageCounter(els, page.lang));
  els.breakForm.addEventListener("submit", startBreak);
  els.breakEnergizerChoice.addEventListener("change", render);
  els.breakEnd.addEventListener("click", async () => {
    if (await act(els.breakEnd, () => api.endBreak(page.code, page.token), els.breakError)) focusWhenShown(els.breakStart);
  });
  els.waitingList.addEventListener("click", placeWaiting);
  els.bannerDismiss.addEventListener("click", dismissMessage);
}

const control = (action, body) => () => api.control(page.code, page.token, action, body);

function bindControls() {
  bindMeetingControls();
  for (const button of els.langButtons) {
    button.addEventListener("click", () => setLanguage(button.dataset.lang, true));
  }
  els.start.addEventListener("click", () => act(els.start, () => api.startBreakout(page.code, page.token)));
  els.pause.addEventListener("click", () => act(els.pause, control(api.Control.PAUSE)));
  els.resume.addEventListener("click", () => act(els.resume, control(api.Control.RESUME)));
  els.skip.addEventListener("click", () => act(els.skip, control(api.Control.SKIP)));
  els.extend1.addEventListener("click", () =>
    act(els.extend1, control(api.Control.EXTEND, { seconds: EXTEND_DEFAULT_SECONDS })),
  );
  els.extendForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const seconds = Math.round(Number(els.extendSeconds.value));
    const button = els.extendForm.querySelector("button[type=submit]");
    act(button, control(api.Control.EXTEND, { seconds }));
  });
  els.end.addEventListener("click", () => {
    els.endConfirm.hidden = false;
    els.endNo.focus();
  });
  els.endNo.addEventListener("click", () => {
    els.endConfirm.hidden = true;
    els.end.focus();
  });
  els.endYes.addEventListener("click", async () => {
    els.endConfirm.hidden = true;
    await act(els.endYes, control(api.Control.END));
    els.start.focus();
  });
  els.copyInvite.addEventListener("click", async () => {
    const ok = await copyText(els.inviteLink.value, els.inviteLink);
    els.copyStatus.textContent = t(page.lang, ok ? "copy.done" : "copy.failed");
  });
}

// ---- start --------------------------------------------------------------------------------

function boot() {
  els.codeLabel.textContent = page.code;
  els.inviteCode.textContent = page.code;
  els.inviteLink.value = `${window.location.origin}/s/${page.code}`;
  els.inviteQr.src = api.qrUrl(page.code);
  fillEnergizerChoices(els);
  bindControls();
  setLanguage(storage.loadLanguage(page.code) || storage.loadLanguage(null) || DEFAULT_LANGUAGE);
  window.addEventListener("hashchange", () => {
    // The full host link pasted into this tab: only the fragment changed, so load anew with it.
    if (window.location.hash.length > 1) {
      storage.saveHostToken(page.code, decodeURIComponent(window.location.hash.slice(1)));
      window.location.replace(window.location.pathname);
    }
  });
  page.token = readToken();
  if (!page.token) {
    showView(els, "notoken");
    return;
  }
  page.conn = connect({ code: page.code, token: page.token, onState, onStatus, onEnd });
}

boot();
