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
    else if (key === "text") fillText(el, value);
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

const ISOLATE_OPEN = Object.freeze({ "\u2066": "ltr", "\u2067": "rtl", "\u2068": null });
const ISOLATE_CLOSE = "\u2069";
const HAS_ISOLATES = /[\u2066-\u2069]/;

/** Return `text` without its bidi isolate controls: what a page shows of it as text. */
export function plainText(text) {
  return text.replace(/[\u2066-\u2069]/g, "");
}

/** Return `text` as nodes: each isolate (FSI/LRI/RLI … PDI, as i18n.js wraps names) becomes a `<bdi>`. */
function isolatedNodes(text) {
  const root = document.createDocumentFragment();
  const open = [root];
  let run = "";
  const flush = () => {
    if (run) open[open.length - 1].append(run);
    run = "";
  };
  for (const ch of text) {
    if (Object.hasOwn(ISOLATE_OPEN, ch)) {
      flush();
      const bdi = document.createElement("bdi");
      if (ISOLATE_OPEN[ch]) bdi.dir = ISOLATE_OPEN[ch];
      open[open.length - 1].append(bdi);
      open.push(bdi);
    } else if (ch === ISOLATE_CLOSE) {
      flush();
      if (open.length > 1) open.pop();
    } else {
      run += ch;
    }
  }
  flush();
  return root;
}

/** Put `text` in `el` as text (never markup), its isolates as `<bdi>` elements; an option or title keeps the controls (it holds text only). */
export function fillText(el, text) {
  const value = String(text);
  if (!HAS_ISOLATES.test(value) || el.tagName === "OPTION" || el.tagName === "TITLE") el.textContent = value;
  else el.replaceChildren(isolatedNodes(value));
}

const written = new WeakMap();

/** Set `el`'s text (see fillText) only when it changed, so screen readers and observers see real changes only. */
export function setText(el, text) {
  if (el.textContent === plainText(text) && (written.get(el) === text || !HAS_ISOLATES.test(text))) return;
  fillText(el, text);
  written.set(el, text);
}

/** Replace `el`'s children with `children`. */
export function replaceChildren(el, children) {
  el.replaceChildren(...children.filter(Boolean));
}

/** Return the session code from a path such as /s/K7PQXR or /host/K7PQXR, upper-cased. */
export function codeFromPath(pathname) {
  const parts = pathname.split("/").filter(Boolean);
  const last = parts[parts.length - 1] || "";
  try {
    return decodeURIComponent(last).toUpperCase();
  } catch {
    return last.toUpperCase(); // a malformed path: an unknown code, as the server will say
  }
}

/** Put `text` in the polite live region `region` so screen readers announce it once. */
export function announce(region, text) {
  if (!text) return;
  region.textContent = "";
  // A new text node after a tick is announced even when the text repeats.
  window.setTimeout(() => {
    fillText(region, text);
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
