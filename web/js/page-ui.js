// The shell every live page shares (participant, host, and any later view): its elements,
// the language switch, the connection's state and end, the render loop, the host's message
// banner and its announcement, error texts, and one way to redraw only what changed.

import { ConnectionStatus, connect } from "./connection.js";
import { createWakeLock } from "./cues.js";
import { $, announce, codeFromPath, setText, show } from "./dom.js";
import { CloseCode } from "./events.js";
import { DEFAULT_LANGUAGE, hasText, pickLanguage, t, translate } from "./i18n.js";
import * as storage from "./storage.js";
import { activityAt, bannerMessage, messageIsCurrent } from "./view.js";

/** The elements every live page has: header, connection state, message banner, live regions. */
export const SHELL_SELECTORS = Object.freeze({
  body: "body",
  codeLabel: "#code-label",
  langButtons: ".lang-button",
  connStatus: "#conn-status",
  announcer: "#announcer",
  banner: "#message-banner",
  bannerText: "#message-text",
  bannerDismiss: "#message-dismiss",
  messageAnnouncer: "#message-announcer",
});

/** The views every live page has: loading, and the one for a session that does not exist. */
export const SHELL_VIEWS = Object.freeze({
  loading: "#view-loading",
  gone: "#view-gone",
});

/** Return the elements `selectors` names, nested objects alike; the keys in `lists` and `langButtons` get every match. Raises Error when one is missing. */
export function findElements(selectors, lists = []) {
  const many = new Set(["langButtons", ...lists]);
  return Object.fromEntries(
    Object.entries(selectors).map(([key, selector]) => {
      if (typeof selector === "object") return [key, findElements(selector, lists)];
      if (many.has(key)) return [key, [...document.querySelectorAll(selector)]];
      return [key, $(selector)];
    }),
  );
}

const drawn = new WeakMap();

/** Return true (and remember it) when `data` differs from what `el` was last drawn from; false when drawing again would change nothing. */
export function changed(el, data) {
  const signature = JSON.stringify(data);
  if (drawn.get(el) === signature) return false;
  drawn.set(el, signature);
  return true;
}

/** Show the view named `name` (a key of `els.views`), hide the others and name it on the body. */
export function showView(els, name) {
  for (const [key, el] of Object.entries(els.views)) show(el, key === name);
  els.body.dataset.screen = name;
}

/** Show the connection's state ("reconnecting…") or nothing while all is well. */
function renderConnection(els, lang, status) {
  const key = { [ConnectionStatus.RECONNECTING]: "conn.reconnecting", [ConnectionStatus.OFFLINE]: "conn.offline" }[status];
  show(els.connStatus, Boolean(key));
  if (key) setText(els.connStatus, t(lang, key));
}

/** Mark the language buttons so the current one is pressed. */
export function renderLanguage(els, lang) {
  for (const button of els.langButtons) button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
}

/** Show `message` in the error element `el`, or hide it when there is none. */
export function renderError(el, message) {
  show(el, Boolean(message));
  setText(el, message || "");
}

/** Show `message` under the form field `input` in `el` and mark the field invalid, or clear both. */
export function renderFieldError(input, el, message) {
  renderError(el, message);
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

/**
 * Return what a failed API call (an ApiError) tells the person, in the page's language: by
 * what was attempted (`action`: "join", "signal", …) and the answer's status, else by the
 * status alone, else in general; that Duo cannot be reached when there was no answer. The
 * server's `detail` (English, for developers) is never shown.
 */
export function errorText(lang, error, action = null) {
  if (!error.status) return t(lang, "error.network");
  const status = error.status >= 500 ? "5xx" : String(error.status);
  const key = [action && `error.${action}.${status}`, `error.${status}`].find((k) => k && hasText(lang, k));
  return t(lang, key || "error.generic");
}

/** Show the host's newest message (or hide the banner). The text goes in as text, never as markup. */
function renderBanner(els, message) {
  show(els.banner, Boolean(message));
  if (!message) return;
  els.banner.dataset.id = String(message.id);
  setText(els.bannerText, message.text);
}

/**
 * Return the shell of the live page of the session its address names, with elements `els`.
 *
 * The page draws with `draw(state, serverNow)`, which returns how long until it must draw
 * again (ms); `onLanguage(lang)` renders what the page names in the language beyond its
 * texts; `closed` maps a final close code to what the page does then (a session that does
 * not exist shows the "gone" view unless the page says otherwise); `onDismiss()` runs after
 * the host's message was dismissed. The shell's `code`, `lang`, `state` and `conn` are the page's.
 */
export function createShell({ els, draw, onLanguage = () => {}, closed = {}, onDismiss = () => {} }) {
  const code = codeFromPath(window.location.pathname);
  const announceMessage = messageAnnouncer(els.messageAnnouncer);
  // The activity when this page first saw each host message: it fades once that activity is over.
  const messageSeen = new Map();
  const ends = { [CloseCode.UNKNOWN_SESSION]: () => showView(els, "gone"), ...closed };

  const shell = {
    code,
    lang: DEFAULT_LANGUAGE,
    state: null,
    conn: null,
    connStatus: null,
    tick: null,
    wakeLock: createWakeLock(),

    /** Switch the page to `lang` (remembered for this session when the person chose it) and draw it anew. */
    setLanguage(lang, remember = false) {
      shell.lang = pickLanguage(lang);
      if (remember) storage.saveLanguage(code, shell.lang);
      translate(document, shell.lang);
      renderLanguage(els, shell.lang);
      renderConnection(els, shell.lang, shell.connStatus);
      onLanguage(shell.lang);
      shell.render();
    },

    /** Start with the language remembered for this session, else for this device, else the default. */
    start() {
      shell.setLanguage(storage.loadLanguage(code) || storage.loadLanguage(null) || DEFAULT_LANGUAGE);
    },

    /** Draw the page for the newest state now, and again when `draw` says (a few ms past it, so a rounded-up countdown shows the new second). */
    render() {
      window.clearTimeout(shell.tick);
      if (!shell.state || !shell.conn) return;
      const delay = draw(shell.state, shell.conn.serverNow());
      shell.tick = window.setTimeout(shell.render, delay + 8);
    },

    /** Connect with `token` and keep connected; the first state sets the session's language unless one was chosen here. */
    connect(token) {
      shell.conn = connect({
        code,
        token,
        onState(state) {
          const first = shell.state === null;
          shell.state = state;
          if (first) shell.setLanguage(storage.loadLanguage(code) || state.session.language);
          else shell.render();
        },
        onStatus(status) {
          shell.connStatus = status;
          renderConnection(els, shell.lang, status);
        },
        onEnd: shell.end,
      });
    },

    /** Stop drawing and holding the screen, and do what the page does after the final close code `closeCode`. Raises Error for a code no page expects. */
    end(closeCode) {
      window.clearTimeout(shell.tick);
      shell.wakeLock.want(false);
      shell.conn = null;
      const then = ends[closeCode];
      if (!then) throw new Error(`Unexpected close code: ${closeCode}.`);
      then();
    },

    /** Put `text` in the polite live region. */
    announce(text) {
      announce(els.announcer, text);
    },

    /** Show the newest host message unless dismissed on this device, its activity is over or the session is closed, and announce it once. */
    renderMessage() {
      const state = shell.state;
      // A closed session shows no message: its screens end calmly.
      const open = state && !state.session.closed;
      let message = open ? bannerMessage(state.meeting, storage.loadDismissed(code)) : null;
      if (message && shell.conn) {
        const activity = activityAt(state, shell.conn.serverNow());
        if (!messageSeen.has(message.id)) messageSeen.set(message.id, activity);
        if (!messageIsCurrent(message, state.meeting, activity, messageSeen.get(message.id))) message = null;
      }
      renderBanner(els, message);
      announceMessage(shell.lang, message);
    },
  };

  els.codeLabel.textContent = code;
  for (const button of els.langButtons) {
    button.addEventListener("click", () => shell.setLanguage(button.dataset.lang, true));
  }
  els.bannerDismiss.addEventListener("click", () => {
    storage.dismissMessage(code, Number(els.banner.dataset.id));
    shell.renderMessage();
    onDismiss();
  });
  return shell;
}

/** Return a function that announces each message once per page load, in the assertive live region. */
function messageAnnouncer(region) {
  const announced = new Set();
  return (lang, message) => {
    if (!message || announced.has(message.id)) return;
    announced.add(message.id);
    announce(region, t(lang, "announce.message", { text: message.text }));
  };
}
