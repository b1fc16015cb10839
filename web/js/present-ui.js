// The presenter's screen: views of what the whole room sees in a video call — the way in,
// a round's speaker, the breakout's clock and steps, a break, and the thank-you at the end.

import { formatClockTime, formatCountdown } from "./clock.js";
import { h, replaceChildren, setText, show } from "./dom.js";
import { durationText, localizeQuestion, t } from "./i18n.js";
import { Activity, Status } from "./events.js";
import { renderEnergizer } from "./meeting-ui.js";
import { SHELL_SELECTORS, SHELL_VIEWS, changed } from "./page-ui.js";
import { roundText, speakerName } from "./view.js";
import { presentRoomTitle } from "./rooms-ui.js";

export const SELECTORS = Object.freeze({
  ...SHELL_SELECTORS,
  views: {
    ...SHELL_VIEWS,
    notoken: "#view-notoken",
    lobby: "#view-lobby",
    round: "#view-round",
    breakout: "#view-breakout",
    break: "#view-break",
    end: "#view-end",
    closed: "#view-closed",
  },
  title: "#present-title",
  now: "#present-now",
  // lobby
  lobbyTitle: "#lobby-title",
  code: "#present-code",
  url: "#present-url",
  qr: "#present-qr",
  joinedCount: "#joined-count",
  joinedList: "#joined-list",
  // rounds
  roundKind: "#round-kind",
  roundQuestion: "#round-question",
  roundSpeaker: "#round-speaker",
  roundCountdown: "#round-countdown",
  roundNextBox: "#round-next-box",
  roundNext: "#round-next",
  roundOrder: "#round-order",
  // breakout
  breakoutRound: "#breakout-round",
  countdown: "#breakout-countdown",
  paused: "#breakout-paused",
  steps: "#breakout-steps li",
  groupList: "#present-groups",
  // break
  breakUntil: "#break-until",
  breakCountdown: "#break-countdown",
  energizer: "#energizer",
  energizerName: "#energizer-name",
  energizerText: "#energizer-text",
  breakRest: "#break-rest",
  // end
  endQuestion: "#end-question",
  closedTitle: "#closed-title",
});

/** Return which view the screen shows: the end once the host closed the session, else what runs, else the thank-you once a check-out was the last thing, else the way in. */
export function presenterScreen(activity, lastActivity, closed = false) {
  if (closed) return "closed";
  const screens = {
    [Activity.CHECKIN]: "round",
    [Activity.CHECKOUT]: "round",
    [Activity.BREAKOUT]: "breakout",
    [Activity.BREAK]: "break",
  };
  if (activity !== Activity.LOBBY) return screens[activity];
  return lastActivity === Activity.CHECKOUT ? "end" : "lobby";
}

/** Each list that fits itself, with its "and N more" text and the size it was fitted to. */
const fitted = new Map();

/** Return the size of `el`'s box (what a list was fitted to). */
function boxSize(el) {
  const { width, height } = el.getBoundingClientRect();
  return `${Math.round(width)}x${Math.round(height)}`;
}

/** Fit every shown list again whose room changed since it was last fitted. */
function refitLists() {
  for (const [list, { moreText, size }] of fitted) {
    if (!list.closest("[hidden]") && boxSize(list) !== size) fitList(list, moreText);
  }
}

// Whatever appears or goes around a list (a message, the connection line, a paused note, a
// longer question, the window's size) changes the list's box: it fits itself again then.
const watcher = typeof ResizeObserver === "function" ? new ResizeObserver(() => refitLists()) : null;

/**
 * Hide the items of `list` that do not fit in it (its height is bounded by the screen) and end
 * it with "and N more": a shared screen never scrolls, however many people there are.
 */
export function fitList(list, moreText) {
  if (!fitted.has(list) && watcher) watcher.observe(list);
  for (const el of list.querySelectorAll(".is-more")) el.remove();
  const items = [...list.children];
  for (const item of items) item.hidden = false;
  const bottom = list.getBoundingClientRect().bottom + 0.5;
  const first = items.findIndex((item) => item.getBoundingClientRect().bottom > bottom);
  if (first !== -1) {
    // Room for the "more" line: hide from the last item that fits on, until it fits too.
    const more = h("li", { class: "is-more" });
    list.append(more);
    for (let keep = Math.max(0, first - 1); keep >= 0; keep -= 1) {
      for (const [i, item] of items.entries()) item.hidden = i >= keep;
      setText(more, moreText(items.length - keep));
      if (more.getBoundingClientRect().bottom <= bottom) break;
    }
  }
  fitted.set(list, { moreText, size: boxSize(list) });
}

/** Render the way in: the title, the code in very large type, the QR code, the link and who is here. */
export function renderLobby(els, lang, model, joinUrl) {
  setText(els.lobbyTitle, model.title || t(lang, "present.welcome"));
  setText(els.url, joinUrl.replace(/^https?:\/\//, ""));
  const here = model.participants.filter((p) => p.online);
  const count = { 0: "present.joined.none", 1: "present.joined.one" }[here.length] || "present.joined.many";
  setText(els.joinedCount, t(lang, count, { n: here.length }));
  if (!changed(els.joinedList, [lang, here.map((p) => p.name)])) return;
  replaceChildren(els.joinedList, here.map((p) => h("li", { class: "present-chip person-name", text: p.name })));
  fitList(els.joinedList, (n) => t(lang, "present.more", { n }));
}

/** Render a check-in or check-out: the question, who speaks now and who is next, and the order. */
export function renderRound(els, lang, round) {
  setText(els.roundKind, `${t(lang, `round.kind.${round.kind}`)} · ${t(lang, "round.turnOf", { n: Math.min(round.turn + 1, round.size), total: round.size })}`);
  setText(els.roundQuestion, localizeQuestion(lang, round.question));
  setText(els.roundSpeaker, round.speaker ? speakerName(lang, round.speaker) : "");
  show(els.roundNextBox, Boolean(round.next));
  setText(els.roundNext, round.next ? speakerName(lang, round.next) : "");
  show(els.roundCountdown, round.remainingMs !== null);
  if (round.remainingMs !== null) setText(els.roundCountdown, formatCountdown(round.remainingMs));
  if (!changed(els.roundOrder, [lang, round.turn, round.order])) return;
  const items = round.order.map((speaker) =>
    h("li", { class: `present-chip speaker-name is-${speaker.place}`, "aria-current": speaker.place === "current" ? "true" : null, text: speakerName(lang, speaker) }),
  );
  replaceChildren(els.roundOrder, items);
  fitList(els.roundOrder, (n) => t(lang, "present.more", { n }));
}

/** Render the breakout: the countdown (the largest text), the round, the four steps with the current one marked, and the groups. */
export function renderBreakout(els, lang, model) {
  const b = model.breakout;
  setText(els.countdown, formatCountdown(b.remainingMs));
  els.countdown.dataset.status = b.status;
  show(els.paused, b.status === Status.PAUSED);
  setText(els.breakoutRound, roundText(lang, b.round));
  for (const step of els.steps) {
    const current = step.dataset.kind === b.kind;
    step.classList.toggle("is-current", current);
    if (current) step.setAttribute("aria-current", "step");
    else step.removeAttribute("aria-current");
    setText(step.querySelector(".present-step-time"), durationText(lang, model.stepSeconds[step.dataset.kind]));
  }
  if (!changed(els.groupList, [lang, b.slot, b.groups])) return;
  const cards = b.groups.map((group) =>
    h("li", { class: `present-group is-${group.state}` }, [
      presentRoomTitle(lang, model.rooms, group),
      h(
        "ul",
        { class: "present-members" },
        group.members.map((m) =>
          h("li", { class: `present-member${m.left ? " is-left" : ""}` }, [
            h("span", { class: "person-name", text: m.name ?? t(lang, "host.someone") }),
            m.role && !m.left ? h("span", { class: `role-tag${m.isTeller ? " is-teller" : ""}`, text: t(lang, `host.role.${m.role}`) }) : null,
          ]),
        ),
      ),
    ]),
  );
  replaceChildren(els.groupList, cards);
  fitList(els.groupList, (n) => t(lang, "present.groupsMore", { n }));
}

/** Render a break: until when, its countdown and the energizer's instruction (or a line to rest). */
export function renderBreak(els, lang, going) {
  setText(els.breakUntil, t(lang, "break.until", { time: formatClockTime(going.endsAtMs) }));
  setText(els.breakCountdown, formatCountdown(going.remainingMs));
  renderEnergizer(els, lang, going.energizer);
  show(els.breakRest, !going.energizer);
}

/** Render the thank-you and the check-out's question to take along. */
export function renderEnd(els, lang, question) {
  setText(els.endQuestion, localizeQuestion(lang, question || t(lang, "question.checkout.take_away")));
}

/** Render the end of a closed session: thanks, big, with the session's title. */
export function renderClosed(els, title) {
  show(els.closedTitle, Boolean(title));
  setText(els.closedTitle, title || "");
}
