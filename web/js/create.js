// The host's start page /: create a session, then share the join link, code and QR code.

import * as api from "./api.js";
import { pongSample, timeOfDayMs } from "./clock.js";
import { copyText, show } from "./dom.js";
import { durationText, pickLanguage, t, translate } from "./i18n.js";
import { errorText, findElements, renderError, renderLanguage } from "./page-ui.js";
import * as storage from "./storage.js";

const SELECTORS = Object.freeze({
  langButtons: ".lang-button",
  viewCreate: "#view-create",
  viewCreated: "#view-created",
  form: "#create-form",
  title: "#title",
  phase: "#phase",
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

const els = findElements(SELECTORS, ["stepTimes"]);

const page = { lang: pickLanguage(null), languageTouched: false, agreementsTouched: false, created: null };

function guessLanguage() {
  const stored = storage.loadLanguage(null);
  if (stored) return stored;
  return (navigator.language || "").toLowerCase().startsWith("en") ? "en" : "nl";
}

function renderDurations() {
  for (const option of els.phase.options) option.textContent = durationText(page.lang, Number(option.value));
  const chosen = durationText(page.lang, Number(els.phase.value));
  for (const el of els.stepTimes) el.textContent = chosen;
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

/** Return the planned end as server time, from "HH:MM" today on the server's clock; null when none. */
async function plannedEndMs() {
  const value = els.plannedEnd.value;
  if (!value) return null;
  const sent = Date.now();
  const { server_ms: serverMs } = await api.getTime();
  const { offset } = pongSample(sent, serverMs, Date.now());
  return timeOfDayMs(value, Date.now() + offset);
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
    const fields = {
      title: els.title.value.trim(),
      language: sessionLanguage(),
      phase_seconds: Number(els.phase.value),
      agreements: els.agreements.value.trim(),
    };
    const plannedEnd = await plannedEndMs();
    if (plannedEnd !== null) fields.planned_end_ms = plannedEnd;
    const created = await api.createSession(fields);
    storage.saveHostToken(created.code, created.host_token);
    showCreated(created);
  } catch (error) {
    renderError(els.error, errorText(page.lang, error));
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
for (const radio of els.form.elements.language) radio.addEventListener("change", () => {
  page.languageTouched = true;
  fillAgreements();
});
els.agreements.addEventListener("input", () => {
  page.agreementsTouched = true;
});
els.phase.addEventListener("change", renderDurations);
els.form.addEventListener("submit", create);
els.copyJoin.addEventListener("click", () => copyFrom(els.joinLink));
els.copyHost.addEventListener("click", () => copyFrom(els.hostLink));
els.again.addEventListener("click", () => {
  page.created = null;
  els.form.reset();
  page.languageTouched = false;
  page.agreementsTouched = false;
  setLanguage(page.lang);
  show(els.viewCreated, false);
  show(els.viewCreate, true);
  document.body.dataset.screen = "create";
  els.title.focus();
});

setLanguage(guessLanguage());
