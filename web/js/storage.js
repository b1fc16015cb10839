// What a device remembers: per session the participant's credentials, the host token, the
// language and the host messages dismissed; across sessions the last name used and whether
// sound is muted and whether phase changes are spoken.

const KEY = Object.freeze({
  participant: (code) => `duo.participant.${code}`,
  host: (code) => `duo.host.${code}`,
  language: (code) => `duo.lang.${code}`,
  dismissed: (code) => `duo.dismissed.${code}`,
  uiLanguage: "duo.lang",
  name: "duo.name",
  muted: "duo.muted",
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
