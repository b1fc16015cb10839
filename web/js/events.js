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
  TRY_AGAIN_LATER: 1013,
  BAD_TOKEN: 4401,
  REMOVED: 4403,
  UNKNOWN_SESSION: 4404,
});

export const PHASE_KINDS = Object.freeze(["tell", "silence", "question", "answer"]);

export const BREAKOUT_STATUSES = Object.freeze(["running", "paused", "finished"]);

/** Breakout statuses by name (the values of BREAKOUT_STATUSES). */
export const Status = Object.freeze({
  RUNNING: "running",
  PAUSED: "paused",
  FINISHED: "finished",
});

/** What the whole meeting is doing (`meeting.activity`, docs/meeting.md). */
export const Activity = Object.freeze({
  LOBBY: "lobby",
  CHECKIN: "checkin",
  BREAKOUT: "breakout",
  BREAK: "break",
  CHECKOUT: "checkout",
});

/** Who may stand in a speaking order besides participant ids (the host has no id). */
export const Speaker = Object.freeze({
  HOST: "host",
});

export const LANGUAGES = Object.freeze(["nl", "en"]);

export const ROUND_KINDS = Object.freeze(["checkin", "checkout"]);

export const ENERGIZERS = Object.freeze(["colour_race", "yoga", "pictionary"]);

export const CHECKIN_QUESTIONS = Object.freeze(["looking_forward", "dread", "proud", "grateful", "laughed"]);

export const CHECKOUT_QUESTIONS = Object.freeze(["thought", "take_away", "feeling"]);

/** A participant's count below this is exact; from it on the pages show its floor with a plus. */
export const EXACT_COUNT_BELOW = 20;
