// The presenter's screen /present/{code}#{host_token}: what the host shares in the video call —
// the way in, who speaks, the breakout's clock (the same second as every phone), a break and
// the end. No controls: the host runs everything from the host page.

import * as api from "./api.js";
import { CloseCode } from "./events.js";
import { t } from "./i18n.js";
import { renderNow } from "./meeting-ui.js";
import { createShell, findElements, showView } from "./page-ui.js";
import { acceptHostToken, readHostToken, refuseHostToken } from "./host-token.js";
import * as storage from "./storage.js";
import { hostModel, hostTickMs, messageMode } from "./view.js";
import {
  SELECTORS,
  presenterScreen,
  renderBreak,
  renderBreakout,
  renderClosed,
  renderEnd,
  renderLobby,
  renderRound,
} from "./present-ui.js";

const els = findElements(SELECTORS, ["steps"]);

const page = {
  candidate: null,
  // When this screen first saw each host message, the activity then: a banner folds once it changes.
  messageSeen: new Map(),
};

const shell = createShell({
  els,
  draw,
  onLanguage,
  closed: {
    [CloseCode.BAD_TOKEN]: refused,
    [CloseCode.REMOVED]: refused,
  },
});

const joinUrl = `${window.location.origin}/s/${shell.code}`;

function onLanguage(lang) {
  const title = shell.state ? shell.state.session.title : "";
  document.title = t(lang, "present.pageTitle", { title: title || shell.code });
  els.qr.alt = t(lang, "present.qrAlt", { url: joinUrl });
}

/** Draw the screen for `state` at server time `now`; return how long until a countdown on it shows a new second. */
function draw(state, now) {
  if (!state.me.host) {
    // Someone else's token (a participant's): refused like a bad one.
    shell.state = null;
    shell.conn.close();
    shell.end(CloseCode.BAD_TOKEN);
    return 1000;
  }
  if (page.candidate) {
    acceptHostToken(shell.code, page.candidate);
    page.candidate = null;
  }
  const lang = shell.lang;
  const model = hostModel(state, now);
  const round = model.meeting.round;
  setTitle(lang, model);
  renderNow(els.now, lang, model.activity);
  const closed = Boolean(state.session.closed);
  els.now.hidden = closed; // nothing is on any more
  const screen = presenterScreen(model.activity, state.meeting.last_activity, closed);
  // Show, then render: a list fits itself to the room its view has on the screen.
  showView(els, screen);
  if (screen === "lobby") renderLobby(els, lang, model, joinUrl);
  else if (screen === "round") renderRound(els, lang, round);
  else if (screen === "breakout") renderBreakout(els, lang, model);
  else if (screen === "break") renderBreak(els, lang, model.meeting.break);
  else if (screen === "closed") renderClosed(els, model.title);
  else renderEnd(els, lang, state.meeting.last_question);
  renderMessage(model, now);
  shell.wakeLock.want(!closed);
  return closed ? 60_000 : hostTickMs(model);
}

function setTitle(lang, model) {
  els.title.textContent = model.title;
  document.title = t(lang, "present.pageTitle", { title: model.title || shell.code });
}

/** Show the host's newest message while it is new (a minute, and the same activity); a shared screen then lets it go. */
function renderMessage(model, now) {
  const messages = model.messages;
  const newest = messages.length ? messages[messages.length - 1] : null;
  if (newest && !page.messageSeen.has(newest.id)) page.messageSeen.set(newest.id, model.activity);
  shell.renderMessage();
  const seenDuring = newest ? page.messageSeen.get(newest.id) : undefined;
  if (messageMode(newest, now, model.activity, seenDuring) !== "banner") els.banner.hidden = true;
}

/** The server refused the token: go on with the one this device keeps, if the link brought another; else say the link is incomplete. */
function refused() {
  const kept = refuseHostToken(shell.code, page.candidate);
  const tried = page.candidate;
  page.candidate = null;
  if (tried && kept) {
    shell.connect(kept);
    return;
  }
  showView(els, "notoken");
}

function boot() {
  els.code.textContent = shell.code;
  els.qr.src = api.qrUrl(shell.code);
  shell.start();
  // The host switches the language on the host page of this device: the screen follows.
  storage.onLanguageChange(shell.code, (lang) => shell.setLanguage(lang));
  const { token, candidate } = readHostToken(shell.code);
  page.candidate = candidate;
  if (!token) {
    showView(els, "notoken");
    return;
  }
  shell.wakeLock.want(true);
  shell.connect(token);
}

boot();
