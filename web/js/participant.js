// The participant's page /s/{code}: name form, lobby, breakout and done, kept live over the
// WebSocket and counted down locally against the estimated server clock.

import * as api from "./api.js";
import { msUntilNextTick } from "./clock.js";
import { ConnectionStatus, connect } from "./connection.js";
import { buzz, createChime, createWakeLock } from "./cues.js";
import { $, announce, codeFromPath, show } from "./dom.js";
import { CloseCode } from "./events.js";
import { pickLanguage, t, translate } from "./i18n.js";
import * as storage from "./storage.js";
import { Screen, Status, announcementText, participantModel } from "./view.js";
import {
  SELECTORS,
  renderBreakout,
  renderConnection,
  renderDone,
  renderError,
  renderJoin,
  renderLanguage,
  renderLobby,
  renderNameError,
  showView,
} from "./participant-ui.js";

const MAX_NAME = 40;

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
};

const chime = createChime();
const wakeLock = createWakeLock();

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
  switch (model.screen) {
    case Screen.LOBBY:
    case Screen.LATE:
      renderLobby(els, page.lang, model);
      showView(els, "lobby");
      break;
    case Screen.BREAKOUT:
      renderBreakout(els, page.lang, model);
      showView(els, "breakout");
      break;
    case Screen.DONE:
      renderDone(els, page.lang, model);
      showView(els, "done");
      break;
    default:
      throw new Error(`Unknown screen: ${model.screen}.`);
  }
  show(els.actions, true);
  cueChanges(model);
  wakeLock.want(model.screen === Screen.BREAKOUT);
  scheduleTick(model);
}

function cueChanges(model) {
  const previous = page.lastKey;
  const previousStatus = page.lastStatus;
  page.lastKey = model.key;
  page.lastStatus = model.status || null;
  if (previous === null) return; // first render after a load: nothing changed for the user
  if (previous !== model.key) {
    if (model.screen === Screen.BREAKOUT || model.screen === Screen.DONE) {
      chime.play(model.screen === Screen.DONE);
      buzz(model.screen === Screen.DONE ? [200, 100, 200, 100, 200] : [120, 80, 120]);
    }
    announce(els.announcer, announcementText(page.lang, model));
  } else if (model.screen === Screen.BREAKOUT && previousStatus !== model.status) {
    announce(els.announcer, t(page.lang, model.status === Status.PAUSED ? "announce.paused" : "announce.resumed"));
  }
}

function scheduleTick(model) {
  let delay = 1000;
  if (model.screen === Screen.BREAKOUT && model.status === Status.RUNNING) delay = msUntilNextTick(model.remainingMs);
  else if (model.screen === Screen.DONE && model.waitingMs) delay = msUntilNextTick(model.waitingMs);
  else if (model.screen === Screen.LOBBY || model.screen === Screen.LATE) delay = 5000;
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

function bindControls() {
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
setLanguage(storage.loadLanguage(page.code) || storage.loadLanguage(null) || "nl");
boot();
