// The host token of the host's pages (host page, presenter's screen): it travels in the link's
// fragment, leaves the address bar at once, and is kept on the device once the server accepts it.

import * as storage from "./storage.js";

/**
 * Return `{token, candidate}` for session `code`: the token to try (the fragment's, else the
 * one this device keeps) and, when the fragment brought a new one, that one as the candidate
 * to keep once accepted. The fragment is taken out of the address bar (a shared screen shows it).
 */
export function readHostToken(code) {
  const fragment = decodedOrAsIs(window.location.hash.replace(/^#/, ""));
  if (!fragment) return { token: storage.loadHostToken(code), candidate: null };
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  return { token: fragment, candidate: fragment !== storage.loadHostToken(code) ? fragment : null };
}

/** Return `text` URI-decoded; a malformed one ("%", "%E0%A4%A") as it is: a wrong token, as the server will say. */
function decodedOrAsIs(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Keep `candidate` (a token the server accepted) as this device's host token of session `code`. */
export function acceptHostToken(code, candidate) {
  if (candidate) storage.saveHostToken(code, candidate);
}

/** The server refused a token: a new one from a link leaves the kept one as it was; a kept one is forgotten. Return the token still kept, or null. */
export function refuseHostToken(code, candidate) {
  if (candidate) return storage.loadHostToken(code);
  storage.forgetHostToken(code);
  return null;
}
