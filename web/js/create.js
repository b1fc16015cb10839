// The host's start page /: create a session (the last settings of this device filled in),
// then share the join link, code and QR code.

import * as api from "./api.js";
import { bindCreateRooms, createRoomFields } from "./rooms-ui.js";
import { pongSample, timeOfDayMs } from "./clock.js";
import { copyText, show } from "./dom.js";
import { PHASE_KINDS } from "./events.js";
import { durationText, pickLanguage, t, translate } from "./i18n.js";
import { errorText, findElements, renderError, renderFieldError, renderLanguage } from "./page-ui.js";
import * as storage from "./storage.js";

const SELECTORS = Object.freeze({
  langButtons: ".lang-button",
  viewCreate: "#view-create",
  viewCreated: "#view-created",
  form: "#create-form",
  title: "#title",
  phase: "#phase",
  stepLengths: "#step-lengths",
  stepInputs: "#step-lengths input[data-kind]",
  stepError: "#step-error",
  remembered: "#remembered",
  useDefaults: "#use-defaults",
  agreements: "#agreements",
  plannedEnd: "#planned-end",
  submit: "#create-submit",
  error: "#create-error",
  stepTimes: "[data-step-time]",
  createdHeading: "#created-heading",
  code: "#created-code",
  joinLink: "#join-link",
  copyJoin: "#copy-join",
  qr: "#qr",
  hostLink: "#host-link",
  copyHost: "#copy-host",
  openHost: "#open-host",
  copyStatus: "#copy-status",
  again: "#again",
});

const els = findElements(SELECTORS, ["stepTimes", "stepInputs"]);

/** A step lasts 10 to 600 seconds (the server's rule). */
const STEP_MIN = 10;
const STEP_MAX = 600;
const DEFAULT_PHASE_SECONDS = "60";
const PLANNED_ROUNDING_MINUTES = 5;

const page = {
  lang: pickLanguage(null),
  languageTouched: false,
  agreementsTouched: false,
  created: null,
};

function guessLanguage() {
  const stored = storage.loadLanguage(null);
  if (stored) return stored;
  return (navigator.language || "").toLowerCase().startsWith("en") ? "en" : "nl";
}

/** The phase length's choice that stands for "the steps differ": the per-step lengths below decide. */
const PER_STEP = "custom";

/** Show the lengths: the choice's options in words, the four steps following the one length unless the host set them apart, and each step's length in the exercise. */
function renderDurations() {
  for (const option of els.phase.options) {
    option.textContent = option.value === PER_STEP ? t(page.lang, "create.perStep") : durationText(page.lang, Number(option.value));
  }
  if (els.phase.value !== PER_STEP) for (const input of els.stepInputs) input.value = els.phase.value;
  const lengths = stepLengths();
  for (const el of els.stepTimes) {
    const seconds = lengths[el.dataset.stepTime];
    el.textContent = seconds === null ? "" : durationText(page.lang, seconds);
  }
}

/** Make the one length control say what the steps last: their common length when it is one of its choices, else "different per step". */
function followSteps() {
  const lengths = Object.values(stepLengths());
  const same = lengths.every((seconds) => seconds !== null && seconds === lengths[0]);
  const option = same && [...els.phase.options].find((o) => o.value === String(lengths[0]));
  els.phase.value = option ? option.value : PER_STEP;
}

/** Return the one phase length sent with the session: the chosen one, or with lengths per step the telling's. */
function phaseSeconds() {
  return els.phase.value === PER_STEP ? stepLengths().tell : Number(els.phase.value);
}

/** Return each step's length in whole seconds as typed (null where it is no whole number of 10–600). */
function stepLengths() {
  const lengths = {};
  for (const input of els.stepInputs) {
    const seconds = Number(input.value);
    lengths[input.dataset.kind] = Number.isInteger(seconds) && seconds >= STEP_MIN && seconds <= STEP_MAX ? seconds : null;
  }
  return lengths;
}

/** Return the steps' own lengths when the host gave some that differ from the phase length; null when they all follow it. Raises RangeError when one is outside 10–600 s. */
function lengthsByKind() {
  const lengths = stepLengths();
  const bad = els.stepInputs.find((input) => lengths[input.dataset.kind] === null);
  for (const input of els.stepInputs) {
    if (input === bad) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
  renderError(els.stepError, bad ? t(page.lang, "create.stepInvalid") : "");
  if (bad) {
    els.stepLengths.open = true;
    bad.focus();
    throw new RangeError("step length");
  }
  const phase = phaseSeconds();
  return PHASE_KINDS.every((kind) => lengths[kind] === phase) ? null : lengths;
}

function setLanguage(lang, remember = false) {
  page.lang = pickLanguage(lang);
  if (remember) storage.saveLanguage(null, page.lang);
  translate(document, page.lang);
  document.title = t(page.lang, "create.pageTitle");
  renderLanguage(els, page.lang);
  if (!page.languageTouched) {
    for (const radio of els.form.elements.language) radio.checked = radio.value === page.lang;
  }
  renderDurations();
  fillAgreements();
  if (page.created) els.qr.alt = t(page.lang, "create.qrAlt", { url: page.created.join_url });
}

/** Put the seed's agreements in the session's language in the field, unless the host wrote their own. */
function fillAgreements() {
  if (page.agreementsTouched) return;
  els.agreements.value = t(sessionLanguage(), "agreements.default");
}

function sessionLanguage() {
  return pickLanguage(els.form.elements.language.value || page.lang);
}

/** Return the planned end as server time, from "HH:MM" today on the server's clock, and how many minutes from now that is; null when none. */
async function plannedEnd() {
  const value = els.plannedEnd.value;
  if (!value) return null;
  const sent = Date.now();
  const { server_ms: serverMs } = await api.getTime();
  const { offset } = pongSample(sent, serverMs, Date.now());
  const now = Date.now() + offset;
  const ms = timeOfDayMs(value, now);
  return ms === null ? null : { ms, minutes: Math.round((ms - now) / 60_000) };
}

// ---- the last settings of this device -----------------------------------------------------

/** Keep what this session was made with for the next one: language, lengths, agreements, how long it was planned to last. No title: no names. */
function rememberSettings(fields, byKind, planned) {
  storage.saveSettings({
    language: fields.language,
    phase_seconds: fields.phase_seconds,
    phase_seconds_by_kind: byKind,
    agreements: els.agreements.value,
    planned_minutes: planned ? planned.minutes : null,
  });
}

/** Return "HH:MM" about `minutes` from now on this device's clock, rounded up to five minutes. */
function clockTimeIn(minutes) {
  const step = PLANNED_ROUNDING_MINUTES * 60_000;
  const at = new Date(Math.ceil((Date.now() + minutes * 60_000) / step) * step);
  return `${String(at.getHours()).padStart(2, "0")}:${String(at.getMinutes()).padStart(2, "0")}`;
}

/** Fill the form with the last settings of this device, and say so. */
function offerSettings(settings) {
  const language = pickLanguage(settings.language);
  for (const radio of els.form.elements.language) radio.checked = radio.value === language;
  page.languageTouched = true;
  if ([...els.phase.options].some((o) => o.value === String(settings.phase_seconds))) els.phase.value = String(settings.phase_seconds);
  const byKind = settings.phase_seconds_by_kind;
  for (const input of els.stepInputs) input.value = byKind ? byKind[input.dataset.kind] : els.phase.value;
  if (byKind) followSteps();
  els.stepLengths.open = els.phase.value === PER_STEP;
  const defaults = ["nl", "en"].map((lang) => t(lang, "agreements.default"));
  if (typeof settings.agreements === "string" && !defaults.includes(settings.agreements)) {
    els.agreements.value = settings.agreements;
    page.agreementsTouched = true;
  }
  if (settings.planned_minutes > 0) els.plannedEnd.value = clockTimeIn(settings.planned_minutes);
  show(els.remembered, true);
}

/** Put the form back to Duo's own defaults and forget the remembered settings. */
function useDefaults() {
  storage.forgetSettings();
  els.form.reset();
  els.phase.value = DEFAULT_PHASE_SECONDS;
  page.languageTouched = false;
  page.agreementsTouched = false;
  els.stepLengths.open = false;
  renderFieldError(els.stepInputs[0], els.stepError, "");
  show(els.remembered, false);
  setLanguage(page.lang);
  els.title.focus();
}

function showCreated(created) {
  page.created = created;
  els.code.textContent = created.code;
  els.joinLink.value = created.join_url;
  els.hostLink.value = created.host_url;
  els.openHost.href = created.host_url;
  els.qr.src = api.qrUrl(created.code);
  els.qr.alt = t(page.lang, "create.qrAlt", { url: created.join_url });
  els.copyStatus.textContent = "";
  show(els.viewCreate, false);
  show(els.viewCreated, true);
  document.body.dataset.screen = "created";
  els.createdHeading.focus();
}

async function create(event) {
  event.preventDefault();
  renderError(els.error, "");
  els.submit.disabled = true;
  els.submit.textContent = t(page.lang, "create.busy");
  try {
    const byKind = lengthsByKind();
    const fields = {
      title: els.title.value.trim(),
      language: sessionLanguage(),
      phase_seconds: phaseSeconds(),
      agreements: els.agreements.value.trim(),
    };
    if (byKind) fields.phase_seconds_by_kind = byKind;
    Object.assign(fields, createRoomFields(els.form));
    const planned = await plannedEnd();
    if (planned) fields.planned_end_ms = planned.ms;
    const created = await api.createSession(fields);
    storage.saveHostToken(created.code, created.host_token);
    rememberSettings(fields, byKind, planned);
    showCreated(created);
  } catch (error) {
    if (!(error instanceof RangeError)) renderError(els.error, errorText(page.lang, error));
  } finally {
    els.submit.disabled = false;
    els.submit.textContent = t(page.lang, "create.submit");
  }
}

async function copyFrom(input) {
  const ok = await copyText(input.value, input);
  els.copyStatus.textContent = t(page.lang, ok ? "copy.done" : "copy.failed");
}

for (const button of els.langButtons) button.addEventListener("click", () => setLanguage(button.dataset.lang, true));
bindCreateRooms(els.form);
for (const radio of els.form.elements.language) radio.addEventListener("change", () => {
  page.languageTouched = true;
  fillAgreements();
});
els.agreements.addEventListener("input", () => {
  page.agreementsTouched = true;
});
els.phase.addEventListener("change", () => {
  // One length for every step; "different per step" opens the steps' own lengths.
  if (els.phase.value === PER_STEP) els.stepLengths.open = true;
  renderDurations();
});
for (const input of els.stepInputs) {
  input.addEventListener("input", () => {
    followSteps();
    renderDurations();
  });
}
els.useDefaults.addEventListener("click", useDefaults);
els.form.addEventListener("submit", create);
els.copyJoin.addEventListener("click", () => copyFrom(els.joinLink));
els.copyHost.addEventListener("click", () => copyFrom(els.hostLink));
els.again.addEventListener("click", () => {
  page.created = null;
  els.form.reset();
  page.languageTouched = false;
  page.agreementsTouched = false;
  const settings = storage.loadSettings();
  if (settings) offerSettings(settings);
  setLanguage(page.lang);
  show(els.viewCreated, false);
  show(els.viewCreate, true);
  document.body.dataset.screen = "create";
  els.title.focus();
});

const remembered = storage.loadSettings();
if (remembered) offerSettings(remembered);
setLanguage(guessLanguage());
