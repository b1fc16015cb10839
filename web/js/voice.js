// Saying the new task aloud at a phase change, with the browser's own speech synthesis: it
// runs on the device (nothing is sent anywhere) and speaks in the page's language, with a
// voice of that language or not at all.

const LOCALES = Object.freeze({ nl: "nl-NL", en: "en-GB" });

/** Return the speech synthesis of this browser, or null where it has none. */
function synthesis() {
  return typeof window.speechSynthesis === "object" && window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function"
    ? window.speechSynthesis
    : null;
}

/** Return the browser's voice for `lang` ("nl", "en"): its default one of that language, else any, else null. */
function voiceFor(lang) {
  const speech = synthesis();
  if (!speech) return null;
  const voices = speech.getVoices().filter((v) => String(v.lang).toLowerCase().replace("_", "-").split("-")[0] === lang);
  return voices.find((v) => v.default) || voices.find((v) => v.lang === LOCALES[lang]) || voices[0] || null;
}

/**
 * Return a speaker: `available(lang)` says whether it can speak `lang` ("ok", "noVoice" or
 * "unsupported"); `say(text, lang)` speaks `text` (a newer text cuts an older one off) when
 * on; `onVoices(callback)` is called when the browser's list of voices arrives or changes.
 */
export function createVoice() {
  let on = false;
  return {
    get on() {
      return on;
    },
    setOn(value) {
      on = value;
      if (!on && synthesis()) synthesis().cancel();
    },
    available(lang) {
      if (!synthesis()) return "unsupported";
      return voiceFor(lang) ? "ok" : "noVoice";
    },
    say(text, lang) {
      const speech = synthesis();
      const voice = voiceFor(lang);
      if (!on || !speech || !voice) return;
      const utterance = new window.SpeechSynthesisUtterance(text.replace(/[\u2066-\u2069]/g, ""));
      utterance.lang = voice.lang || LOCALES[lang];
      try {
        utterance.voice = voice;
      } catch {
        // Not a voice object of this browser's own: the language alone picks one.
      }
      speech.cancel();
      speech.speak(utterance);
    },
    onVoices(callback) {
      const speech = synthesis();
      if (speech && typeof speech.addEventListener === "function") speech.addEventListener("voiceschanged", callback);
    },
  };
}
