// Signals for a phone on the table: a short chime (Web Audio, unlocked by the first tap) and a
// softer one for a phase's last seconds,
// a vibration where the device allows it, and the Screen Wake Lock during a breakout.

const UNLOCK_EVENTS = Object.freeze(["pointerdown", "keydown", "touchend"]);

/** Return a chime player; sound starts working after the first tap or key press on the page. */
export function createChime() {
  let context = null;
  let muted = false;

  const unlock = () => {
    const AudioContext = window.AudioContext || window.webkitAudioContext;
    if (!AudioContext) return;
    if (!context) context = new AudioContext();
    if (context.state === "suspended") context.resume().catch(() => {});
  };
  for (const type of UNLOCK_EVENTS) window.addEventListener(type, unlock, { capture: true, passive: true });

  function tone(frequency, startAt, duration) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = "sine";
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, startAt);
    gain.gain.exponentialRampToValueAtTime(0.25, startAt + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, startAt + duration);
    osc.connect(gain).connect(context.destination);
    osc.start(startAt);
    osc.stop(startAt + duration + 0.05);
  }

  return {
    setMuted(value) {
      muted = value;
    },
    get muted() {
      return muted;
    },
    /** Play one soft low note (the last seconds of a phase) unless muted or not yet unlocked. */
    soft() {
      if (muted || !context || context.state !== "running") return;
      tone(523, context.currentTime + 0.01, 0.5);
    },
    /** Play two short falling notes, a call for attention (a group asks for help), unless muted or not yet unlocked. */
    call() {
      if (muted || !context || context.state !== "running") return;
      const now = context.currentTime + 0.01;
      tone(988, now, 0.18);
      tone(740, now + 0.16, 0.3);
    },
    /** Play two soft rising notes (three for the end) unless muted or not yet unlocked. */
    play(final = false) {
      if (muted || !context || context.state !== "running") return;
      const now = context.currentTime + 0.01;
      tone(660, now, 0.35);
      tone(880, now + 0.18, 0.45);
      if (final) tone(1320, now + 0.36, 0.6);
    },
  };
}

/** Vibrate briefly where the device allows it (never throws). */
export function buzz(pattern = [120, 80, 120]) {
  try {
    if (navigator.vibrate) navigator.vibrate(pattern);
  } catch {
    // Not allowed here (e.g. before the first tap): the chime and the screen still tell.
  }
}

/** Return a keeper of the Screen Wake Lock: `want(true)` holds it (re-acquired when the page is shown again). */
export function createWakeLock() {
  let wanted = false;
  let sentinel = null;

  async function acquire() {
    if (!wanted || sentinel || !("wakeLock" in navigator) || document.visibilityState !== "visible") return;
    try {
      sentinel = await navigator.wakeLock.request("screen");
      sentinel.addEventListener("release", () => {
        sentinel = null;
      });
    } catch {
      sentinel = null;
    }
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") acquire();
  });

  return {
    want(value) {
      if (value === wanted) return;
      wanted = value;
      if (wanted) acquire();
      else if (sentinel) {
        sentinel.release().catch(() => {});
        sentinel = null;
      }
    },
  };
}
