// A group as both pages show it: its number and colour (the host's cards and the
// participant's page alike), who left it, a trio's order of questions, and its signal to the host.

import * as api from "./api.js";
import { formatClockTime } from "./clock.js";
import { h, setText, show } from "./dom.js";
import { joinNames, t } from "./i18n.js";
import { groupChange, groupLook, hostName, hostOrderText } from "./view.js";

/** Fill `el` as group `index`'s badge ("Groep 3", in the group's colour), or hide it for none. */
export function renderGroupBadge(el, lang, index) {
  show(el, index !== null);
  if (index === null) return;
  const look = groupLook(index);
  el.dataset.colour = String(look.colour);
  setText(el, t(lang, "breakout.group", { n: look.number }));
}

/** Return a host card's title: the group's badge. */
export function groupTitle(lang, group) {
  const look = group.look || groupLook(group.index);
  return h("h4", { class: "group-title" }, [
    h("span", { class: "group-badge", dataset: { colour: String(look.colour) }, text: t(lang, "host.group", { n: look.number }) }),
  ]);
}

/** Return the line that says who left a group and what changed ("Chloe is weg — Anna en Bram gaan verder als duo"), or null. */
function changeLine(lang, group) {
  const change = groupChange(group);
  if (!change) return null;
  const names = (list) => joinNames(lang, list.map((name) => hostName(lang, name)));
  const many = change.gone.length > 1 && change.key !== "host.change.duo" ? "Many" : "";
  const text = t(lang, `${change.key}${many}`, { gone: names(change.gone), stayed: names(change.stayed) });
  return h("p", { class: "group-change", text });
}

/** Return what a host card shows beyond its members: who left and what changed, a trio's order of questions, and the group's open signal with a "seen" button. */
export function groupExtras(lang, group) {
  const order = group.state === "running" ? hostOrderText(lang, group.phase) : "";
  const signal = group.signal && !group.signal.seen ? group.signal : null;
  return [
    changeLine(lang, group),
    order ? h("p", { class: "group-order", text: order }) : null,
    signal
      ? h("div", { class: "group-signal", dataset: { kind: signal.kind } }, [
          h("p", { class: "group-signal-text", text: t(lang, `signal.host.${signal.kind}`, { time: formatClockTime(signal.raisedAtMs) }) }),
          h("button", {
            type: "button",
            class: "button",
            dataset: { clearSignal: String(group.index) },
            "aria-label": t(lang, "signal.host.clearLabel", { what: t(lang, `signal.${signal.kind}`), n: group.look ? group.look.number : group.index + 1 }),
            text: t(lang, "signal.host.clear"),
          }),
        ])
      : null,
  ];
}

/** Clear a group's signal when one of its "seen" buttons in `list` is pressed, as the host (`session()` gives {code, token, onError}). */
export function bindSignalClear(list, session) {
  list.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("button[data-clear-signal]");
    if (!button) return;
    const { code, token, onError } = session();
    button.disabled = true;
    try {
      await api.clearSignal(code, token, Number(button.dataset.clearSignal));
    } catch (error) {
      button.disabled = false;
      // Someone else cleared it first (409): the next state takes the button away.
      if (error.status !== 409) onError(error);
    }
  });
}
