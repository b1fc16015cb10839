// Duo's event vocabulary: the browser's copy of app/events.py (a test keeps them equal).

export const ClientMessage = Object.freeze({
  HELLO: "hello",
  PING: "ping",
});

export const ServerMessage = Object.freeze({
  STATE: "state",
  PONG: "pong",
  ERROR: "error",
});

export const CloseCode = Object.freeze({
  NORMAL: 1000,
  POLICY: 1008,
  TOO_BIG: 1009,
  RESTARTING: 1012,
  BAD_TOKEN: 4401,
  REMOVED: 4403,
  UNKNOWN_SESSION: 4404,
});

export const PHASE_KINDS = Object.freeze(["tell", "silence", "question", "answer"]);

export const BREAKOUT_STATUSES = Object.freeze(["running", "paused", "finished"]);
