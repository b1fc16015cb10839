// Duo's HTTP API as the contract describes it; errors carry the server's `detail`.

import { BreakoutControl, RoundControl } from "./events.js";

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
    this.detail = detail;
  }
}

function readableDetail(detail, status) {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
  return `HTTP ${status}`;
}

/** Call `method path` with an optional bearer `token` and JSON `body`; return the JSON answer (null for 204). Raises ApiError. */
export async function call(method, path, { token, body } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "");
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, readableDetail(data && data.detail, response.status));
  return data;
}

const base = (code) => `/api/sessions/${encodeURIComponent(code)}`;

export const createSession = (fields) => call("POST", "/api/sessions", { body: fields });
export const getSession = (code) => call("GET", base(code));
export const joinSession = (code, name) => call("POST", `${base(code)}/participants`, { body: { name } });
export const leaveSession = (code, id, token) =>
  call("DELETE", `${base(code)}/participants/${encodeURIComponent(id)}`, { token });
export const startBreakout = (code, token) => call("POST", `${base(code)}/breakouts`, { token });

/** Apply a host control (`BreakoutControl.*`) to the current breakout. Raises ApiError. */
export function control(code, token, action, body) {
  if (!Object.values(BreakoutControl).includes(action)) throw new Error(`Unknown control: ${action}.`);
  return call("POST", `${base(code)}/breakouts/current/${action}`, { token, body });
}

// ---- the meeting around the breakout (docs/meeting.md) -----------------------------------

export const getTime = () => call("GET", "/api/time");
export const agree = (code, id, token) =>
  call("POST", `${base(code)}/participants/${encodeURIComponent(id)}/agreement`, { token });
export const startRound = (code, token, kind, question, seconds) =>
  call("POST", `${base(code)}/rounds`, { token, body: { kind, question, seconds_per_speaker: seconds } });
export const nextSpeaker = (code, token) =>
  call("POST", `${base(code)}/rounds/current/${RoundControl.NEXT}`, { token });
export const endRound = (code, token) => call("POST", `${base(code)}/rounds/current/${RoundControl.END}`, { token });
export const sendMessage = (code, token, text) => call("POST", `${base(code)}/messages`, { token, body: { text } });
export const startBreak = (code, token, minutes, energizer) =>
  call("POST", `${base(code)}/breaks`, { token, body: { minutes, energizer } });
export const endBreak = (code, token) => call("POST", `${base(code)}/breaks/current/end`, { token });
export const addToGroup = (code, token, index, participantId) =>
  call("POST", `${base(code)}/breakouts/current/groups/${index}/members`, {
    token,
    body: { participant_id: participantId },
  });
export const addDuo = (code, token, ids) =>
  call("POST", `${base(code)}/breakouts/current/groups`, { token, body: { participant_ids: ids } });

export const raiseSignal = (code, id, token, kind) =>
  call("POST", `${base(code)}/participants/${encodeURIComponent(id)}/signal`, { token, body: { kind } });
export const clearSignal = (code, token, index) =>
  call("DELETE", `${base(code)}/breakouts/current/groups/${index}/signal`, { token });

/** Return the URL of the session's QR code (an SVG the server makes). */
export const lockSession = (code, token, locked) => call("POST", `${base(code)}/lock`, { token, body: { locked } });
export const removeParticipants = (code, token, ids) =>
  call("POST", `${base(code)}/removals`, { token, body: { ids } });
export const qrUrl = (code) => `${base(code)}/qr.svg`;
/** Close the session for everyone; with `erase`, delete everything of it at once. */
export const closeSession = (code, token, erase = false) =>
  call("POST", `${base(code)}/close`, { token, body: { erase } });

// ---- where the groups talk (issue 19, docs/meeting.md) -----------------------------------

export const changeSettings = (code, token, fields) => call("PATCH", `${base(code)}/settings`, { token, body: fields });
export const askRooms = (code, token, rooms) => call("POST", `${base(code)}/room-question`, { token, body: { rooms } });
export const stopAskingRooms = (code, token) => call("POST", `${base(code)}/room-question/end`, { token });
export const answerRoom = (code, id, token, room) =>
  call("PUT", `${base(code)}/participants/${encodeURIComponent(id)}/room`, { token, body: { room } });
export const startBreakoutFromRooms = (code, token) =>
  call("POST", `${base(code)}/breakouts`, { token, body: { from_rooms: true } });
