// One live connection to a session: hello, state, ping/pong clock sync, and reconnect with
// exponential backoff and jitter until the server says the connection can never work.

import { ClientMessage, CloseCode, ServerMessage } from "./events.js";
import { addSample, backoffMs, bestOffset, pongSample, serverNow, stampSample } from "./clock.js";

export const ConnectionStatus = Object.freeze({
  CONNECTING: "connecting",
  OPEN: "open",
  RECONNECTING: "reconnecting",
  OFFLINE: "offline",
  ENDED: "ended",
});

/** Close codes after which reconnecting cannot help: the page must act instead. */
const FINAL_CLOSE_CODES = Object.freeze([
  CloseCode.BAD_TOKEN,
  CloseCode.REMOVED,
  CloseCode.UNKNOWN_SESSION,
]);

const SYNC_PINGS_AT_MS = Object.freeze([0, 250, 500, 1000]);
const PING_EVERY_MS = 30_000;
const PONG_TIMEOUT_MS = 10_000;

/** Return the WebSocket URL of session `code` on this page's host. */
function socketUrl(code, loc = window.location) {
  const scheme = loc.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${loc.host}/ws/${encodeURIComponent(code)}`;
}

/**
 * Connect to session `code` with `token` and keep connected.
 *
 * Calls `onState(state)` for every state, `onStatus(status)` when the connection's status
 * changes, `onEnd(closeCode)` once when the server refuses for good (bad token, removed,
 * unknown session) and `onServerError(detail)` for an `error` message.
 */
export function connect({ code, token, onState, onStatus, onEnd, onServerError = () => {}, now = () => Date.now() }) {
  let socket = null;
  let samples = [];
  let attempt = 0;
  let stopped = false;
  let status = null;
  let retryTimer = null;
  let pingTimers = [];
  let waitingPongSince = null;

  const setStatus = (next) => {
    if (next === status) return;
    status = next;
    onStatus(next);
  };

  const clearTimers = () => {
    for (const timer of pingTimers) window.clearTimeout(timer);
    pingTimers = [];
    window.clearTimeout(retryTimer);
    retryTimer = null;
  };

  const send = (message) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };

  const ping = () => {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (waitingPongSince === null) {
      waitingPongSince = now();
      // A socket that no longer answers (a phone that slept, a dead network): start over.
      pingTimers.push(window.setTimeout(() => {
        if (waitingPongSince !== null) drop();
      }, PONG_TIMEOUT_MS));
    }
    send({ type: ClientMessage.PING, client_ms: now() });
  };

  const syncBurst = () => {
    for (const delay of SYNC_PINGS_AT_MS) pingTimers.push(window.setTimeout(ping, delay));
  };

  const handle = (message) => {
    switch (message.type) {
      case ServerMessage.STATE:
        samples = addSample(samples, stampSample(message.server_ms, now()));
        attempt = 0;
        setStatus(ConnectionStatus.OPEN);
        onState(message);
        break;
      case ServerMessage.PONG:
        waitingPongSince = null;
        samples = addSample(samples, pongSample(message.client_ms, message.server_ms, now()));
        break;
      case ServerMessage.ERROR:
        onServerError(message.detail);
        break;
      default:
        throw new Error(`Unsupported message type: ${message.type}.`);
    }
  };

  const scheduleReconnect = () => {
    if (stopped) return;
    setStatus(navigator.onLine === false ? ConnectionStatus.OFFLINE : ConnectionStatus.RECONNECTING);
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(open, backoffMs(attempt));
    attempt += 1;
  };

  function drop() {
    if (!socket) return;
    const dead = socket;
    socket = null;
    dead.onopen = dead.onmessage = dead.onclose = dead.onerror = null;
    try {
      dead.close();
    } catch {
      // Already closed.
    }
    clearTimers();
    waitingPongSince = null;
    scheduleReconnect();
  }

  function open() {
    if (stopped) return;
    clearTimers();
    waitingPongSince = null;
    if (status === null) setStatus(ConnectionStatus.CONNECTING);
    const ws = new WebSocket(socketUrl(code));
    socket = ws;
    ws.onopen = () => {
      send({ type: ClientMessage.HELLO, token });
      syncBurst();
      const every = window.setInterval(() => {
        if (socket !== ws) window.clearInterval(every);
        else ping();
      }, PING_EVERY_MS);
    };
    ws.onmessage = (event) => {
      if (socket !== ws) return;
      handle(JSON.parse(event.data));
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      clearTimers();
      if (FINAL_CLOSE_CODES.includes(event.code)) {
        stopped = true;
        setStatus(ConnectionStatus.ENDED);
        onEnd(event.code);
        return;
      }
      // Anything else (1012 restarting, 1006 network, …): come back, with backoff.
      scheduleReconnect();
    };
  }

  const reconnectNow = () => {
    if (stopped) return;
    if (!socket) {
      attempt = 0;
      open();
    }
  };

  const onVisible = () => {
    if (document.visibilityState !== "visible" || stopped) return;
    if (!socket) reconnectNow();
    else {
      waitingPongSince = null;
      syncBurst();
    }
  };
  const onOffline = () => {
    if (!stopped && !socket) setStatus(ConnectionStatus.OFFLINE);
  };

  document.addEventListener("visibilitychange", onVisible);
  window.addEventListener("online", reconnectNow);
  window.addEventListener("offline", onOffline);
  open();

  return {
    /** Return the estimated server time now. */
    serverNow: () => serverNow(now(), bestOffset(samples)),
    /** Return the current offset estimate (server minus client, ms). */
    offset: () => bestOffset(samples),
    /** Stop for good: close the socket and never reconnect. */
    close() {
      stopped = true;
      clearTimers();
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("online", reconnectNow);
      window.removeEventListener("offline", onOffline);
      if (socket) {
        const ws = socket;
        socket = null;
        ws.onclose = null;
        ws.close(CloseCode.NORMAL);
      }
    },
  };
}
