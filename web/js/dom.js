// Small DOM helpers shared by the pages: find, create, show and hide elements.

/** Return the one element matching `selector` under `root`. Raises Error when it is missing. */
export function $(selector, root = document) {
  const el = root.querySelector(selector);
  if (!el) throw new Error(`Missing element ${selector}.`);
  return el;
}

/** Return a new element with `props` (class, text, attributes, dataset) and `children`. */
export function h(tag, props = {}, children = []) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/** Show or hide `el` with the `hidden` attribute. */
export function show(el, visible) {
  el.hidden = !visible;
}

/** Set `el`'s text only when it changed, so screen readers and observers see real changes only. */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** Replace `el`'s children with `children`. */
export function replaceChildren(el, children) {
  el.replaceChildren(...children.filter(Boolean));
}

/** Return the session code from a path such as /s/K7PQXR or /host/K7PQXR, upper-cased. */
export function codeFromPath(pathname) {
  const parts = pathname.split("/").filter(Boolean);
  return decodeURIComponent(parts[parts.length - 1] || "").toUpperCase();
}

/** Put `text` in the polite live region `region` so screen readers announce it once. */
export function announce(region, text) {
  if (!text) return;
  region.textContent = "";
  // A new text node after a tick is announced even when the text repeats.
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** Copy `text` to the clipboard; fall back to selecting `input` and the legacy copy command. */
export async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!input) return false;
    input.select();
    try {
      return document.execCommand("copy");
    } catch {
      return false;
    }
  }
}
