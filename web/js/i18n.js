// Every text Duo shows, one dictionary per language; pages look texts up by key.

export const LANGUAGES = Object.freeze(["nl", "en"]);
export const DEFAULT_LANGUAGE = "nl";

const nl = {
  "app.name": "Duo",
  "lang.switch": "Taal",
  "lang.nl": "Nederlands",
  "lang.en": "English",
  "lang.nl.short": "NL",
  "lang.en.short": "EN",

  // --- create page ---
  "create.pageTitle": "Duo — nieuwe sessie",
  "create.heading": "Duo",
  "create.tagline": "Zet je groep in duo’s en laat iedereen tegelijk een korte, getimede oefening doen.",
  "create.exercise": "De oefening",
  "create.step.tell": "Vertel een gelukkig/geraakt/gefrustreerd moment van afgelopen week",
  "create.step.silence": "Stil – ander bedenkt een vraag",
  "create.step.question": "Vraag",
  "create.step.answer": "Antwoord",
  "create.swap": "En dan andersom!",
  "create.formHeading": "Nieuwe sessie",
  "create.title": "Titel (niet verplicht)",
  "create.titlePlaceholder": "Intervisie team B",
  "create.language": "Taal van de sessie",
  "create.phase": "Duur van elke fase",
  "create.phaseHint": "Een duo doet 8 fases, een trio 12.",
  "create.seconds": "{n} seconden",
  "create.minute": "1 minuut",
  "create.minutes": "{n} minuten",
  "create.submit": "Sessie maken",
  "create.busy": "Bezig…",
  "create.created": "Je sessie staat klaar",
  "create.shareHeading": "Deel met de groep",
  "create.shareHint": "Zet de link in de chat van je videogesprek of laat de QR-code zien.",
  "create.code": "Code",
  "create.joinLink": "Link voor deelnemers",
  "create.qrAlt": "QR-code van de link voor deelnemers: {url}",
  "create.hostHeading": "Jouw host-link",
  "create.hostNote": "Houd deze link voor jezelf: wie hem heeft, bestuurt de sessie.",
  "create.hostLink": "Host-link",
  "create.openHost": "Open de host-pagina",
  "create.again": "Nog een sessie maken",
  "copy.copy": "Kopieer",
  "copy.copyJoin": "Kopieer de link voor deelnemers",
  "copy.copyHost": "Kopieer de host-link",
  "copy.done": "Gekopieerd",
  "copy.failed": "Kopiëren lukte niet; selecteer de tekst en kopieer hem zelf.",

  // --- shared states ---
  "conn.connecting": "Verbinden…",
  "conn.reconnecting": "Verbinding verbroken — opnieuw verbinden…",
  "conn.offline": "Geen internet — zodra het terug is, gaan we verder.",
  "gone.heading": "Deze sessie bestaat niet (meer)",
  "gone.text": "De link klopt niet of de sessie is verlopen. Vraag de host om een nieuwe link.",
  "error.generic": "Er ging iets mis: {detail}",
  "error.network": "Geen verbinding met Duo. Probeer het zo nog eens.",

  // --- participant ---
  "participant.pageTitle": "Duo — {title}",
  "join.heading": "Doe mee",
  "join.name": "Je naam",
  "join.nameHint": "Zo ziet je partner je. Dit apparaat onthoudt hem.",
  "join.submit": "Meedoen",
  "join.nameEmpty": "Vul je naam in.",
  "join.nameTooLong": "Je naam mag hoogstens 40 tekens zijn.",
  "lobby.waiting": "Wachten op de host…",
  "lobby.hint": "Als de breakout begint, zie je hier met wie je praat. Je hoeft niets te doen.",
  "lobby.you": "Je doet mee als {name}.",
  "lobby.count.one": "1 deelnemer",
  "lobby.count.many": "{n} deelnemers",
  "lobby.afterBreakout": "De breakout is klaar. Misschien start de host er nog een.",
  "lobby.lateJoin": "Er loopt al een breakout. In de volgende doe je mee.",
  "leave": "Verlaten",
  "leave.confirm": "Weet je het zeker? Je verlaat de sessie.",
  "leave.yes": "Ja, verlaten",
  "leave.no": "Blijven",
  "left.heading": "Je bent niet meer in deze sessie",
  "left.text": "Je bent vertrokken of de host heeft je verwijderd.",
  "left.rejoin": "Opnieuw meedoen",
  "sound.label": "Geluid bij elke nieuwe fase",

  "breakout.with": "Met {names}",
  "breakout.partner": "Je partner",
  "breakout.partners": "Je partners",
  "breakout.phaseOf": "Fase {n} van {total}",
  "breakout.paused": "Gepauzeerd",
  "breakout.pausedHint": "De host heeft de klok stilgezet.",
  "breakout.next": "Hierna",
  "breakout.nextDone": "Klaar",
  "breakout.swap": "En dan andersom!",
  "breakout.swapped": "Andersom!",
  "breakout.timeLeft": "Tijd over in deze fase",
  "breakout.rotation": "{name} vertelt",
  "breakout.rotationMe": "Jij vertelt",
  "done.heading": "Klaar — bedank de ander",
  "done.headingMany": "Klaar — bedank de anderen",
  "done.waiting": "De anderen zijn nog bezig, nog ongeveer {time}.",
  "done.waitingPaused": "De anderen zijn nog bezig; de klok staat even stil.",
  "done.finished": "De breakout is afgelopen. Wacht op de host.",

  // phase names, as on the slide
  "phase.tell": "Vertellen",
  "phase.silence": "Stil",
  "phase.question": "Vraag",
  "phase.answer": "Antwoord",

  // whose turn
  "turn.tell.me": "Jij vertelt",
  "turn.tell.other": "{name} vertelt",
  "turn.silence.me": "{names} bedenkt een vraag",
  "turn.silence.meMany": "{names} bedenken een vraag",
  "turn.silence.other": "Bedenk een vraag",
  "turn.question.me": "{names} stelt een vraag",
  "turn.question.meMany": "{names} stellen een vraag",
  "turn.question.other": "Stel je vraag",
  "turn.answer.me": "Jij antwoordt",
  "turn.answer.other": "{name} antwoordt",

  // instructions
  "do.tell.me": "Vertel een gelukkig/geraakt/gefrustreerd moment van afgelopen week.",
  "do.tell.other": "Luister écht. {name} vertelt een gelukkig/geraakt/gefrustreerd moment van afgelopen week.",
  "do.silence.me": "Stil – ander bedenkt een vraag. Wees oké met stiltes.",
  "do.silence.other": "Stil – bedenk een vraag over het verhaal van {name}.",
  "do.question.me": "Luister naar de vraag.",
  "do.question.other": "Stel {name} je vraag.",
  "do.answer.me": "Beantwoord de vraag.",
  "do.answer.other": "Luister naar het antwoord van {name}.",

  // next
  "next.tell.me": "Jij vertelt",
  "next.tell.other": "{name} vertelt",
  "next.silence": "Stil – bedenken van een vraag",
  "next.question": "Vraag",
  "next.answer": "Antwoord",

  "announce.phase": "Fase {n} van {total}: {phase}. {turn}.",
  "announce.done": "Klaar. Bedank de ander.",
  "announce.paused": "De klok staat stil.",
  "announce.resumed": "De klok loopt weer.",

  "names.and": "{a} en {b}",

  // --- host ---
  "host.pageTitle": "Duo host — {title}",
  "host.badge": "Host",
  "host.noToken.heading": "Deze host-link is niet compleet",
  "host.noToken.text": "Open de volledige host-link die je kreeg toen je de sessie maakte (met het deel na #).",
  "host.invite": "Uitnodigen",
  "host.participants": "Deelnemers",
  "host.onlineCount": "{online} van {total} online",
  "host.none": "Nog niemand. Deel de link of de code.",
  "host.online": "online",
  "host.offline": "offline",
  "host.lobbyHeading": "Breakout in duo’s",
  "host.start": "Start breakout",
  "host.startAnother": "Start nog een breakout",
  "host.startAnotherHint": "Iedereen krijgt een nieuwe partner waar dat kan.",
  "host.needTwo": "Er moeten minstens 2 deelnemers online zijn (nu {n}).",
  "host.breakoutN": "Breakout {n}",
  "host.status.running": "Loopt",
  "host.status.paused": "Gepauzeerd",
  "host.status.finished": "Afgelopen",
  "host.everyoneDone": "Iedereen klaar over ongeveer {time}",
  "host.pause": "Pauze",
  "host.resume": "Verder",
  "host.extend1": "+1 min",
  "host.extendLabel": "Extra tijd (seconden)",
  "host.extendSubmit": "Voeg toe",
  "host.skip": "Volgende fase",
  "host.end": "Beëindig breakout",
  "host.endConfirm": "De breakout stopt voor iedereen.",
  "host.endYes": "Ja, beëindig",
  "host.endNo": "Annuleer",
  "host.controls": "Bediening",
  "host.groups": "Groepen",
  "host.group": "Groep {n}",
  "host.groupDone": "Klaar",
  "host.turn.tell": "{name} vertelt",
  "host.turn.silence": "Stil – {names} bedenkt een vraag",
  "host.turn.silenceMany": "Stil – {names} bedenken een vraag",
  "host.turn.question": "{names} stelt een vraag",
  "host.turn.questionMany": "{names} stellen een vraag",
  "host.turn.answer": "{name} antwoordt",
  "host.teller": "vertelt nu",
  "host.finished": "De breakout is afgelopen.",
};

const en = {
  "app.name": "Duo",
  "lang.switch": "Language",
  "lang.nl": "Nederlands",
  "lang.en": "English",
  "lang.nl.short": "NL",
  "lang.en.short": "EN",

  "create.pageTitle": "Duo — new session",
  "create.heading": "Duo",
  "create.tagline": "Pair your group into duos and run a short, timed exercise for everyone at once.",
  "create.exercise": "The exercise",
  "create.step.tell": "Tell about a happy, moving or frustrating moment from the past week",
  "create.step.silence": "Silence – the other thinks of a question",
  "create.step.question": "Question",
  "create.step.answer": "Answer",
  "create.swap": "And then the other way round!",
  "create.formHeading": "New session",
  "create.title": "Title (optional)",
  "create.titlePlaceholder": "Peer group team B",
  "create.language": "Session language",
  "create.phase": "Length of each phase",
  "create.phaseHint": "A duo goes through 8 phases, a trio 12.",
  "create.seconds": "{n} seconds",
  "create.minute": "1 minute",
  "create.minutes": "{n} minutes",
  "create.submit": "Create session",
  "create.busy": "Working…",
  "create.created": "Your session is ready",
  "create.shareHeading": "Share with the group",
  "create.shareHint": "Paste the link into your video call’s chat or show the QR code.",
  "create.code": "Code",
  "create.joinLink": "Link for participants",
  "create.qrAlt": "QR code of the link for participants: {url}",
  "create.hostHeading": "Your host link",
  "create.hostNote": "Keep this link to yourself: whoever has it controls the session.",
  "create.hostLink": "Host link",
  "create.openHost": "Open the host page",
  "create.again": "Create another session",
  "copy.copy": "Copy",
  "copy.copyJoin": "Copy the link for participants",
  "copy.copyHost": "Copy the host link",
  "copy.done": "Copied",
  "copy.failed": "Copying did not work; select the text and copy it yourself.",

  "conn.connecting": "Connecting…",
  "conn.reconnecting": "Connection lost — reconnecting…",
  "conn.offline": "No internet — we carry on as soon as it is back.",
  "gone.heading": "This session does not exist or has expired",
  "gone.text": "The link is wrong or the session has expired. Ask the host for a new link.",
  "error.generic": "Something went wrong: {detail}",
  "error.network": "Cannot reach Duo. Please try again in a moment.",

  "participant.pageTitle": "Duo — {title}",
  "join.heading": "Join",
  "join.name": "Your name",
  "join.nameHint": "Your partner sees this. This device remembers it.",
  "join.submit": "Join",
  "join.nameEmpty": "Please fill in your name.",
  "join.nameTooLong": "Your name can be at most 40 characters.",
  "lobby.waiting": "Waiting for the host…",
  "lobby.hint": "When the breakout starts, you will see here who you talk with. Nothing to do until then.",
  "lobby.you": "You joined as {name}.",
  "lobby.count.one": "1 participant",
  "lobby.count.many": "{n} participants",
  "lobby.afterBreakout": "The breakout is over. The host may start another one.",
  "lobby.lateJoin": "A breakout is under way. You will join the next one.",
  "leave": "Leave",
  "leave.confirm": "Are you sure? You will leave the session.",
  "leave.yes": "Yes, leave",
  "leave.no": "Stay",
  "left.heading": "You are no longer in this session",
  "left.text": "You left, or the host removed you.",
  "left.rejoin": "Join again",
  "sound.label": "Sound at every new phase",

  "breakout.with": "With {names}",
  "breakout.partner": "Your partner",
  "breakout.partners": "Your partners",
  "breakout.phaseOf": "Phase {n} of {total}",
  "breakout.paused": "Paused",
  "breakout.pausedHint": "The host has stopped the clock.",
  "breakout.next": "Next",
  "breakout.nextDone": "Done",
  "breakout.swap": "And then the other way round!",
  "breakout.swapped": "Roles swapped!",
  "breakout.timeLeft": "Time left in this phase",
  "breakout.rotation": "{name} tells",
  "breakout.rotationMe": "You tell",
  "done.heading": "Done — thank the other",
  "done.headingMany": "Done — thank the others",
  "done.waiting": "Waiting for the others, about {time}.",
  "done.waitingPaused": "Waiting for the others; the clock is stopped for a moment.",
  "done.finished": "The breakout is over. Wait for the host.",

  "phase.tell": "Tell",
  "phase.silence": "Silence",
  "phase.question": "Question",
  "phase.answer": "Answer",

  "turn.tell.me": "You tell",
  "turn.tell.other": "{name} tells",
  "turn.silence.me": "{names} thinks of a question",
  "turn.silence.meMany": "{names} think of a question",
  "turn.silence.other": "Think of a question",
  "turn.question.me": "{names} asks a question",
  "turn.question.meMany": "{names} ask a question",
  "turn.question.other": "Ask your question",
  "turn.answer.me": "You answer",
  "turn.answer.other": "{name} answers",

  "do.tell.me": "Tell about a happy, moving or frustrating moment from the past week.",
  "do.tell.other": "Really listen. {name} tells about a happy, moving or frustrating moment from the past week.",
  "do.silence.me": "Silence – the other thinks of a question. Be OK with silences.",
  "do.silence.other": "Silence – think of a question about {name}’s story.",
  "do.question.me": "Listen to the question.",
  "do.question.other": "Ask {name} your question.",
  "do.answer.me": "Answer the question.",
  "do.answer.other": "Listen to {name}’s answer.",

  "next.tell.me": "You tell",
  "next.tell.other": "{name} tells",
  "next.silence": "Silence – thinking of a question",
  "next.question": "Question",
  "next.answer": "Answer",

  "announce.phase": "Phase {n} of {total}: {phase}. {turn}.",
  "announce.done": "Done. Thank the other.",
  "announce.paused": "The clock is stopped.",
  "announce.resumed": "The clock runs again.",

  "names.and": "{a} and {b}",

  "host.pageTitle": "Duo host — {title}",
  "host.badge": "Host",
  "host.noToken.heading": "This host link is incomplete",
  "host.noToken.text": "Open the full host link you got when you created the session (with the part after #).",
  "host.invite": "Invite",
  "host.participants": "Participants",
  "host.onlineCount": "{online} of {total} online",
  "host.none": "Nobody yet. Share the link or the code.",
  "host.online": "online",
  "host.offline": "offline",
  "host.lobbyHeading": "Breakout in duos",
  "host.start": "Start breakout",
  "host.startAnother": "Start another breakout",
  "host.startAnotherHint": "Everyone gets a new partner where possible.",
  "host.needTwo": "At least 2 participants must be online (now {n}).",
  "host.breakoutN": "Breakout {n}",
  "host.status.running": "Running",
  "host.status.paused": "Paused",
  "host.status.finished": "Finished",
  "host.everyoneDone": "Everyone done in about {time}",
  "host.pause": "Pause",
  "host.resume": "Resume",
  "host.extend1": "+1 min",
  "host.extendLabel": "Extra time (seconds)",
  "host.extendSubmit": "Add",
  "host.skip": "Next phase",
  "host.end": "End breakout",
  "host.endConfirm": "The breakout stops for everyone.",
  "host.endYes": "Yes, end it",
  "host.endNo": "Cancel",
  "host.controls": "Controls",
  "host.groups": "Groups",
  "host.group": "Group {n}",
  "host.groupDone": "Done",
  "host.turn.tell": "{name} tells",
  "host.turn.silence": "Silence – {names} thinks of a question",
  "host.turn.silenceMany": "Silence – {names} think of a question",
  "host.turn.question": "{names} asks a question",
  "host.turn.questionMany": "{names} ask a question",
  "host.turn.answer": "{name} answers",
  "host.teller": "telling now",
  "host.finished": "The breakout is over.",
};

export const MESSAGES = Object.freeze({ nl: Object.freeze(nl), en: Object.freeze(en) });

/** Return a supported language: `wanted` when Duo has it, else the default. */
export function pickLanguage(wanted) {
  return LANGUAGES.includes(wanted) ? wanted : DEFAULT_LANGUAGE;
}

/** Return the text for `key` in `lang` with `{name}` placeholders filled from `params`. */
export function t(lang, key, params = {}) {
  const dictionary = MESSAGES[pickLanguage(lang)];
  const text = dictionary[key];
  if (text === undefined) throw new Error(`Missing text ${key} for ${lang}.`);
  return text.replace(/\{(\w+)\}/g, (match, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : match,
  );
}

/** Return the names joined as a person would say them ("Anna", "Anna en Bram", "A, B en C"). */
export function joinNames(lang, names) {
  if (names.length === 0) return "";
  if (names.length === 1) return names[0];
  const head = names.slice(0, -1).join(", ");
  return t(lang, "names.and", { a: head, b: names[names.length - 1] });
}

/** Return how a phase length reads ("1 minuut", "45 seconds", "2 minutes"). */
export function durationText(lang, seconds) {
  if (seconds === 60) return t(lang, "create.minute");
  if (seconds % 60 === 0) return t(lang, "create.minutes", { n: seconds / 60 });
  return t(lang, "create.seconds", { n: seconds });
}

/** Fill every `[data-i18n]` element's text and every `[data-i18n-attr]` attribute under `root`. */
export function translate(root, lang) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(lang, el.dataset.i18n);
  }
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(",")) {
      const [attr, key] = pair.split(":").map((s) => s.trim());
      el.setAttribute(attr, t(lang, key));
    }
  }
  document.documentElement.lang = pickLanguage(lang);
}
