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

/** The languages a session can be held in, by name (the values of LANGUAGES). */
export const Language = Object.freeze({
  NL: "nl",
  EN: "en",
});

/** The host's controls of a running breakout (`POST …/breakouts/current/{control}`). */
export const BreakoutControl = Object.freeze({
  PAUSE: "pause",
  RESUME: "resume",
  EXTEND: "extend",
  SKIP: "skip",
  END: "end",
});

/** The host's controls of a check-in or check-out (`POST …/rounds/current/{control}`). */
export const RoundControl = Object.freeze({
  NEXT: "next",
  END: "end",
});

/** Check-in or check-out, by name (the values of ROUND_KINDS). */
export const RoundKind = Object.freeze({
  CHECKIN: "checkin",
  CHECKOUT: "checkout",
});

/** What a group tells the host during a breakout. */
export const SignalKind = Object.freeze({
  DONE: "done",
  HELP: "help",
});

/** What a break can offer to do together, by name (the values of ENERGIZERS). */
export const Energizer = Object.freeze({
  COLOUR_RACE: "colour_race",
  YOGA: "yoga",
  PICTIONARY: "pictionary",
});

export const ROUND_KINDS = Object.freeze(["checkin", "checkout"]);

export const ENERGIZERS = Object.freeze(["colour_race", "yoga", "pictionary"]);

export const CHECKIN_QUESTIONS = Object.freeze(["looking_forward", "dread", "proud", "grateful", "laughed"]);

export const CHECKOUT_QUESTIONS = Object.freeze(["thought", "take_away", "feeling"]);

/** A participant's count below this is exact; from it on the pages show its floor with a plus. */
export const EXACT_COUNT_BELOW = 20;

/** The seed: a short break every hour; the host page suggests one after this long without (55 min). */
export const BREAK_SUGGESTED_AFTER_MS = 3300000;

/** A closed session (not erased) is deleted this long after the host closed it (1 hour). */
export const CLOSED_LIFETIME_MS = 3600000;
/** Where the groups of a session talk (`session.rooms`, docs/meeting.md). */
export const RoomMode = Object.freeze({
  BREAKOUT_ROOMS: "breakout_rooms",
  LINK_PER_GROUP: "link_per_group",
  SAME_ROOM: "same_room",
});

export const ROOM_MODES = Object.freeze(["breakout_rooms", "link_per_group", "same_room"]);

/** The most rooms a host may ask people to choose from (groups from the video tool's rooms). */
export const MAX_ROOMS_ASKED = 50;
