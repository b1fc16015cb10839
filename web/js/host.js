// The host's page /host/{code}#{host_token}: who joined, the meeting's agenda and times,
// check-in and check-out rounds, breakouts (with late joiners), breaks and messages.

import * as api from "./api.js";
import { copyText, setText, show } from "./dom.js";
import { Activity, BreakoutControl, CloseCode, Status } from "./events.js";
import { t } from "./i18n.js";
import * as storage from "./storage.js";
import { blockedBy, closedSummary, hostModel, hostPageTitle, hostTickMs, messageMode, nextStep, readersText, settingsOf } from "./view.js";
import { createChime } from "./cues.js";
import { createShell, errorText, findElements, renderError, renderFieldError, showView } from "./page-ui.js";
import { acceptHostToken, readHostToken, refuseHostToken } from "./host-token.js";
import {
  SELECTORS,
  fillEnergizerChoices,
  foldTools,
  renderBreakPanel,
  renderGroups,
  renderHeading,
  renderJoinControl,
  renderMeeting,
  renderMessageCounter,
  renderMessageStrip,
  renderNext,
  renderNow,
  renderParticipants,
  renderRoundPanel,
  renderRunning,
  renderSentMessages,
  renderSignalCount,
  renderStart,
  renderWaiting,
  toolOf,
} from "./host-ui.js";
import { bindSignalClear } from "./group-ui.js";
import { CLOSE_SELECTORS, CLOSE_VIEWS, renderClosedView, toggleConfirm } from "./close-ui.js";
import { HOST_ROOM_SELECTORS, bindHostRooms, renderHostRooms } from "./rooms-ui.js";

const EXTEND_DEFAULT_SECONDS = 60;

const els = findElements(
  { ...SELECTORS, ...CLOSE_SELECTORS, views: { ...SELECTORS.views, ...CLOSE_VIEWS } },
  ["stepTimes", "tools"],
);
const roomEls = findElements(HOST_ROOM_SELECTORS);

/** Narrower than this, the tools fold while something runs (the layout's own breakpoint). */
const NARROW = window.matchMedia("(max-width: 63.99rem)");
const REDUCED_MOTION = window.matchMedia("(prefers-reduced-motion: reduce)");

const page = {
  token: null,
  // A token from the link's fragment that the server has not accepted yet: it replaces the
  // one this device keeps only once a state says the host is in.
  candidate: null,
  tokenNote: null,
  lastKey: null,
  kindTouched: false,
  focusNext: null,
  // The activity last drawn: the now panel comes into view and the tools fold when it changes.
  activity: null,
  // When this page first saw each host message, the activity then: a banner folds once it changes.
  messageSeen: new Map(),
  // Bursts of joins the host chose to keep (their keys), and the one shown now.
  keptBursts: new Set(),
  burst: null,
  locked: false,
  // The calls for help already heard (a sound for each new one), and how many are open.
  helpHeard: new Set(),
  help: 0,
  // Whether the now panel's count of calls for help is in the window: else a bar at the top says it.
  countInView: false,
  // The closed session's settings, for "new session with the same settings" (kept past an erase).
  settings: null,
  // An erase was asked for: the session's end (4404) is what it did, not a wrong link.
  erasing: false,
};

const shell = createShell({
  els,
  draw,
  onLanguage,
  closed: {
    [CloseCode.BAD_TOKEN]: tokenRefused,
    [CloseCode.REMOVED]: tokenRefused,
    [CloseCode.UNKNOWN_SESSION]: () => (page.erasing ? showErased() : showView(els, "gone")),
  },
  onDismiss: () => els.sessionTitle.focus(),
});
const render = shell.render;
// Sounds once the host has tapped or typed anything on the page (browsers allow no sound before).
const chime = createChime();

/** Return the host token to try: the link's (kept only once accepted), else this device's. */
function readToken() {
  const { token, candidate } = readHostToken(shell.code);
  page.candidate = candidate;
  return token;
}

// ---- language ---------------------------------------------------------------------------

/** Render what the page names in `lang` beyond its texts: the title, the QR code's description, the counter. */
function onLanguage(lang) {
  const title = shell.state ? shell.state.session.title : "";
  document.title = hostPageTitle(lang, title || shell.code, page.help);
  els.inviteQr.alt = t(lang, "create.qrAlt", { url: els.inviteLink.value });
  renderMessageCounter(els, lang);
  renderTokenNote();
}

/** Show why the link's host token was not used (or nothing). */
function renderTokenNote() {
  show(els.tokenNote, Boolean(page.tokenNote));
  if (page.tokenNote) setText(els.tokenNote, t(shell.lang, page.tokenNote));
}

// ---- rendering --------------------------------------------------------------------------

/** Draw the host's page for `state` at server time `now`; return how long until a countdown on it shows a new second. */
function draw(state, now) {
  if (page.candidate && !settleCandidate(state)) return 1000;
  if (state.session.closed) return drawClosed(state);
  const lang = shell.lang;
  const model = hostModel(state, now);
  els.sessionTitle.textContent = model.title || t(lang, "app.name");
  const changedActivity = page.activity !== null && page.activity !== model.activity;
  if (page.activity !== model.activity) {
    foldTools(els, model.activity, NARROW.matches);
    // A new activity: the forms offer their defaults anew, and what failed before is past.
    page.kindTouched = false;
    for (const el of [els.error, els.roundError, els.startError, els.breakError]) renderError(el, "");
  }
  page.activity = model.activity;
  renderNow(els, lang, model);
  renderHelp(model);
  renderMeeting(els, lang, model);
  const step = nextStep(state, model.meeting);
  renderNext(els, lang, model, step);
  // At the end the next step offers the close itself.
  show(els.closeSession, step !== "end" && els.closeConfirm.hidden);
  renderRoundPanel(els, lang, model, roundKind(model));
  renderParticipants(els, lang, model);
  page.burst = renderJoinControl(els, lang, model, page.keptBursts);
  page.locked = model.locked;
  renderStart(els, lang, model);
  renderHeading(els, lang, model);
  renderRunning(els, lang, model);
  renderWaiting(els, lang, model);
  renderGroups(els, lang, model);
  renderHostRooms(roomEls, lang, state, model);
  renderBreakPanel(els, lang, model);
  renderMessages(model, now);
  renderAsks(model, changedActivity);
  showView(els, "host");
  // Something started (or ended): what runs now comes into view, its first control focused.
  if (changedActivity) bringNowIntoView();
  moveFocus(changedActivity);
  shell.wakeLock.want(model.busy);
  announceChange(model);
  return hostTickMs(model);
}

/** Show calls for help where the host looks: the now panel's count, the tab title, a short sound for each new one. */
function renderHelp(model) {
  const b = model.breakout;
  renderSignalCount(els, shell.lang, model);
  page.help = b ? b.signals.help : 0;
  document.title = hostPageTitle(shell.lang, model.title || shell.code, page.help);
  const asking = b && b.signals.help > 0 ? b.groups.filter((g) => g.signal && !g.signal.seen && g.signal.kind === "help") : [];
  const keys = asking.map((g) => `${b.id}:${g.index}:${g.signal.raisedAtMs}`);
  if (keys.some((key) => !page.helpHeard.has(key))) {
    chime.call();
    shell.announce(els.helpCount.textContent);
  }
  page.helpHeard = new Set(keys);
  renderHelpBar();
}

/** Keep a call for help in sight: a bar at the top of the window while the now panel's count is out of it. */
function renderHelpBar() {
  show(els.helpBar, page.help > 0 && !page.countInView);
}

/** Bring the first group asking for help into view and focus its "seen" button. */
function goToHelp() {
  const button = els.groupList.querySelector(".group-signal[data-kind='help'] button");
  if (!button) return;
  button.scrollIntoView({ behavior: REDUCED_MOTION.matches ? "auto" : "smooth", block: "center" });
  button.focus({ preventScroll: true });
}

/** Draw the closed session: what happened, a new session with the same settings, erasing it now. */
function drawClosed(state) {
  const first = els.body.dataset.screen !== "closed";
  page.settings = settingsOf(state);
  // Nothing is asked for any more: no call for help in the tab title or at the top.
  page.help = 0;
  show(els.helpBar, false);
  document.title = hostPageTitle(shell.lang, state.session.title || shell.code, 0);
  renderClosedView(els, shell.lang, closedSummary(state));
  shell.renderMessage();
  showView(els, "closed");
  shell.wakeLock.want(false);
  if (first) {
    page.activity = null;
    els.closedTitle.focus({ preventScroll: true });
    shell.announce(t(shell.lang, "host.closed.heading"));
  }
  return 60_000;
}

/** The session is erased: say so, and offer a new one with the settings it had. */
function showErased() {
  storage.forgetHostToken(shell.code);
  showView(els, "erased");
  const heading = els.views.erased.querySelector("h1");
  heading.focus({ preventScroll: true });
}

/** Focus `el` as soon as it is shown: a control's answer comes before the state that shows what it did. */
function focusWhenShown(el) {
  page.focusNext = el;
  moveFocus();
}

function moveFocus(scrolled = false) {
  const el = page.focusNext;
  if (!el || el.closest("[hidden]")) return;
  page.focusNext = null;
  const inNow = els.nowPanel.contains(el);
  // The now panel comes into view smoothly, and may be on its way (its state came before the
  // start's answer): focusing must neither jump past it nor cut that scroll short.
  el.focus({ preventScroll: inNow });
  if (inNow && !scrolled && !nowPanelAtTop()) bringNowIntoView();
}

/** Return whether the now panel's top is in the upper third of the window. */
function nowPanelAtTop() {
  const top = els.nowPanel.getBoundingClientRect().top;
  return top >= -1 && top < window.innerHeight / 3;
}

/** Scroll the now panel to the top of the window: smoothly, or at once when motion is reduced. */
function bringNowIntoView() {
  els.nowPanel.scrollIntoView({ behavior: REDUCED_MOTION.matches ? "auto" : "smooth", block: "start" });
}

/** Show the newest host message as a banner while it is new, then as a one-line strip; list what was sent. */
function renderMessages(model, now) {
  const messages = model.messages;
  const newest = messages.length ? messages[messages.length - 1] : null;
  if (newest && !page.messageSeen.has(newest.id)) page.messageSeen.set(newest.id, model.activity);
  const mode = messageMode(newest, now, model.activity, newest ? page.messageSeen.get(newest.id) : undefined);
  shell.renderMessage();
  const asBanner = mode === "banner" && !els.banner.hidden;
  show(els.banner, asBanner);
  renderMessageStrip(els, shell.lang, newest && !asBanner ? newest : null);
  renderSentMessages(els, shell.lang, messages);
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
  const lang = shell.lang;
  const text = b.status === Status.FINISHED
    ? t(lang, "host.finished")
    : `${t(lang, "breakout.phaseOf", { n: b.slot + 1, total: b.totalSlots })}: ${t(lang, `phase.${b.kind}`)}.${b.status === Status.PAUSED ? ` ${t(lang, "announce.paused")}` : ""}`;
  shell.announce(text);
}

// ---- connection -------------------------------------------------------------------------

/** Keep the link's token once a state says it is the host's and return true; a token that is someone else's (a participant's) is refused like a bad one. */
function settleCandidate(state) {
  if (state.me.host) {
    acceptHostToken(shell.code, page.candidate);
    page.candidate = null;
    return true;
  }
  shell.state = null;
  shell.conn.close();
  shell.end(CloseCode.BAD_TOKEN);
  return false;
}

/** The server refused the token: a link's new one leaves this device's as it was (and the page goes on with it); a kept one is forgotten. */
function tokenRefused() {
  const kept = refuseHostToken(shell.code, page.candidate);
  if (page.candidate) {
    page.candidate = null;
    page.tokenNote = kept ? "host.linkRefused.kept" : "host.linkRefused";
    renderTokenNote();
    if (kept) {
      page.token = kept;
      renderPresentLink();
      shell.connect(kept);
      return;
    }
  }
  showView(els, "notoken");
}

/** Point "Share this screen" at the presenter's view, the host token in its fragment (never sent to a server). */
function renderPresentLink() {
  els.presentLink.href = `/present/${encodeURIComponent(shell.code)}#${encodeURIComponent(page.token)}`;
}

// ---- controls ---------------------------------------------------------------------------

/** Press `button`: run `request`, show its error in `errorEl` (the breakout's by default), render. Return true when it worked. */
async function act(button, request, errorEl = els.error) {
  renderError(errorEl, "");
  button.disabled = true;
  try {
    await request();
    return true;
  } catch (error) {
    renderError(errorEl, failureText(error));
    return false;
  } finally {
    button.disabled = false;
    render();
  }
}

/** Return what a failed control tells the host; a step that is not possible now (409) says so plainly, with the reason the page knows or the server's. */
function failureText(error) {
  const lang = shell.lang;
  if (error.status !== 409) return errorText(lang, error);
  const key = page.activity ? blockedBy(page.activity) : null;
  return t(lang, "host.conflict", { reason: key ? t(lang, key) : error.detail });
}

/** Press `button` to start an activity: as `act`, and the start shows in the now panel. */
function start(button, request, errorEl, focusAfter) {
  return act(button, request, errorEl).then((ok) => {
    if (ok && focusAfter) focusWhenShown(focusAfter);
    return ok;
  });
}

// ---- who still reads the agreements ------------------------------------------------------

/** The questions before a start that would include people still reading the agreements: one per start. */
const asks = {
  round: { box: els.roundReaders, text: els.roundReadersText, yes: els.roundReadersYes, no: els.roundReadersNo, trigger: els.roundStart, go: null },
  breakout: { box: els.startReaders, text: els.startReadersText, yes: els.startReadersYes, no: els.startReadersNo, trigger: els.start, go: null },
};

/** Run `go` (a start) at once when everyone it includes agreed; else ask first, naming who still reads. */
function unlessReading(ask, go) {
  const names = hostModel(shell.state, shell.conn.serverNow()).readers;
  if (names.length === 0) {
    go();
    return;
  }
  ask.go = go;
  renderAsk(ask, names);
  show(ask.box, true);
  // The whole question in view (the start may sit near the fold), then its safe answer focused.
  ask.box.scrollIntoView({ block: "nearest" });
  ask.no.focus({ preventScroll: true });
}

function renderAsk(ask, names) {
  if (names.length > 0) setText(ask.text, readersText(shell.lang, names));
}

function closeAsk(ask) {
  show(ask.box, false);
  ask.go = null;
}

/** Keep an open question's names true, and drop it when something started meanwhile. */
function renderAsks(model, changedActivity) {
  for (const ask of Object.values(asks)) {
    if (ask.box.hidden) continue;
    if (changedActivity) closeAsk(ask);
    else renderAsk(ask, model.readers);
  }
}

function bindAsks() {
  for (const ask of Object.values(asks)) {
    ask.yes.addEventListener("click", () => {
      const go = ask.go;
      closeAsk(ask);
      if (go) go();
    });
    ask.no.addEventListener("click", () => {
      closeAsk(ask);
      ask.trigger.focus();
    });
  }
}

// ---- the meeting's controls -------------------------------------------------------------

function startRound(event) {
  event.preventDefault();
  const kind = els.roundForm.elements.kind.value;
  const choice = els.roundQuestion.value;
  const custom = els.roundCustom.value.trim();
  if (choice === "custom" && !custom) {
    renderFieldError(els.roundCustom, els.roundCustomError, t(shell.lang, "host.round.customEmpty"));
    els.roundCustom.focus();
    return;
  }
  renderFieldError(els.roundCustom, els.roundCustomError, "");
  // The question goes out in the session's language: everyone reads the same words.
  const question = choice === "custom" ? custom : t(shell.state.session.language, `question.${kind}.${choice}`);
  const seconds = els.roundSeconds.value ? Number(els.roundSeconds.value) : null;
  unlessReading(asks.round, () =>
    start(els.roundStart, () => api.startRound(shell.code, page.token, kind, question, seconds), els.roundError, els.roundNext),
  );
}

async function roundStep(button, request) {
  const round = shell.state.meeting && shell.state.meeting.round;
  const last = button === els.roundEnd || !round || round.next === null;
  const ok = await act(button, request);
  // After the last speaker the round is over: focus goes to the next step.
  if (ok && last) focusWhenShown(els.nextGo);
}

async function sendMessage(event) {
  event.preventDefault();
  const text = els.messageInput.value.trim();
  els.messageStatus.textContent = "";
  if (!text) {
    els.messageStatus.hidden = false;
    els.messageStatus.textContent = t(shell.lang, "host.message.empty");
    els.messageInput.focus();
    return;
  }
  const ok = await act(els.messageSend, () => api.sendMessage(shell.code, page.token, text), els.messageStatus);
  if (ok) {
    els.messageInput.value = "";
    renderMessageCounter(els, shell.lang);
    els.messageStatus.hidden = false;
    els.messageStatus.textContent = t(shell.lang, "host.message.sent");
  }
}

function startBreak(event) {
  event.preventDefault();
  const minutes = Math.round(Number(els.breakMinutes.value));
  const energizer = els.breakEnergizerChoice.value || null;
  start(els.breakStart, () => api.startBreak(shell.code, page.token, minutes, energizer), els.breakError, els.breakEnd);
}

/** Place a late joiner or a lone member where the choice beside the pressed button says. */
function place(event) {
  const button = event.target.closest("button[data-place]");
  if (!button) return;
  const select = button.parentElement.querySelector("select[data-participant]");
  const [target, value] = select.value.split(":");
  const id = button.dataset.place;
  const request = target === "group"
    ? () => api.addToGroup(shell.code, page.token, Number(value), id)
    : () => api.addDuo(shell.code, page.token, [id, value]);
  act(button, request).then(() => els.breakoutHeading.focus());
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
  els.roundNext.addEventListener("click", () => roundStep(els.roundNext, () => api.nextSpeaker(shell.code, page.token)));
  els.roundEnd.addEventListener("click", () => roundStep(els.roundEnd, () => api.endRound(shell.code, page.token)));
  els.messageForm.addEventListener("submit", sendMessage);
  els.messageInput.addEventListener("input", () => renderMessageCounter(els, shell.lang));
  els.breakForm.addEventListener("submit", startBreak);
  els.breakEnergizerChoice.addEventListener("change", render);
  els.breakEnd.addEventListener("click", async () => {
    if (await act(els.breakEnd, () => api.endBreak(shell.code, page.token))) focusWhenShown(els.nextGo);
  });
  els.waitingList.addEventListener("click", place);
  els.groupList.addEventListener("click", place);
  bindSignalClear(els.groupList, () => ({ code: shell.code, token: page.token, onError: (e) => renderError(els.error, errorText(shell.lang, e, "signal")) }));
}

const control = (action, body) => () => api.control(shell.code, page.token, action, body);

/** Close the session for everyone (`erase`: and delete everything of it), from `button`; errors go to `errorEl`. */
async function closeSession(button, erase, errorEl) {
  if (erase) {
    page.settings = settingsOf(shell.state);
    page.erasing = true;
  }
  const ok = await act(button, () => api.closeSession(shell.code, page.token, erase), errorEl);
  if (!erase) return;
  if (!ok) {
    page.erasing = false;
    return;
  }
  // The socket's 4404 may come before or after this answer: either way the page says it is erased.
  if (shell.conn) shell.conn.close();
  shell.state = null;
  shell.end(CloseCode.UNKNOWN_SESSION);
}

/** Keep the closed session's settings for the create page, which the link then opens. */
function rememberSettings() {
  if (page.settings) storage.saveSettings(page.settings);
}

function bindClose() {
  els.closeSession.addEventListener("click", () => toggleConfirm(els.closeSession, els.closeConfirm, true, els.closeNo));
  els.closeNo.addEventListener("click", () => {
    // Opened from the next step at the end: back there; else back to the close button.
    const fromNext = els.nextGo.dataset.step === "end" && !els.nextGo.hidden;
    if (!fromNext) return toggleConfirm(els.closeSession, els.closeConfirm, false, els.closeNo);
    show(els.closeConfirm, false);
    els.nextGo.focus();
  });
  els.closeYes.addEventListener("click", () => {
    show(els.closeConfirm, false);
    closeSession(els.closeYes, false, els.closeError);
  });
  els.closeErase.addEventListener("click", () => closeSession(els.closeErase, true, els.closeError));
  els.closedErase.addEventListener("click", () => toggleConfirm(els.closedErase, els.closedEraseConfirm, true, els.closedEraseNo));
  els.closedEraseNo.addEventListener("click", () => toggleConfirm(els.closedErase, els.closedEraseConfirm, false, els.closedEraseNo));
  els.closedEraseYes.addEventListener("click", () => closeSession(els.closedEraseYes, true, els.closedError));
  els.closedAgain.addEventListener("click", rememberSettings);
  els.erasedAgain.addEventListener("click", rememberSettings);
}

function bindControls() {
  bindMeetingControls();
  bindHostRooms(roomEls, () => ({
    code: shell.code,
    token: page.token,
    lang: shell.lang,
    render,
    errorText: (error) => failureText(error),
    onError: (error) => renderError(roomEls.error, failureText(error)),
    started: () => focusWhenShown(els.pause),
    unlessReading: (go) => unlessReading(asks.breakout, go),
  }));
  els.helpCount.addEventListener("click", goToHelp);
  els.helpBar.addEventListener("click", goToHelp);
  new IntersectionObserver(([entry]) => {
    page.countInView = entry.isIntersecting;
    renderHelpBar();
  }).observe(els.signalCount);
  els.helpSound.checked = !storage.loadHostMuted();
  chime.setMuted(!els.helpSound.checked);
  els.helpSound.addEventListener("change", () => {
    chime.setMuted(!els.helpSound.checked);
    storage.saveHostMuted(!els.helpSound.checked);
  });
  bindAsks();
  bindClose();
  els.start.addEventListener("click", () =>
    unlessReading(asks.breakout, () => start(els.start, () => api.startBreakout(shell.code, page.token), els.startError, els.pause)),
  );
  els.nextGo.addEventListener("click", () => getReady(els.nextGo.dataset.step));
  els.pause.addEventListener("click", () => act(els.pause, control(BreakoutControl.PAUSE)));
  els.resume.addEventListener("click", () => act(els.resume, control(BreakoutControl.RESUME)));
  els.skip.addEventListener("click", () => act(els.skip, control(BreakoutControl.SKIP)));
  els.extend1.addEventListener("click", () =>
    act(els.extend1, control(BreakoutControl.EXTEND, { seconds: EXTEND_DEFAULT_SECONDS })),
  );
  els.extendForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const seconds = Math.round(Number(els.extendSeconds.value));
    const button = els.extendForm.querySelector("button[type=submit]");
    act(button, control(BreakoutControl.EXTEND, { seconds }));
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
    if (await act(els.endYes, control(BreakoutControl.END))) focusWhenShown(els.nextGo);
  });
  els.lockToggle.addEventListener("click", () =>
    act(els.lockToggle, () => api.lockSession(shell.code, page.token, !page.locked), els.lockError),
  );
  els.burstRemove.addEventListener("click", () => {
    const ids = page.burst ? page.burst.participant_ids : [];
    if (ids.length) act(els.burstRemove, () => api.removeParticipants(shell.code, page.token, ids), els.lockError);
  });
  els.burstKeep.addEventListener("click", () => {
    if (page.burst) page.keptBursts.add(page.burst.key);
    render();
  });
  els.copyInvite.addEventListener("click", async () => {
    const ok = await copyText(els.inviteLink.value, els.inviteLink);
    els.copyStatus.textContent = t(shell.lang, ok ? "copy.done" : "copy.failed");
  });
}

/** Open the tool that starts `step`, bring it into view and focus its first control (the kind of round chosen for a check-in or check-out). */
function getReady(step) {
  if (step === "end") {
    toggleConfirm(els.closeSession, els.closeConfirm, true, els.closeNo);
    els.closeConfirm.scrollIntoView({ behavior: REDUCED_MOTION.matches ? "auto" : "smooth", block: "nearest" });
    return;
  }
  const tool = toolOf(els, step);
  if (!tool) return;
  tool.open = true;
  if (tool === els.roundPanel) {
    page.kindTouched = true;
    for (const radio of els.roundForm.elements.kind) radio.checked = radio.value === step;
    render();
  }
  tool.scrollIntoView({ behavior: REDUCED_MOTION.matches ? "auto" : "smooth", block: "start" });
  const first = tool.querySelector("select, input:not([type=radio]), button:not(:disabled)");
  if (first) first.focus({ preventScroll: true });
}

// ---- start --------------------------------------------------------------------------------

function boot() {
  els.inviteCode.textContent = shell.code;
  els.inviteLink.value = `${window.location.origin}/s/${shell.code}`;
  els.inviteQr.src = api.qrUrl(shell.code);
  fillEnergizerChoices(els);
  bindControls();
  // Turned to a narrow width (or back) while something runs: fold (or open) the tools.
  NARROW.addEventListener("change", () => {
    if (page.activity) foldTools(els, page.activity, NARROW.matches);
  });
  shell.start();
  window.addEventListener("hashchange", () => {
    // The full host link pasted into this tab: only the fragment changed, so load anew with it.
    if (window.location.hash.length > 1) window.location.reload();
  });
  page.token = readToken();
  if (!page.token) {
    showView(els, "notoken");
    return;
  }
  renderPresentLink();
  shell.connect(page.token);
}

boot();
