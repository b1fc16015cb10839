// What every page shows alike: the connection's state and the language switch.

import { setText, show } from "./dom.js";
import { t } from "./i18n.js";

/** Show the connection's state ("reconnecting…") or nothing while all is well. */
export function renderConnection(els, lang, status) {
  const key = { reconnecting: "conn.reconnecting", offline: "conn.offline" }[status];
  show(els.connStatus, Boolean(key));
  if (key) setText(els.connStatus, t(lang, key));
}

/** Mark the language buttons so the current one is pressed. */
export function renderLanguage(els, lang) {
  for (const button of els.langButtons) button.setAttribute("aria-pressed", String(button.dataset.lang === lang));
}
