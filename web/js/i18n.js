// Every text Duo shows, one dictionary per language; pages look texts up by key.

import { Activity, CHECKIN_QUESTIONS, CHECKOUT_QUESTIONS, LANGUAGES } from "./events.js";

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
  "lobby.lateJoin": "Er loopt al een breakout. Je doet mee in de volgende — of de host voegt je nu nog toe aan een duo.",
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
  "host.linkRefused": "Deze host-link klopt niet. Kijk of je hem helemaal hebt gekopieerd.",
  "host.linkRefused.kept": "Deze host-link klopt niet. Je gaat verder met de host-link die al op dit apparaat stond.",
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
  "host.finished": "De breakout is afgelopen.",

  // --- the meeting around the breakout ---
  "create.agreements": "Afspraken voor de groep",
  "create.agreementsHint": "Iedereen leest en bevestigt ze voordat de lobby opengaat. Laat je het leeg, dan slaan deelnemers deze stap over.",
  "create.plannedEnd": "Gepland einde (niet verplicht)",
  "create.plannedEndHint": "Vandaag. De host-pagina laat zien of je uitloopt.",
  "create.stepLengths": "Duur per stap (niet verplicht)",
  "create.stepLengthsHint": "In seconden, van 10 tot 600. Zo kun je het vertellen bijvoorbeeld meer tijd geven.",
  "create.stepInvalid": "Kies voor elke stap 10 tot 600 seconden.",
  "create.remembered": "Je instellingen van de vorige keer staan al ingevuld.",
  "create.useDefaults": "Standaardinstellingen",
  "agreements.default": "Wat hier gezegd wordt, blijft hier.\nSpreek vanuit jezelf en praat positief.\nStiltes zijn oké.",
  "agreements.eyebrow": "Voordat we beginnen",
  "agreements.heading": "Onze afspraken",
  "agreements.confirm": "Ik ga akkoord",
  "agreements.hint": "Daarna wacht je in de lobby tot de host begint.",

  "now.label": "Nu",
  "activity.lobby": "Lobby",
  "activity.checkin": "Check-in",
  "activity.breakout": "Breakout",
  "activity.break": "Pauze",
  "activity.checkout": "Check-out",

  "question.checkin.looking_forward": "Waar kijk je vandaag naar uit?",
  "question.checkin.dread": "Waar zie je tegenop?",
  "question.checkin.proud": "Waar ben je trots op?",
  "question.checkin.grateful": "Waar ben je dankbaar voor?",
  "question.checkin.laughed": "Waar heb je hard om moeten lachen deze week?",
  "question.checkout.thought": "Met welke gedachte/vraag/opmerking ga je weg?",
  "question.checkout.take_away": "Wat neem je mee?",
  "question.checkout.feeling": "Met welk gevoel verlaat je de sessie?",
  "question.custom": "Eigen vraag…",

  "round.kind.checkin": "Check-in",
  "round.kind.checkout": "Check-out",
  "round.host": "De host",
  "round.you": "jij",
  "round.yourTurn": "Jouw beurt",
  "round.youreNext": "Jij bent hierna",
  "round.speaking": "{name} is aan het woord",
  "round.laterOne": "Na nog 1 spreker ben jij aan de beurt.",
  "round.laterMany": "Na nog {n} sprekers ben jij aan de beurt.",
  "round.spoken": "Je hebt je beurt gehad.",
  "round.notShown": "Je komt later aan de beurt.",
  "round.listen": "Luister écht.",
  "round.order": "Volgorde",
  "round.turnOf": "Beurt {n} van {total}",
  "round.timeLeft": "Spreektijd over",
  "round.timeUp": "De tijd is om — rond rustig af.",
  "round.speakingTag": "aan het woord",
  "round.nextTag": "hierna",
  "round.more": "en nog {n}",

  "message.from": "Bericht van de host",
  "message.dismiss": "Sluiten",

  "breakout.partnerDropped": "{names} is weggevallen. Even geduld; de host ziet het.",
  "breakout.partnersDropped": "{names} zijn weggevallen. Even geduld; de host ziet het.",
  "breakout.partnerBack": "{names} is terug.",
  "breakout.partnerLeft": "{names} heeft de sessie verlaten.",
  "breakout.partnersLeft": "{names} hebben de sessie verlaten.",
  "breakout.leftTag": "vertrokken",
  "alone.text": "De host kan je bij een ander duo zetten.",
  "alone.waiting": "Gebeurt dat niet, dan is de breakout over ongeveer {time} afgelopen.",
  "starting.heading": "Jullie beginnen bij de volgende fase",
  "starting.timeLeft": "Begint over",
  "starting.hint": "Blijf erbij: zodra de fase wisselt, zie je hier wie er vertelt.",

  "break.heading": "Pauze",
  "break.until": "We gaan verder om {time}.",
  "break.timeLeft": "Pauze nog",
  "break.energizer": "Energizer",
  "break.rest": "Sta even op, drink wat, kijk weg van je scherm.",
  "energizer.colour_race": "De kleurenrace",
  "energizer.colour_race.text": "De host noemt een kleur; iedereen haalt zo snel mogelijk iets in die kleur voor de camera.",
  "energizer.yoga": "5-minuten-yoga",
  "energizer.yoga.text": "Vijf minuten rustig rekken en diep ademhalen, ieder voor zich.",
  "energizer.pictionary": "Pictionary",
  "energizer.pictionary.text": "Eén persoon tekent een woord, de anderen raden; wie het raadt, tekent daarna.",

  "announce.yourTurn": "Jouw beurt. {question}",
  "announce.youreNext": "{name} is aan het woord. Jij bent hierna.",
  "announce.speaking": "{name} is aan het woord.",
  "announce.break": "Pauze tot {time}.",
  "announce.message": "Bericht van de host: {text}",
  "announce.starting": "Jullie beginnen bij de volgende fase.",

  "duration.minutesShort": "{m} min",
  "duration.hoursMinutes": "{h} u {m} min",

  "host.agenda": "Agenda",
  "host.agenda.now": "nu",
  "host.agenda.lobby": "Nu: lobby — tussen twee stappen in.",
  "host.agenda.agreed": "{n} van {total} akkoord",
  "agenda.agreements": "Afspraken",
  "agenda.checkin": "Check-in",
  "agenda.breakout": "Breakout",
  "agenda.break": "Pauze",
  "agenda.checkout": "Check-out",
  "host.meeting.elapsed": "Bezig",
  "host.meeting.plannedEnd": "Gepland einde",
  "host.meeting.projectedEnd": "Verwacht einde",
  "host.meeting.overrun": "Je loopt ongeveer {n} min uit op de planning.",
  "host.meeting.suggestBreak": "Al {time} zonder pauze. Tijd voor een korte break: ieder uur even pauze.",
  "host.reading": "leest de afspraken",

  "host.round.heading": "Check-in en check-out",
  "host.round.kind": "Soort ronde",
  "host.round.question": "Vraag",
  "host.round.custom": "Jouw vraag",
  "host.round.seconds": "Spreektijd per persoon",
  "host.round.noLimit": "Geen tijdslimiet",
  "host.round.start.checkin": "Start de check-in",
  "host.round.start.checkout": "Start de check-out",
  "host.round.hint": "Jij begint, daarna iedereen die online is in willekeurige volgorde. Wie later komt, sluit achteraan aan.",
  "host.round.next": "Volgende spreker",
  "host.round.finish": "Rond af",
  "host.round.end": "Beëindig ronde",
  "host.round.customEmpty": "Schrijf eerst een vraag.",
  "host.round.now": "Nu aan het woord",

  "host.message.heading": "Bericht aan iedereen",
  "host.message.label": "Korte tekst",
  "host.message.counter": "{n} van 280 tekens",
  "host.message.send": "Verstuur",
  "host.message.sent": "Verstuurd.",
  "host.message.empty": "Schrijf eerst een bericht.",

  "host.waiting.heading": "Later binnengekomen",
  "host.waiting.hint": "Voeg iemand toe aan een duo (dat wordt een trio) of maak een nieuw duo; dat begint bij de volgende fase.",
  "host.waiting.where": "Waar gaat {name} heen?",
  "host.waiting.toGroup": "Bij groep {n}: {names}",
  "host.waiting.newDuo": "Nieuw duo met {name}",
  "host.waiting.place": "Plaats",
  "host.waiting.none": "Geen plek vrij; {name} doet mee in de volgende breakout.",
  "host.group.broken": "Verbroken: {names} offline",
  "host.left": "vertrokken",
  "host.someone": "Iemand",
  "host.group.starts": "Begint bij de volgende fase",

  "host.break.heading": "Pauze",
  "host.break.minutes": "Minuten",
  "host.break.energizer": "Energizer (niet verplicht)",
  "host.break.noEnergizer": "Geen",
  "host.break.start": "Start pauze",
  "host.break.end": "Beëindig pauze nu",
  "host.break.until": "Tot {time}",

  // --- the host's flow: now, next, one activity at a time ---
  "host.nowHeading": "Nu: {activity}",
  "host.now.lobby": "Er loopt nu niets. Start hieronder de volgende stap.",
  "host.next.heading": "Volgende stap",
  "host.next.afterThis": "Als dit klaar is",
  "host.next.checkin": "Check-in",
  "host.next.checkin.text": "Begin met verbinden: iedereen komt aan bod, jij eerst.",
  "host.next.breakout": "Breakout in duo’s",
  "host.next.breakout.text": "Iedereen krijgt een partner voor de oefening.",
  "host.next.break": "Pauze",
  "host.next.break.text": "Even weg van het scherm, eventueel met een energizer.",
  "host.next.checkout": "Check-out",
  "host.next.checkout.text": "Sluit af: met welke gedachte of welk gevoel gaat iedereen weg?",
  "host.next.end": "Afronden",
  "host.next.end.text": "Alles is gedaan. Bedank de groep.",
  "host.next.go": "Klaarzetten",
  "host.blocked.checkin": "Er loopt een check-in; rond die eerst af.",
  "host.blocked.checkout": "Er loopt een check-out; rond die eerst af.",
  "host.blocked.breakout": "Er loopt een breakout; beëindig die eerst.",
  "host.blocked.break": "Het is pauze; beëindig de pauze eerst.",
  "host.after.checkin": "na de check-in",
  "host.after.checkout": "na de check-out",
  "host.after.breakout": "na de breakout",
  "host.after.break": "na de pauze",
  "host.conflict": "Dat kan nu niet. {reason}",
  "host.role.tell": "vertelt",
  "host.role.listen": "luistert",
  "host.role.silent": "stil",
  "host.role.think": "bedenkt een vraag",
  "host.role.ask": "vraagt",
  "host.role.answer": "antwoordt",
  "host.timeLeft": "Nog ongeveer {n} min, klaar om {time}",
  "host.timeLeftUnder": "Nog minder dan een minuut, klaar om {time}",
  "host.timeLeftPaused": "Nog ongeveer {n} min zodra de klok weer loopt",
  "host.moreTime": "Meer tijd",
  "host.message.sentHeading": "Verstuurde berichten",
  "host.message.strip": "Bericht van {time}: {text}",
  "host.present": "Scherm delen",
  "host.present.newTab": "(opent in een nieuw tabblad)",
  "host.present.hint": "Een scherm om te delen in je videogesprek: de code, de klok en wie er aan het woord is.",

  // --- the presenter's screen ---
  "present.pageTitle": "Duo scherm — {title}",
  "present.welcome": "Welkom",
  "present.join": "Doe mee op je telefoon",
  "present.code": "Code",
  "present.orGo": "Scan de QR-code of ga naar",
  "present.joined.none": "Nog niemand binnen",
  "present.joined.one": "1 deelnemer binnen",
  "present.joined.many": "{n} deelnemers binnen",
  "present.more": "en nog {n}",
  "present.speaking": "Aan het woord",
  "present.next": "Hierna",
  "present.order": "Volgorde",
  "present.round": "Ronde {n} van {total}",
  "present.thenSwap": "en dan andersom",
  "present.swapped": "andersom",
  "present.steps": "De oefening",
  "present.groups": "Groepen",
  "present.groupsMore": "en nog {n} groepen",
  "present.paused": "De klok staat even stil",
  "present.timeLeft": "Tijd over in deze stap",
  "present.breakTimeLeft": "Pauze nog",
  "present.thanks": "Dank jullie wel!",
  "present.takeAway": "Neem deze vraag mee:",
  "present.qrAlt": "QR-code om mee te doen: {url}",
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
  "lobby.lateJoin": "A breakout is under way. You'll join the next breakout — or the host adds you to a duo now.",
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
  "host.linkRefused": "That host link doesn't work. Check that you copied all of it.",
  "host.linkRefused.kept": "That host link doesn't work. You're carrying on with the host link this device already had.",
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
  "host.finished": "The breakout is over.",

  "create.agreements": "Agreements for the group",
  "create.agreementsHint": "Everyone reads and confirms them before the lobby opens. Leave it empty and participants skip this step.",
  "create.plannedEnd": "Planned end (optional)",
  "create.plannedEndHint": "Today. The host page shows whether you run over.",
  "create.stepLengths": "Length per step (optional)",
  "create.stepLengthsHint": "In seconds, from 10 to 600. Give telling more time, for example.",
  "create.stepInvalid": "Choose 10 to 600 seconds for each step.",
  "create.remembered": "Your settings from last time are filled in.",
  "create.useDefaults": "Use the defaults",
  "agreements.default": "What is said here stays here.\nSpeak from yourself, and positively.\nSilences are fine.",
  "agreements.eyebrow": "Before we start",
  "agreements.heading": "Our agreements",
  "agreements.confirm": "I agree",
  "agreements.hint": "Then you wait in the lobby until the host starts.",

  "now.label": "Now",
  "activity.lobby": "Lobby",
  "activity.checkin": "Check-in",
  "activity.breakout": "Breakout",
  "activity.break": "Break",
  "activity.checkout": "Check-out",

  "question.checkin.looking_forward": "What are you looking forward to today?",
  "question.checkin.dread": "What do you dread?",
  "question.checkin.proud": "What are you proud of?",
  "question.checkin.grateful": "What are you grateful for?",
  "question.checkin.laughed": "What made you laugh hard this week?",
  "question.checkout.thought": "With which thought, question or remark do you leave?",
  "question.checkout.take_away": "What do you take with you?",
  "question.checkout.feeling": "With which feeling do you leave the session?",
  "question.custom": "Your own question…",

  "round.kind.checkin": "Check-in",
  "round.kind.checkout": "Check-out",
  "round.host": "The host",
  "round.you": "you",
  "round.yourTurn": "Your turn",
  "round.youreNext": "You're next",
  "round.speaking": "{name} is speaking",
  "round.laterOne": "Your turn comes after 1 more speaker.",
  "round.laterMany": "Your turn comes after {n} more speakers.",
  "round.spoken": "You have had your turn.",
  "round.notShown": "Your turn comes later.",
  "round.listen": "Really listen.",
  "round.order": "Order",
  "round.turnOf": "Turn {n} of {total}",
  "round.timeLeft": "Speaking time left",
  "round.timeUp": "Time is up — round off calmly.",
  "round.speakingTag": "speaking",
  "round.nextTag": "next",
  "round.more": "and {n} more",

  "message.from": "Message from the host",
  "message.dismiss": "Dismiss",

  "breakout.partnerDropped": "{names} dropped out. Hang on; the host can see it.",
  "breakout.partnersDropped": "{names} dropped out. Hang on; the host can see it.",
  "breakout.partnerBack": "{names} is back.",
  "breakout.partnerLeft": "{names} has left the session.",
  "breakout.partnersLeft": "{names} have left the session.",
  "breakout.leftTag": "left",
  "alone.text": "The host can put you with another duo.",
  "alone.waiting": "If not, the breakout ends in about {time}.",
  "starting.heading": "You start at the next phase",
  "starting.timeLeft": "Starts in",
  "starting.hint": "Stay here: when the phase changes you will see who tells.",

  "break.heading": "Break",
  "break.until": "We continue at {time}.",
  "break.timeLeft": "Break time left",
  "break.energizer": "Energizer",
  "break.rest": "Stand up, have a drink, look away from your screen.",
  "energizer.colour_race": "The colour race",
  "energizer.colour_race.text": "The host calls out a colour; everyone fetches something of that colour and shows it on camera, fast.",
  "energizer.yoga": "5-minute yoga",
  "energizer.yoga.text": "Five minutes of gentle stretching and deep breathing, each on their own.",
  "energizer.pictionary": "Pictionary",
  "energizer.pictionary.text": "One person draws a word, the others guess; whoever guesses it draws next.",

  "announce.yourTurn": "Your turn. {question}",
  "announce.youreNext": "{name} is speaking. You're next.",
  "announce.speaking": "{name} is speaking.",
  "announce.break": "Break until {time}.",
  "announce.message": "Message from the host: {text}",
  "announce.starting": "You start at the next phase.",

  "duration.minutesShort": "{m} min",
  "duration.hoursMinutes": "{h} h {m} min",

  "host.agenda": "Agenda",
  "host.agenda.now": "now",
  "host.agenda.lobby": "Now: lobby — between two steps.",
  "host.agenda.agreed": "{n} of {total} agreed",
  "agenda.agreements": "Agreements",
  "agenda.checkin": "Check-in",
  "agenda.breakout": "Breakout",
  "agenda.break": "Break",
  "agenda.checkout": "Check-out",
  "host.meeting.elapsed": "Running for",
  "host.meeting.plannedEnd": "Planned end",
  "host.meeting.projectedEnd": "Projected end",
  "host.meeting.overrun": "You are running about {n} min over the plan.",
  "host.meeting.suggestBreak": "{time} without a break. Time for a short one: a break every hour.",
  "host.reading": "reading the agreements",

  "host.round.heading": "Check-in and check-out",
  "host.round.kind": "Kind of round",
  "host.round.question": "Question",
  "host.round.custom": "Your question",
  "host.round.seconds": "Speaking time per person",
  "host.round.noLimit": "No time limit",
  "host.round.start.checkin": "Start the check-in",
  "host.round.start.checkout": "Start the check-out",
  "host.round.hint": "You go first, then everyone online in a random order. Whoever arrives later joins at the end.",
  "host.round.next": "Next speaker",
  "host.round.finish": "Finish round",
  "host.round.end": "End round",
  "host.round.customEmpty": "Write a question first.",
  "host.round.now": "Speaking now",

  "host.message.heading": "Message to everyone",
  "host.message.label": "Short text",
  "host.message.counter": "{n} of 280 characters",
  "host.message.send": "Send",
  "host.message.sent": "Sent.",
  "host.message.empty": "Write a message first.",

  "host.waiting.heading": "Arrived later",
  "host.waiting.hint": "Add someone to a duo (it becomes a trio) or make a new duo; it starts at the next phase.",
  "host.waiting.where": "Where does {name} go?",
  "host.waiting.toGroup": "To group {n}: {names}",
  "host.waiting.newDuo": "New duo with {name}",
  "host.waiting.place": "Place",
  "host.waiting.none": "No room; {name} joins the next breakout.",
  "host.group.broken": "Broken: {names} offline",
  "host.left": "left",
  "host.someone": "Someone",
  "host.group.starts": "Starts at the next phase",

  "host.break.heading": "Break",
  "host.break.minutes": "Minutes",
  "host.break.energizer": "Energizer (optional)",
  "host.break.noEnergizer": "None",
  "host.break.start": "Start break",
  "host.break.end": "End break now",
  "host.break.until": "Until {time}",

  "host.nowHeading": "Now: {activity}",
  "host.now.lobby": "Nothing is running right now. Start the next step below.",
  "host.next.heading": "Next step",
  "host.next.afterThis": "When this is over",
  "host.next.checkin": "Check-in",
  "host.next.checkin.text": "Start by connecting: everyone gets a turn, you go first.",
  "host.next.breakout": "Breakout in duos",
  "host.next.breakout.text": "Everyone gets a partner for the exercise.",
  "host.next.break": "Break",
  "host.next.break.text": "Time away from the screen, with an energizer if you like.",
  "host.next.checkout": "Check-out",
  "host.next.checkout.text": "Close the session: with which thought or feeling does everyone leave?",
  "host.next.end": "Wrap up",
  "host.next.end.text": "Everything is done. Thank the group.",
  "host.next.go": "Get it ready",
  "host.blocked.checkin": "A check-in is going; end it first.",
  "host.blocked.checkout": "A check-out is going; end it first.",
  "host.blocked.breakout": "A breakout is running; end it first.",
  "host.blocked.break": "A break is going; end it first.",
  "host.after.checkin": "after the check-in",
  "host.after.checkout": "after the check-out",
  "host.after.breakout": "after the breakout",
  "host.after.break": "after the break",
  "host.conflict": "That's not possible right now. {reason}",
  "host.role.tell": "tells",
  "host.role.listen": "listens",
  "host.role.silent": "silent",
  "host.role.think": "thinks of a question",
  "host.role.ask": "asks",
  "host.role.answer": "answers",
  "host.timeLeft": "About {n} min left, done at {time}",
  "host.timeLeftUnder": "Less than a minute left, done at {time}",
  "host.timeLeftPaused": "About {n} min left once the clock runs again",
  "host.moreTime": "More time",
  "host.message.sentHeading": "Sent messages",
  "host.message.strip": "Message from {time}: {text}",
  "host.present": "Share this screen",
  "host.present.newTab": "(opens in a new tab)",
  "host.present.hint": "A screen to share in your video call: the code, the clock and who's speaking.",

  "present.pageTitle": "Duo screen — {title}",
  "present.welcome": "Welcome",
  "present.join": "Join on your phone",
  "present.code": "Code",
  "present.orGo": "Scan the QR code or go to",
  "present.joined.none": "Nobody here yet",
  "present.joined.one": "1 participant here",
  "present.joined.many": "{n} participants here",
  "present.more": "and {n} more",
  "present.speaking": "Speaking now",
  "present.next": "Next",
  "present.order": "Order",
  "present.round": "Round {n} of {total}",
  "present.thenSwap": "and then the other way round",
  "present.swapped": "the other way round",
  "present.steps": "The exercise",
  "present.groups": "Groups",
  "present.groupsMore": "and {n} more groups",
  "present.paused": "The clock is stopped for a moment",
  "present.timeLeft": "Time left in this step",
  "present.breakTimeLeft": "Break time left",
  "present.thanks": "Thank you all!",
  "present.takeAway": "A question to take with you:",
  "present.qrAlt": "QR code to join: {url}",
};

const MESSAGES = Object.freeze({ nl: Object.freeze(nl), en: Object.freeze(en) });

/** Return a supported language: `wanted` when Duo has it, else the default. */
export function pickLanguage(wanted) {
  return LANGUAGES.includes(wanted) ? wanted : DEFAULT_LANGUAGE;
}

/** Parameters that carry what people typed (names, the title, a message, a question): each is isolated in the sentence. */
const TYPED_PARAMS = new Set(["name", "names", "title", "text", "question"]);

/** The bidi isolate controls: FIRST STRONG, LEFT-TO-RIGHT and RIGHT-TO-LEFT ISOLATE, and POP DIRECTIONAL ISOLATE. */
export const FSI = "\u2068";
export const PDI = "\u2069";
const ISOLATE_CONTROLS = /[\u2066-\u2069]/g;

/** Return true when `text` is one isolate from its first character to its last. */
function isIsolated(text) {
  if (!/^[\u2066-\u2068]/.test(text) || !text.endsWith(PDI)) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch >= "\u2066" && ch <= "\u2068") depth += 1;
    else if (ch === PDI) depth -= 1;
    if (depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}

/** Return `text` as a bidi isolate (FSI … PDI), so its direction cannot turn the sentence around it; already one: as it is. */
export function isolate(text) {
  const value = String(text);
  return isIsolated(value) ? value : `${FSI}${value}${PDI}`;
}

/** Return a name as typed, isolated: its own isolate controls dropped first, so it cannot close the isolate early. */
export function isolateName(name) {
  return isolate(`${FSI}${String(name).replace(ISOLATE_CONTROLS, "")}${PDI}`);
}

/** Return the text for `key` in `lang` with `{name}` placeholders filled from `params`; what people typed is isolated. */
export function t(lang, key, params = {}) {
  const dictionary = MESSAGES[pickLanguage(lang)];
  const text = dictionary[key];
  if (text === undefined) throw new Error(`Missing text ${key} for ${lang}.`);
  return text.replace(/\{(\w+)\}/g, (match, name) => {
    if (!Object.hasOwn(params, name)) return match;
    return TYPED_PARAMS.has(name) ? isolate(params[name]) : String(params[name]);
  });
}

/** Return the names joined as a person would say them ("Anna", "Anna en Bram", "A, B en C"), each isolated. */
export function joinNames(lang, names) {
  const isolated = names.map(isolate);
  if (isolated.length === 0) return "";
  if (isolated.length === 1) return isolated[0];
  const head = isolated.slice(0, -1).join(", ");
  return t(lang, "names.and", { a: head, b: isolated[isolated.length - 1] });
}

/** Return how a phase length reads ("1 minuut", "45 seconds", "2 minutes"). */
export function durationText(lang, seconds) {
  if (seconds === 60) return t(lang, "create.minute");
  if (seconds % 60 === 0) return t(lang, "create.minutes", { n: seconds / 60 });
  return t(lang, "create.seconds", { n: seconds });
}

/** The seed's questions per kind of round (keys under `question.{kind}.`), from the event vocabulary. */
export const QUESTIONS = Object.freeze({
  [Activity.CHECKIN]: CHECKIN_QUESTIONS,
  [Activity.CHECKOUT]: CHECKOUT_QUESTIONS,
});

/** The built-in energizers (keys under `energizer.`): the event vocabulary's list, named here too for the texts' readers. */
export { ENERGIZERS } from "./events.js";

/** Return a stored question in `lang` when it is one of the seed's (in either language), else as it was written. */
export function localizeQuestion(lang, text) {
  for (const [kind, keys] of Object.entries(QUESTIONS)) {
    for (const key of keys) {
      const full = `question.${kind}.${key}`;
      if (LANGUAGES.some((l) => MESSAGES[l][full] === text)) return t(lang, full);
    }
  }
  return text;
}

/** Return a stretch of time as a person reads it ("12 min", "1 u 05 min"), rounded down to the minute. */
export function elapsedText(lang, ms) {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return t(lang, "duration.minutesShort", { m: minutes });
  return t(lang, "duration.hoursMinutes", { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, "0") });
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
