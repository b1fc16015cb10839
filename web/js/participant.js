// The participant's page /s/{code}: name form, agreements, lobby, breakout and done, rounds
// and breaks, kept live over the WebSocket and counted down locally against the estimated
// server clock.

import * as api from "./api.js";
import { msUntilNextTick } from "./clock.js";
import { ConnectionStatus, connect } from "./connection.js";
import { buzz, createChime, createWakeLock } from "./cues.js";
import { $, announce, codeFromPath, show } from "./dom.js";
import { CloseCode, Status } from "./events.js";
import { DEFAULT_LANGUAGE, joinNames, pickLanguage, t, translate } from "./i18n.js";
import * as storage from "./storage.js";
import { Screen, announcementText, bannerMessage, participantModel } from "./view.js";
import { messageAnnouncer, renderBanner, renderNow } from "./meeting-ui.js";
import {
  SELECTORS,
  renderAgreements,
  renderBreak,
  renderBreakout,
  renderConnection,
  renderDone,
  renderError,
  renderJoin,
  renderLanguage,
  renderLobby,
  renderNameError,
  renderRound,
  renderStarting,
  showView,
} from "./participant-ui.js";

const MAX_NAME = 40;
const BACK_NOTE_MS = 15_000;
const COUNTING = Object.freeze([Screen.BREAKOUT, Screen.STARTING, Screen.ROUND, Screen.BREAK]);

const els = Object.fromEntries(
  Object.entries(SELECTORS).map(([key, selector]) => {
    if (key === "views") return [key, Object.fromEntries(Object.entries(selector).map(([k, s]) => [k, $(s)]))];
    if (key === "langButtons") return [key, [...document.querySelectorAll(selector)]];
    return [key, $(selector)];
  }),
);

const page = {
  code: codeFromPath(window.location.pathname),
  lang: null,
  info: null,
  creds: null,
  state: null,
  conn: null,
  connStatus: null,
  lastKey: null,
  lastStatus: null,
  tick: null,
  partners: { breakoutId: null, dropped: [], back: [], backUntil: 0 },
};

const chime = createChime();
const wakeLock = createWakeLock();
const announceMessage = messageAnnouncer(els.messageAnnouncer);

// ---- language ---------------------------------------------------------------------------

function setLanguage(lang, remember = false) {
  page.lang = pickLanguage(lang);
  if (remember) storage.saveLanguage(page.code, page.lang);
  translate(document, page.lang);
  renderLanguage(els, page.lang);
  const title = page.state ? page.state.session.title : page.info ? page.info.title : "";
  document.title = title ? t(page.lang, "participant.pageTitle", { title }) : t(page.lang, "app.name");
  if (page.info) renderJoin(els, page.lang, page.info.title);
  renderConnection(els, page.lang, page.connStatus);
  render();
}

function sessionLanguage(lang) {
  return storage.loadLanguage(page.code) || lang;
}

// ---- rendering --------------------------------------------------------------------------

function render() {
  window.clearTimeout(page.tick);
  if (!page.state || !page.conn) return;
  const model = participantModel(page.state, page.conn.serverNow());
  const back = partnersBack(model);
  switch (model.screen) {
    case Screen.AGREEMENTS:
      renderAgreements(els, model);
      showView(els, "agreements");
      break;
    case Screen.LOBBY:
    case Screen.LATE:
      renderLobby(els, page.lang, model);
      showView(els, "lobby");
      break;
    case Screen.STARTING:
      renderStarting(els, page.lang, model, back);
      showView(els, "starting");
      break;
    case Screen.BREAKOUT:
      renderBreakout(els, page.lang, model, back);
      showView(els, "breakout");
      break;
    case Screen.DONE:
      renderDone(els, page.lang, model);
      showView(els, "done");
      break;
    case Screen.ROUND:
      renderRound(els, page.lang, model);
      showView(els, "round");
      break;
    case Screen.BREAK:
      renderBreak(els, page.lang, model);
      showView(els, "break");
      break;
    default:
      throw new Error(`Unknown screen: ${model.screen}.`);
  }
  show(els.actions, true);
  // The round and break screens name what is happening in their heading already.
  show(els.nowChip, ![Screen.AGREEMENTS, Screen.ROUND, Screen.BREAK].includes(model.screen));
  renderNow(els.nowChip, page.lang, model.activity);
  renderMessage();
  cueChanges(model);
  wakeLock.want(COUNTING.includes(model.screen));
  scheduleTick(model);
}

/** Show the newest host message unless dismissed here, and announce it once. */
function renderMessage() {
  const message = page.state ? bannerMessage(page.state.meeting, storage.loadDismissed(page.code)) : null;
  renderBanner(els, message);
  announceMessage(page.lang, message);
}

/** Return the partners who came back in the last few seconds; announce drop-outs and returns. */
function partnersBack(model) {
  const known = page.partners;
  if (!model.dropped) return [];
  const now = Date.now();
  if (known.breakoutId !== model.breakoutId) {
    page.partners = { breakoutId: model.breakoutId, dropped: model.dropped, back: [], backUntil: 0 };
    return [];
  }
  const returned = known.dropped.filter((name) => !model.dropped.includes(name));
  const left = model.dropped.filter((name) => !known.dropped.includes(name));
  if (returned.length > 0) {
    known.back = returned;
    known.backUntil = now + BACK_NOTE_MS;
    announce(els.announcer, t(page.lang, "breakout.partnerBack", { names: joinNames(page.lang, returned) }));
  }
  if (left.length > 0) {
    const key = left.length > 1 ? "breakout.partnersDropped" : "breakout.partnerDropped";
    announce(els.announcer, t(page.lang, key, { names: joinNames(page.lang, left) }));
  }
  known.dropped = model.dropped;
  return now < known.backUntil ? known.back : [];
}

function cueChanges(model) {
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
    announce(els.announcer, announcementText(page.lang, model));
  } else if (model.screen === Screen.BREAKOUT && previousStatus !== model.status) {
    announce(els.announcer, t(page.lang, model.status === Status.PAUSED ? "announce.paused" : "announce.resumed"));
  }
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
    case Screen.ROUND:
      return model.round.remainingMs || null;
    case Screen.BREAK:
      return model.pause.remainingMs;
    default:
      return null;
  }
}

function scheduleTick(model) {
  const counting = countdownMs(model);
  let delay = counting === null ? 1000 : msUntilNextTick(counting);
  if (counting === null && (model.screen === Screen.LOBBY || model.screen === Screen.LATE)) delay = 5000;
  // A few ms past the second boundary, so the rounded-up countdown shows the new second.
  page.tick = window.setTimeout(render, delay + 8);
}

// ---- connection -------------------------------------------------------------------------

function onState(state) {
  const first = page.state === null;
  page.state = state;
  if (first && !storage.loadLanguage(page.code) && state.session.language !== page.lang) {
    setLanguage(state.session.language);
    return;
  }
  if (first) setLanguage(page.lang);
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
  page.state = null;
  page.lastKey = null;
  show(els.actions, false);
  show(els.nowChip, false);
  renderBanner(els, null);
  switch (code) {
    case CloseCode.BAD_TOKEN:
      storage.forgetParticipant(page.code);
      page.creds = null;
      showJoinForm();
      break;
    case CloseCode.REMOVED:
      storage.forgetParticipant(page.code);
      page.creds = null;
      showView(els, "left");
      break;
    case CloseCode.UNKNOWN_SESSION:
      storage.forgetParticipant(page.code);
      showView(els, "gone");
      break;
    default:
      throw new Error(`Unexpected close code: ${code}.`);
  }
}

function startConnection() {
  renderError(els, "");
  page.conn = connect({
    code: page.code,
    token: page.creds.token,
    onState,
    onStatus,
    onEnd,
  });
}

// ---- joining and leaving ----------------------------------------------------------------

async function loadInfo() {
  try {
    page.info = await api.getSession(page.code);
  } catch (error) {
    if (error.status === 404) {
      showView(els, "gone");
      return false;
    }
    renderError(els, t(page.lang, "error.network"));
    window.setTimeout(boot, 3000);
    return false;
  }
  renderError(els, "");
  setLanguage(sessionLanguage(page.info.language));
  return true;
}

async function showJoinForm() {
  if (!page.info && !(await loadInfo())) return;
  renderJoin(els, page.lang, page.info.title);
  if (!els.name.value) els.name.value = storage.loadName();
  showView(els, "join");
  els.name.focus();
}

async function join(event) {
  event.preventDefault();
  const name = els.name.value.trim();
  if (!name) return renderNameError(els, t(page.lang, "join.nameEmpty"));
  if (name.length > MAX_NAME) return renderNameError(els, t(page.lang, "join.nameTooLong"));
  renderNameError(els, "");
  const button = els.joinForm.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const joined = await api.joinSession(page.code, name);
    page.creds = { id: joined.id, token: joined.token, name };
    storage.saveParticipant(page.code, page.creds);
    storage.saveName(name);
    showView(els, "loading");
    startConnection();
  } catch (error) {
    if (error.status === 404) showView(els, "gone");
    else if (error.status === 422) renderNameError(els, error.detail);
    else renderNameError(els, error.status ? t(page.lang, "error.generic", { detail: error.detail }) : t(page.lang, "error.network"));
  } finally {
    button.disabled = false;
  }
}

async function leave() {
  const creds = page.creds;
  try {
    if (creds) await api.leaveSession(page.code, creds.id, creds.token);
  } catch (error) {
    if (error.status === 0) {
      renderError(els, t(page.lang, "error.network"));
      return;
    }
    // 401/403/404: the token no longer works anyway; forget it.
  }
  if (page.conn) page.conn.close();
  onEnd(CloseCode.REMOVED);
}

async function agree() {
  const creds = page.creds;
  if (!creds) return;
  renderError(els, "");
  els.agree.disabled = true;
  try {
    await api.agree(page.code, creds.id, creds.token);
    // The server's next state says so too; show the lobby now rather than a moment later.
    if (page.state) page.state = { ...page.state, me: { ...page.state.me, agreed: true } };
    render();
  } catch (error) {
    renderError(els, error.status ? t(page.lang, "error.generic", { detail: error.detail }) : t(page.lang, "error.network"));
  } finally {
    els.agree.disabled = false;
  }
}

function dismissMessage() {
  const id = Number(els.banner.dataset.id);
  storage.dismissMessage(page.code, id);
  renderMessage();
  // The banner is gone: put focus somewhere sensible instead of on nothing.
  const heading = document.querySelector("main section:not([hidden]) h1");
  if (heading) heading.focus({ preventScroll: true });
}

function bindControls() {
  els.agree.addEventListener("click", agree);
  els.bannerDismiss.addEventListener("click", dismissMessage);
  for (const button of els.langButtons) {
    button.addEventListener("click", () => setLanguage(button.dataset.lang, true));
  }
  els.joinForm.addEventListener("submit", join);
  els.name.addEventListener("input", () => renderNameError(els, ""));
  els.sound.checked = !storage.loadMuted();
  chime.setMuted(!els.sound.checked);
  els.sound.addEventListener("change", () => {
    chime.setMuted(!els.sound.checked);
    storage.saveMuted(!els.sound.checked);
  });
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
}

// ---- start --------------------------------------------------------------------------------

async function boot() {
  page.creds = storage.loadParticipant(page.code);
  if (page.creds) {
    startConnection();
    return;
  }
  await showJoinForm();
}

els.codeLabel.textContent = page.code;
bindControls();
setLanguage(storage.loadLanguage(page.code) || storage.loadLanguage(null) || DEFAULT_LANGUAGE);
boot();
