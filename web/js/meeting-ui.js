// What both pages show of the meeting around the breakout: a speaking order, a break's
// energizer, a round's countdown and what is happening now. Views only: no network.

import { formatCountdown } from "./clock.js";
import { h, replaceChildren, setText, show } from "./dom.js";
import { t } from "./i18n.js";
import { changed } from "./page-ui.js";
import { speakerName } from "./view.js";

/** Render "Now: Check-in" in `el`. */
export function renderNow(el, lang, activity) {
  setText(el, `${t(lang, "now.label")}: ${t(lang, `activity.${activity}`)}`);
  el.dataset.activity = activity;
}

/** Render a speaking order into the list `el`: done speakers faded, the current one marked, the next one tagged. */
export function renderOrder(el, lang, round) {
  if (!changed(el, [lang, round.turn, round.order, round.hidden])) return;
  const items = round.order.map((speaker) => {
    const tag = { current: "round.speakingTag", next: "round.nextTag" }[speaker.place];
    const you = speaker.isMe && !speaker.host ? ` (${t(lang, "round.you")})` : "";
    return h("li", { class: `speaker is-${speaker.place}`, "aria-current": speaker.place === "current" ? "true" : null }, [
      h("span", { class: "speaker-name", text: `${speakerName(lang, speaker)}${you}` }),
      tag ? h("span", { class: "speaker-tag", text: t(lang, tag) }) : null,
      speaker.reading ? h("span", { class: "reading-tag", text: t(lang, "host.reading") }) : null,
    ]);
  });
  if (round.hidden > 0) items.push(h("li", { class: "speaker is-more", text: t(lang, "round.more", { n: round.hidden }) }));
  replaceChildren(el, items);
}

/** Render a break's energizer (name and one line) into `els.energizer*`, or hide it. */
export function renderEnergizer(els, lang, energizer) {
  show(els.energizer, Boolean(energizer));
  if (!energizer) return;
  setText(els.energizerName, t(lang, `energizer.${energizer}`));
  setText(els.energizerText, t(lang, `energizer.${energizer}.text`));
}

/** Update a round's gentle countdown (hidden when the round has no time per speaker). */
export function renderRoundTimer(els, round) {
  const timed = round.remainingMs !== null;
  show(els.roundTimer, timed);
  if (!timed) return;
  setText(els.roundCountdown, formatCountdown(round.remainingMs));
  show(els.roundTimeUp, round.remainingMs <= 0);
  els.roundTimer.dataset.up = String(round.remainingMs <= 0);
}
