// The host's page /host/{code}#{host_token}: who joined, start a breakout, watch and steer it.

import * as api from "./api.js";
import { msUntilNextTick } from "./clock.js";
import { connect } from "./connection.js";
import { createWakeLock } from "./cues.js";
import { $, announce, codeFromPath, copyText } from "./dom.js";
import { CloseCode } from "./events.js";
import { pickLanguage, t, translate } from "./i18n.js";
import * as storage from "./storage.js";
import { Status, hostModel } from "./view.js";
import {
  SELECTORS,
  renderConnection,
  renderError,
  renderGroups,
  renderHeading,
  renderLanguage,
  renderParticipants,
  renderRunning,
  renderStart,
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
};

const wakeLock = createWakeLock();

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
  render();
}

// ---- rendering --------------------------------------------------------------------------

function render() {
  window.clearTimeout(page.tick);
  if (!page.state || !page.conn) return;
  const model = hostModel(page.state, page.conn.serverNow());
  els.sessionTitle.textContent = model.title || t(page.lang, "app.name");
  renderParticipants(els, page.lang, model);
  renderStart(els, page.lang, model);
  renderHeading(els, page.lang, model);
  renderRunning(els, page.lang, model);
  renderGroups(els, page.lang, model);
  showView(els, "host");
  wakeLock.want(model.busy);
  announceChange(model);
  const b = model.breakout;
  const delay = b && b.status === Status.RUNNING ? msUntilNextTick(b.remainingMs) : 1000;
  page.tick = window.setTimeout(render, delay + 8);
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

async function act(button, request) {
  renderError(els, "");
  button.disabled = true;
  try {
    await request();
  } catch (error) {
    renderError(els, error.status ? t(page.lang, "error.generic", { detail: error.detail }) : t(page.lang, "error.network"));
  } finally {
    button.disabled = false;
    render();
  }
}

const control = (action, body) => () => api.control(page.code, page.token, action, body);

function bindControls() {
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
  bindControls();
  setLanguage(storage.loadLanguage(page.code) || storage.loadLanguage(null) || "nl");
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
