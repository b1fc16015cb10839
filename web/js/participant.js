// The participant's page /s/{code}: name form, agreements, lobby, breakout and done, rounds
// and breaks, kept live over the WebSocket and counted down locally against the estimated
// server clock.

import * as api from "./api.js";
import { msUntilNextTick } from "./clock.js";
import { buzz, createChime } from "./cues.js";
import { show } from "./dom.js";
import { CloseCode, SignalKind, Status } from "./events.js";
import { joinNames, t } from "./i18n.js";
import * as storage from "./storage.js";
import { Screen, announcementText, participantModel, partnersLeftText, speechText } from "./view.js";
import { createVoice } from "./voice.js";
import { renderNow } from "./meeting-ui.js";
import { WHERE_SELECTORS, bindRoomButtons, renderRoomQuestion, renderWhere, roomQuestionFor } from "./rooms-ui.js";
import { createShell, errorText, findElements, renderError } from "./page-ui.js";
import {
  SELECTORS,
  renderAgreements,
  renderAlone,
  renderBreak,
  renderBreakout,
  renderClosed,
  renderDone,
  renderEnded,
  renderJoin,
  renderLeft,
  renderLobby,
  renderGroup,
  renderNameError,
  renderRound,
  renderSignals,
  renderStarting,
  showView,
} from "./participant-ui.js";

const MAX_NAME = 40;
const BACK_NOTE_MS = 15_000;
const COUNTING = Object.freeze([Screen.BREAKOUT, Screen.STARTING, Screen.ROUND, Screen.BREAK]);

const els = findElements(SELECTORS);
const whereEls = findElements(WHERE_SELECTORS);

const page = {
  info: null,
  creds: null,
  lastKey: null,
  lastStatus: null,
  // This device asked to leave (else the host removed it): the left screen says which.
  leaving: false,
  // The phase whose last seconds were already cued (once per phase).
  wrappedUp: null,
  partners: { breakoutId: null, dropped: [], gone: [], back: [], backUntil: 0 },
  // A signal was just sent from this page: its confirmation comes into view beside the buttons.
  revealSignal: false,
};

const shell = createShell({
  els,
  draw,
  onLanguage,
  closed: {
    [CloseCode.BAD_TOKEN]: ended(() => {
      page.creds = null;
      showJoinForm();
    }),
    [CloseCode.REMOVED]: ended(() => {
      page.creds = null;
      renderLeft(els, shell.lang, page.leaving);
      showView(els, "left");
    }),
    [CloseCode.UNKNOWN_SESSION]: ended(() => showView(els, "gone")),
  },
  onDismiss: focusHeading,
});
const render = shell.render;
const chime = createChime();
const voice = createVoice();

// ---- language ---------------------------------------------------------------------------

/** Render what the page names in `lang` beyond its texts: the title and the name form's heading. */
function onLanguage(lang) {
  const title = shell.state ? shell.state.session.title : page.info ? page.info.title : "";
  document.title = title ? t(lang, "participant.pageTitle", { title }) : t(lang, "app.name");
  if (page.info) renderJoin(els, lang, page.info.title);
  if (page.info && page.info.closed && !shell.state) renderClosed(els, lang, page.info.title, false);
  renderVoiceNote(lang);
}

/** Say whether the voice can speak `lang` here: nothing when it can, else why not. */
function renderVoiceNote(lang) {
  const available = voice.available(lang);
  show(els.voiceNote, available !== "ok");
  if (available !== "ok") els.voiceNote.textContent = t(lang, `voice.${available}`);
  els.voice.disabled = available === "unsupported";
}

function sessionLanguage(lang) {
  return storage.loadLanguage(shell.code) || lang;
}

// ---- rendering --------------------------------------------------------------------------

/** Draw the participant's page for `state` at server time `now`; return how long until it must be drawn again. */
function draw(state, now) {
  const lang = shell.lang;
  const model = participantModel(state, now);
  const back = partnersBack(model);
  const roomQuestion = roomQuestionFor(state, model);
  // The agreements box first: a view shown below focuses its heading when it is the screen.
  renderAgreements(els, lang, model);
  switch (roomQuestion ? "rooms" : model.screen) {
    case "rooms":
      renderRoomQuestion(whereEls, lang, roomQuestion);
      showView(els, "rooms");
      break;
    case Screen.AGREEMENTS:
      showView(els, "agreements");
      break;
    case Screen.LOBBY:
    case Screen.LATE:
      renderLobby(els, lang, model);
      showView(els, "lobby");
      break;
    case Screen.STARTING:
      renderStarting(els, lang, model, back);
      showView(els, "starting");
      break;
    case Screen.BREAKOUT:
      renderBreakout(els, lang, model, back);
      showView(els, "breakout");
      break;
    case Screen.ALONE:
      renderAlone(els, lang, model);
      showView(els, "alone");
      break;
    case Screen.DONE:
      renderDone(els, lang, model);
      showView(els, "done");
      break;
    case Screen.ROUND:
      renderRound(els, lang, model);
      showView(els, "round");
      break;
    case Screen.BREAK:
      renderBreak(els, lang, model);
      showView(els, "break");
      break;
    case Screen.CLOSED:
      renderClosed(els, lang, model.title, true);
      showView(els, "closed");
      break;
    default:
      throw new Error(`Unknown screen: ${model.screen}.`);
  }
  // Closed: nothing is left to switch or leave.
  show(els.actions, model.screen !== Screen.CLOSED);
  // The round and break screens name what is happening in their heading already.
  show(els.nowChip, ![Screen.AGREEMENTS, Screen.ROUND, Screen.BREAK, Screen.CLOSED].includes(model.screen));
  renderNow(els.nowChip, lang, model.activity);
  renderGroup(els, lang, model);
  renderWhere(whereEls, lang, state, model);
  renderSignals(els, lang, model);
  revealSignal();
  shell.renderMessage();
  cueChanges(model);
  shell.wakeLock.want(COUNTING.includes(model.screen));
  return tickMs(model);
}

/** After a press of "done" or "help", scroll just enough that its confirmation shows beside the buttons. */
function revealSignal() {
  if (!page.revealSignal || els.signals.hidden || !els.signalStatus.textContent) return;
  page.revealSignal = false;
  els.signalStatus.scrollIntoView({ block: "nearest" });
}

/** Return the partners who came back in the last few seconds; announce drop-outs and returns. */
function partnersBack(model) {
  const known = page.partners;
  if (!model.dropped) return [];
  const now = Date.now();
  if (known.breakoutId !== model.breakoutId) {
    page.partners = { breakoutId: model.breakoutId, dropped: model.dropped, gone: model.gone, back: [], backUntil: 0 };
    return [];
  }
  // Someone who went offline and then left the session has not come back.
  const returned = known.dropped.filter((name) => !model.dropped.includes(name) && !model.gone.includes(name));
  const left = model.dropped.filter((name) => !known.dropped.includes(name));
  const gone = model.gone.filter((name) => !known.gone.includes(name));
  // Alone, the screen itself says who left (announced as a new screen).
  if (gone.length > 0 && model.screen !== Screen.ALONE) {
    const asDuo = model.asDuo ? ` ${t(shell.lang, "breakout.goOnAsDuo")}` : "";
    shell.announce(`${partnersLeftText(shell.lang, gone)}${asDuo}`);
  }
  known.gone = model.gone;
  if (returned.length > 0) {
    known.back = returned;
    known.backUntil = now + BACK_NOTE_MS;
    shell.announce(t(shell.lang, "breakout.partnerBack", { names: joinNames(shell.lang, returned) }));
  }
  if (left.length > 0) {
    const key = left.length > 1 ? "breakout.partnersDropped" : "breakout.partnerDropped";
    shell.announce(t(shell.lang, key, { names: joinNames(shell.lang, left) }));
  }
  known.dropped = model.dropped;
  return now < known.backUntil ? known.back : [];
}

function cueChanges(model) {
  cueWrapUp(model, page.lastKey === null);
  const previous = page.lastKey;
  const previousStatus = page.lastStatus;
  page.lastKey = model.key;
  page.lastStatus = model.status || null;
  if (previous === null) return; // first render after a load: nothing changed for the user
  if (previous !== model.key) {
    const myTurn = model.screen === Screen.ROUND && model.round.position === "speaker";
    if (model.screen === Screen.BREAKOUT || model.screen === Screen.DONE || myTurn) {
      chime.play(model.screen === Screen.DONE);
      buzz(model.screen === Screen.DONE ? [200, 100, 200, 100, 200] : [120, 80, 120]);
    }
    shell.announce(announcementText(shell.lang, model));
    speak(model);
  } else if (model.screen === Screen.BREAKOUT && previousStatus !== model.status) {
    shell.announce(t(shell.lang, model.status === Status.PAUSED ? "announce.paused" : "announce.resumed"));
  }
}

/** Cue a phase's last seconds once: a soft chime and "wrap up" for the screen reader (not after a reload in them). */
function cueWrapUp(model, fresh) {
  if (model.screen !== Screen.BREAKOUT || !model.wrapUp || model.status !== Status.RUNNING) return;
  if (page.wrappedUp === model.key) return;
  page.wrappedUp = model.key;
  if (fresh) return;
  chime.soft();
  shell.announce(t(shell.lang, "breakout.wrapUp"));
}

/** Say the new task aloud when the voice is on. */
function speak(model) {
  if (model.screen === Screen.BREAKOUT) voice.say(speechText(shell.lang, model.phase), shell.lang);
  else if (model.screen === Screen.DONE) voice.say(t(shell.lang, "speech.done"), shell.lang);
}

/** Return the countdown this screen shows (ms), or null when it shows none. */
function countdownMs(model) {
  switch (model.screen) {
    case Screen.BREAKOUT:
      return model.status === Status.RUNNING ? model.remainingMs : null;
    case Screen.STARTING:
      return model.status === Status.RUNNING ? model.startsInMs : null;
    case Screen.DONE:
      return model.waitingMs || null;
    case Screen.ALONE:
      return model.status === Status.RUNNING ? model.waitingMs : null;
    case Screen.ROUND:
      return model.round.remainingMs || null;
    case Screen.BREAK:
      return model.break.remainingMs;
    default:
      return null;
  }
}

/** Return how long until this screen must be drawn again: its countdown's next second, else a while. */
function tickMs(model) {
  const counting = countdownMs(model);
  if (counting !== null) return msUntilNextTick(counting);
  return [Screen.LOBBY, Screen.LATE, Screen.CLOSED].includes(model.screen) ? 5000 : 1000;
}

// ---- connection -------------------------------------------------------------------------

/** Return what the page does after a final close code: clear the screen, forget the credentials, then `next`. */
function ended(next) {
  return () => {
    shell.state = null;
    page.lastKey = null;
    page.partners = { breakoutId: null, dropped: [], gone: [], back: [], backUntil: 0 };
    // Nothing of the session stays: no group badge, no done/help buttons, no old status.
    renderEnded(els, shell.lang);
    show(els.actions, false);
    show(els.nowChip, false);
    show(els.agreementsBox, false);
    shell.renderMessage();
    storage.forgetParticipant(shell.code);
    next();
  };
}

function startConnection() {
  renderError(els.error, "");
  shell.connect(page.creds.token);
}

// ---- joining and leaving ----------------------------------------------------------------

async function loadInfo() {
  try {
    page.info = await api.getSession(shell.code);
  } catch (error) {
    if (error.status === 404) {
      showView(els, "gone");
      return false;
    }
    renderError(els.error, t(shell.lang, "error.network"));
    window.setTimeout(boot, 3000);
    return false;
  }
  renderError(els.error, "");
  shell.setLanguage(sessionLanguage(page.info.language));
  return true;
}

async function showJoinForm() {
  if (!page.info && !(await loadInfo())) return;
  if (page.info.closed) return showClosed();
  renderJoin(els, shell.lang, page.info.title);
  if (!els.name.value) els.name.value = storage.loadName();
  showView(els, "join");
  els.name.focus();
}

/** The session closed before this device joined: say so, with its title, instead of the name form. */
function showClosed() {
  renderClosed(els, shell.lang, page.info.title, false);
  showView(els, "closed");
}

async function join(event) {
  event.preventDefault();
  const name = els.name.value.trim();
  if (!name) return renderNameError(els, t(shell.lang, "join.nameEmpty"));
  if (name.length > MAX_NAME) return renderNameError(els, t(shell.lang, "join.nameTooLong"));
  renderNameError(els, "");
  const button = els.joinForm.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const joined = await api.joinSession(shell.code, name);
    page.leaving = false;
    page.creds = { id: joined.id, token: joined.token, name };
    storage.saveParticipant(shell.code, page.creds);
    storage.saveName(name);
    showView(els, "loading");
    startConnection();
  } catch (error) {
    if (error.status === 404) showView(els, "gone");
    else if (error.status === 410) {
      page.info = { ...page.info, closed: true };
      showClosed();
    } else renderNameError(els, errorText(shell.lang, error, "join"));
  } finally {
    button.disabled = false;
  }
}

async function leave() {
  const creds = page.creds;
  page.leaving = true;
  try {
    if (creds) await api.leaveSession(shell.code, creds.id, creds.token);
  } catch (error) {
    if (error.status === 0) {
      page.leaving = false;
      renderError(els.error, t(shell.lang, "error.network"));
      return;
    }
    // 401/403/404: the token no longer works anyway; forget it.
  }
  if (shell.conn) shell.conn.close();
  shell.end(CloseCode.REMOVED);
}

async function agree() {
  const creds = page.creds;
  if (!creds) return;
  renderError(els.error, "");
  els.agree.disabled = true;
  try {
    await api.agree(shell.code, creds.id, creds.token);
    // The server's next state says so too; show the lobby now rather than a moment later.
    if (shell.state) shell.state = { ...shell.state, me: { ...shell.state.me, agreed: true } };
    render();
  } catch (error) {
    renderError(els.error, errorText(shell.lang, error, "agree"));
  } finally {
    els.agree.disabled = false;
  }
}

/** Tell the host that our group is done, or needs help (`kind`); the next state shows it. */
async function raiseSignal(kind) {
  const creds = page.creds;
  if (!creds) return;
  renderError(els.error, "");
  try {
    await api.raiseSignal(shell.code, creds.id, creds.token, kind);
    page.revealSignal = true;
    render();
  } catch (error) {
    renderError(els.error, errorText(shell.lang, error, "signal"));
  }
}

/** The banner is gone: put focus somewhere sensible instead of on nothing. */
function focusHeading() {
  const heading = document.querySelector("main section:not([hidden]) h1");
  if (heading) heading.focus({ preventScroll: true });
}

function bindControls() {
  els.agree.addEventListener("click", agree);
  els.joinForm.addEventListener("submit", join);
  els.name.addEventListener("input", () => renderNameError(els, ""));
  els.sound.checked = !storage.loadMuted();
  chime.setMuted(!els.sound.checked);
  els.sound.addEventListener("change", () => {
    chime.setMuted(!els.sound.checked);
    storage.saveMuted(!els.sound.checked);
  });
  els.voice.checked = storage.loadVoice();
  voice.setOn(els.voice.checked);
  els.voice.addEventListener("change", () => {
    voice.setOn(els.voice.checked);
    storage.saveVoice(els.voice.checked);
  });
  voice.onVoices(() => renderVoiceNote(shell.lang));
  els.signalDone.addEventListener("click", () => raiseSignal(SignalKind.DONE));
  els.signalHelp.addEventListener("click", () => raiseSignal(SignalKind.HELP));
  els.leave.addEventListener("click", () => {
    show(els.leaveConfirm, true);
    show(els.leave, false);
    els.leaveNo.focus();
  });
  els.leaveNo.addEventListener("click", () => {
    show(els.leaveConfirm, false);
    show(els.leave, true);
    els.leave.focus();
  });
  els.leaveYes.addEventListener("click", async () => {
    show(els.leaveConfirm, false);
    show(els.leave, true);
    await leave();
  });
  els.rejoin.addEventListener("click", () => showJoinForm());
  bindRoomButtons(whereEls, () => ({
    code: shell.code,
    id: page.creds && page.creds.id,
    token: page.creds && page.creds.token,
    onError: (error) => renderError(els.error, errorText(shell.lang, error)),
  }));
}

// ---- start --------------------------------------------------------------------------------

async function boot() {
  page.creds = storage.loadParticipant(shell.code);
  if (page.creds) {
    startConnection();
    return;
  }
  await showJoinForm();
}

bindControls();
shell.start();
boot();
