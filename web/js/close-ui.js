// The end of a meeting on the host's page: closing the session (confirmed, with erasing
// everything as a second, destructive choice), and what the page shows once it is closed
// (what happened, a new session with the same settings) or erased.

import { formatClockTime } from "./clock.js";
import { setText, show } from "./dom.js";
import { elapsedText, joinNames, t } from "./i18n.js";

/** The host page's views of a session that ended. */
export const CLOSE_VIEWS = Object.freeze({
  closed: "#view-closed",
  erased: "#view-erased",
});

/** The host page's elements for closing and for the closed session. */
export const CLOSE_SELECTORS = Object.freeze({
  closeSession: "#close-session",
  closeConfirm: "#close-confirm",
  closeYes: "#close-yes",
  closeNo: "#close-no",
  closeErase: "#close-erase",
  closeError: "#close-error",
  closedTitle: "#closed-title",
  closedAt: "#closed-at",
  closedDuration: "#closed-duration",
  closedPeople: "#closed-people",
  closedDone: "#closed-done",
  closedDeleted: "#closed-deleted",
  closedAgain: "#closed-again",
  closedErase: "#closed-erase",
  closedEraseConfirm: "#closed-erase-confirm",
  closedEraseYes: "#closed-erase-yes",
  closedEraseNo: "#closed-erase-no",
  closedError: "#closed-error",
  erasedAgain: "#erased-again",
});

/** Return what the meeting did, as words: "check-in, 2 breakouts, pauze en check-out" (agenda order), or "only the lobby". */
export function doneText(lang, summary) {
  const parts = [];
  for (const step of summary.done) {
    parts.push(t(lang, `agenda.${step}`).toLowerCase());
    // The breakouts come where the agenda has them: after the check-in.
    if (step === "checkin" && summary.breakouts) parts.push(breakoutsText(lang, summary.breakouts));
  }
  if (summary.breakouts && !summary.done.includes("checkin")) parts.unshift(breakoutsText(lang, summary.breakouts));
  if (!parts.length) return t(lang, "host.closed.noneDone");
  // joinNames isolates each part as typed text; these are Duo's own words: no marks needed.
  return joinNames(lang, parts).replace(/[\u2068\u2069]/g, "");
}

function breakoutsText(lang, n) {
  return t(lang, n === 1 ? "host.closed.breakouts.one" : "host.closed.breakouts.many", { n });
}

/** Render the closed session's overview from `summary` (view.js: closedSummary). */
export function renderClosedView(els, lang, summary) {
  setText(els.closedTitle, summary.title || t(lang, "app.name"));
  setText(els.closedAt, formatClockTime(summary.closedAtMs));
  setText(els.closedDuration, elapsedText(lang, summary.durationMs));
  setText(els.closedPeople, String(summary.people));
  setText(els.closedDone, doneText(lang, summary));
  setText(els.closedDeleted, t(lang, "host.closed.deleted", { time: formatClockTime(summary.deletedAtMs) }));
}

/** Open (or close) the confirmation below `button`, focusing its safe choice (or the button again). */
export function toggleConfirm(button, confirm, open, safeChoice) {
  show(confirm, open);
  show(button, !open);
  (open ? safeChoice : button).focus();
}
