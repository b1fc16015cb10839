// What a device remembers: per session the participant's credentials, the host token, the
// language and the host messages dismissed; across sessions the last name used, whether
// sound is muted, whether phase changes are spoken and the host's last settings.

const KEY = Object.freeze({
  participant: (code) => `duo.participant.${code}`,
  host: (code) => `duo.host.${code}`,
  language: (code) => `duo.lang.${code}`,
  dismissed: (code) => `duo.dismissed.${code}`,
  settings: "duo.settings",
  uiLanguage: "duo.lang",
  name: "duo.name",
  muted: "duo.muted",
  hostMuted: "duo.host.muted",
  voice: "duo.voice",
});

function read(key) {
  try {
    const raw = window.localStorage.getItem(key);
    return raw === null ? null : JSON.parse(raw);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full disk: the page still works, it just forgets.
  }
}

/** Return `{id, token, name}` remembered for session `code`, or null. */
export function loadParticipant(code) {
  const value = read(KEY.participant(code));
  return value && value.id && value.token ? value : null;
}
export const saveParticipant = (code, value) => write(KEY.participant(code), value);
export const forgetParticipant = (code) => write(KEY.participant(code), null);

export const loadHostToken = (code) => read(KEY.host(code));
export const saveHostToken = (code, token) => write(KEY.host(code), token);
export const forgetHostToken = (code) => write(KEY.host(code), null);

export const loadLanguage = (code) => read(code ? KEY.language(code) : KEY.uiLanguage);
export const saveLanguage = (code, lang) => write(code ? KEY.language(code) : KEY.uiLanguage, lang);

export const loadName = () => read(KEY.name) || "";
export const saveName = (name) => write(KEY.name, name);

export const loadMuted = () => read(KEY.muted) === true;
export const saveMuted = (muted) => write(KEY.muted, muted);

/** Whether the host page's sound for a call for help is off on this device. */
export const loadHostMuted = () => read(KEY.hostMuted) === true;
export const saveHostMuted = (muted) => write(KEY.hostMuted, muted);

export const loadVoice = () => read(KEY.voice) === true;
export const saveVoice = (on) => write(KEY.voice, on);

/** The state keeps the newest five messages: remembering a few more dismissals is plenty. */
const DISMISSED_KEPT = 20;

/** Return the ids of the host messages dismissed on this device for session `code`. */
export function loadDismissed(code) {
  const value = read(KEY.dismissed(code));
  return Array.isArray(value) ? value : [];
}

/** Remember that message `id` of session `code` was dismissed on this device. */
export function dismissMessage(code, id) {
  const ids = loadDismissed(code).filter((known) => known !== id);
  write(KEY.dismissed(code), [...ids, id].slice(-DISMISSED_KEPT));
}

/** Return the host's settings of the last session made on this device (language, lengths, agreements, planned minutes), or null. No names: no title. */
export function loadSettings() {
  const value = read(KEY.settings);
  return value && typeof value === "object" ? value : null;
}
export const saveSettings = (settings) => write(KEY.settings, settings);
export const forgetSettings = () => write(KEY.settings, null);

/** Call `callback(lang)` when another page of this device chooses a language for session `code`. */
export function onLanguageChange(code, callback) {
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY.language(code) || event.newValue === null) return;
    try {
      callback(JSON.parse(event.newValue));
    } catch {
      // Not ours to read: ignore it.
    }
  });
}
