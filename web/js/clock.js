// Clock arithmetic: estimate the server's clock from ping/pong samples and format countdowns.
// Pure functions only: every "now" is passed in, so any device clock (however wrong) works.

/** A sample's round trip at or above this is only a rough guess (e.g. a state's server_ms). */
const ROUGH_RTT_MS = 60_000;

/** How many recent samples an estimate keeps; the lowest round trip among them wins. */
const KEEP_SAMPLES = 8;

/** Return one offset sample from a ping sent at `sentMs`, answered with `serverMs`, received at `receivedMs` (client clock). */
export function pongSample(sentMs, serverMs, receivedMs) {
  const rtt = Math.max(0, receivedMs - sentMs);
  return { offset: serverMs - (sentMs + rtt / 2), rtt };
}

/** Return a rough sample from a message stamped `serverMs` that arrived at `receivedMs`. */
export function stampSample(serverMs, receivedMs) {
  return { offset: serverMs - receivedMs, rtt: ROUGH_RTT_MS };
}

/** Return the estimate after adding `sample`: the newest KEEP_SAMPLES pong samples, or one rough sample. */
export function addSample(samples, sample) {
  if (sample.rtt >= ROUGH_RTT_MS) {
    // A rough stamp only counts while nothing better is known.
    return samples.some((s) => s.rtt < ROUGH_RTT_MS) ? samples : [sample];
  }
  const precise = samples.filter((s) => s.rtt < ROUGH_RTT_MS);
  return [...precise, sample].slice(-KEEP_SAMPLES);
}

/** Return the offset (server minus client, in ms) of the sample with the lowest round trip; 0 when none. */
export function bestOffset(samples) {
  if (samples.length === 0) return 0;
  let best = samples[0];
  for (const s of samples) if (s.rtt < best.rtt) best = s;
  return best.offset;
}

/** Return the server's "now" for a client `clientNowMs` and an `offset`. */
export function serverNow(clientNowMs, offset) {
  return clientNowMs + offset;
}

/** Return `ms` as a countdown "M:SS", rounding up so a fresh 60 s phase shows 1:00 and the last second 0:01. */
export function formatCountdown(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}

/** Return how long until `formatCountdown(remainingMs)` shows a new value (at least 1 ms). */
export function msUntilNextTick(remainingMs) {
  if (remainingMs <= 0) return 1000;
  const rest = remainingMs % 1000;
  return rest === 0 ? 1000 : rest;
}

/** Return the delay before reconnect attempt `attempt` (0, 1, …): exponential, capped, with full jitter in [½, 1]. */
export function backoffMs(attempt, random = Math.random, baseMs = 500, capMs = 15_000) {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (0.5 + random() / 2));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Return the server time of "HH:MM" on this device's calendar, the next such moment after `serverNowMs` (so 00:30 typed at 23:00 means tonight); null for anything else. */
export function timeOfDayMs(hhmm, serverNowMs) {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(String(hhmm).trim());
  if (!match) return null;
  const at = new Date(serverNowMs);
  at.setHours(Number(match[1]), Number(match[2]), 0, 0);
  let ms = at.getTime();
  if (ms <= serverNowMs) ms += DAY_MS;
  return ms;
}

/** Return server time `ms` as "HH:MM" on this device's calendar (the server's clock is the real one). */
export function formatClockTime(ms) {
  const at = new Date(ms);
  return `${String(at.getHours()).padStart(2, "0")}:${String(at.getMinutes()).padStart(2, "0")}`;
}
