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
  "error.generic": "Er ging iets mis. Probeer het nog eens.",
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
  "lobby.afterBreakout": "De breakout is afgelopen. Misschien start de host er straks nog een.",
  "lobby.lateJoin": "Er loopt al een breakout. De host kan je nu bij een duo zetten; anders doe je mee met de volgende.",
  "leave": "Sessie verlaten",
  "leave.confirm": "Wil je de sessie echt verlaten?",
  "leave.yes": "Ja, verlaat de sessie",
  "leave.no": "Nee, ik blijf",
  "left.heading": "Je bent niet meer in deze sessie",
  "left.text": "Je hebt de sessie verlaten, of de host heeft je eruit gehaald.",
  "left.rejoin": "Opnieuw meedoen",
  "sound.label": "Geluid bij een nieuwe fase",

  "breakout.with": "Met {names}",
  "breakout.partner": "Je partner",
  "breakout.partners": "Je partners",
  "breakout.phaseOf": "Fase {n} van {total}",
  "breakout.paused": "Gepauzeerd",
  "breakout.pausedHint": "De host heeft de klok stilgezet.",
  "breakout.next": "Hierna",
  "breakout.nextDone": "Klaar",
  "breakout.swap": "Wissel:",
  "breakout.swapped": "Wissel van rol!",
  "breakout.timeLeft": "Tijd over in deze fase",
  "breakout.rotation": "{name} vertelt",
  "breakout.rotationMe": "Jij vertelt",
  "done.heading": "Klaar! Bedank je partner.",
  "done.headingMany": "Klaar! Bedank elkaar.",
  "done.waiting": "De anderen zijn nog {duration} bezig.",
  "done.waitingPaused": "De anderen zijn nog bezig; de klok staat even stil.",
  "done.finished": "De breakout is afgelopen. De host gaat zo verder.",

  // phase names, as on the slide
  "phase.tell": "Vertellen",
  "phase.silence": "Stilte",
  "phase.question": "Vraag",
  "phase.answer": "Antwoord",


  // instructions
  "do.tell.me": "Vertel over een moment van de afgelopen week waarop je blij, geraakt of gefrustreerd was.",
  "do.tell.other": "Luister écht. {name} vertelt over een moment van de afgelopen week. Onderbreek niet: jouw vraag komt straks.",
  "do.silence.me": "Je hoeft niets te doen. Stiltes zijn oké.",
  "do.silence.other": "Bedenk één open vraag over het verhaal van {name}: een vraag waarop je geen ja of nee kunt antwoorden.",
  "do.question.me": "Luister naar de vraag. Je antwoordt in de volgende fase.",
  "do.question.other": "Stel {name} je vraag. Het antwoord komt in de volgende fase.",
  "do.answer.me": "Beantwoord de vraag zo eerlijk als je kunt.",
  "do.answer.other": "Luister naar het antwoord van {name}, zonder te onderbreken.",

  // next
  "next.tell.me": "Jij vertelt",
  "next.tell.other": "{name} vertelt",
  "next.silence": "Stilte om een vraag te bedenken",
  "next.question": "Vraag",
  "next.answer": "Antwoord",

  "announce.phase": "{turn}. {phase}, fase {n} van {total}.",
  "announce.done": "Klaar. Bedank elkaar.",
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
  "host.everyoneDone": "Iedereen klaar over ongeveer {time}",
  "host.pause": "Pauze",
  "host.resume": "Verder",
  "host.extend1": "+1 min",
  "host.extendLabel": "Extra tijd (seconden)",
  "host.extendSubmit": "Voeg toe",
  "host.skip": "Volgende fase",
  "host.end": "Stop de breakout",
  "host.endConfirm": "De breakout stopt voor iedereen.",
  "host.endYes": "Ja, stop de breakout",
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

  // --- the meeting around the breakout ---
  "create.agreements": "Afspraken voor de groep",
  "create.agreementsHint": "Iedereen leest en bevestigt ze voordat de lobby opengaat. Laat je het leeg, dan slaan deelnemers deze stap over.",
  "create.plannedEnd": "Gepland einde (niet verplicht)",
  "create.plannedEndHint": "Vandaag. De host-pagina laat zien of je uitloopt.",
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
  "question.checkout.thought": "Met welke gedachte, vraag of opmerking ga je weg?",
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

  "breakout.partnerDropped": "De verbinding van {names} is weg. Even geduld: de host ziet het.",
  "breakout.partnersDropped": "De verbinding van {names} is weg. Even geduld: de host ziet het.",
  "breakout.partnerBack": "{names} is terug.",
  "breakout.partnerLeft": "{names} heeft de sessie verlaten.",
  "breakout.partnersLeft": "{names} hebben de sessie verlaten.",
  "breakout.leftTag": "vertrokken",
  "alone.text": "De host kan je bij een ander duo zetten.",
  "alone.waiting": "Anders is de breakout over {duration} afgelopen.",
  "starting.heading": "Jullie beginnen bij de volgende fase",
  "starting.timeLeft": "Begint over",
  "starting.hint": "Blijf op deze pagina: zodra de fase wisselt, zie je hier wie er als eerste vertelt.",

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

  // --- the participant's screen: tasks, trio order, signals, voice (issue 10) ---
  "task.tell.teller": "Vertel",
  "task.tell.listener": "Luister naar {name}",
  "task.silence.teller": "Stilte — {names} bedenkt een vraag",
  "task.silence.tellerMany": "Stilte — {names} bedenken een vraag",
  "task.silence.listener": "Stilte — bedenk één open vraag",
  "task.question.teller": "Luister naar de vraag van {names}",
  "task.question.tellerMany": "Luister naar de vragen van {names}",
  "task.question.listener": "Stel je vraag",
  "task.answer.teller": "Beantwoord de vraag",
  "task.answer.tellerMany": "Beantwoord de vragen",
  "task.answer.listener": "Luister naar het antwoord",
  "role.teller": "Jij vertelt",
  "role.listener": "Jij luistert",
  "order.question": "Eerst {first}, dan {second}.",
  "order.answer": "Eerst de vraag van {first}, dan die van {second}.",
  "order.answerYou": "Eerst jouw vraag, dan die van {second}.",
  "order.answerYouSecond": "Eerst de vraag van {first}, dan jouw vraag.",
  "order.you": "jij",
  "order.host.question": "Eerst {first}, dan {second}",
  "order.host.answer": "Eerst de vraag van {first}, dan die van {second}",
  "breakout.group": "Groep {n}",
  "breakout.wrapUp": "Rond af",
  "done.reflect": "Wat neem je mee uit dit gesprek?",
  "done.reflectHint": "Schrijf het voor jezelf op, of praat er samen nog even over.",
  "duration.lessThanMinute": "minder dan een minuut",
  "duration.aboutMinute": "ongeveer 1 minuut",
  "duration.aboutMinutes": "ongeveer {n} minuten",
  "signal.heading": "Iets voor de host?",
  "signal.done": "Wij zijn klaar",
  "signal.help": "Hulp nodig",
  "signal.sent.done": "Om {time} gemeld dat jullie klaar zijn. De host heeft het nog niet gezien.",
  "signal.sent.help": "Om {time} om hulp gevraagd. De host heeft het nog niet gezien.",
  "signal.seen.done": "De host heeft gezien dat jullie klaar zijn.",
  "signal.seen.help": "De host heeft je vraag om hulp gezien en komt eraan.",
  "signal.host.done": "Klaar sinds {time}",
  "signal.host.help": "Hulp nodig sinds {time}",
  "signal.host.clear": "Gezien",
  "signal.host.clearLabel": "Gezien: {what} van groep {n}",
  "voice.label": "Zeg de fasewissels hardop",
  "voice.noVoice": "Deze browser heeft geen Nederlandse stem; je hoort dus niets.",
  "voice.unsupported": "Deze browser kan niet voorlezen.",
  "speech.swap": "Wissel.",
  "speech.tell.teller": "Jij vertelt nu.",
  "speech.tell.listener": "{name} vertelt nu.",
  "speech.silence.teller": "Stilte. {names} bedenkt een vraag.",
  "speech.silence.tellerMany": "Stilte. {names} bedenken een vraag.",
  "speech.silence.listener": "Stilte. Bedenk één open vraag.",
  "speech.question.teller": "Vraag. Luister naar de vraag van {names}.",
  "speech.question.tellerMany": "Vragen. Luister naar de vragen van {names}.",
  "speech.question.listener": "Vraag. Stel je vraag.",
  "speech.answer.teller": "Antwoord. Beantwoord de vraag.",
  "speech.answer.tellerMany": "Antwoord. Beantwoord de vragen.",
  "speech.answer.listener": "Antwoord. Luister naar het antwoord van {name}.",
  "speech.done": "Klaar. Bedank elkaar.",
  "error.401": "Dit apparaat is niet (meer) aangemeld voor deze sessie.",
  "error.403": "Dat mag alleen de host of de deelnemer zelf.",
  "error.404": "Deze sessie bestaat niet meer.",
  "error.409": "Dat kan nu niet meer: de sessie is intussen veranderd.",
  "error.413": "Dat is te veel tekst.",
  "error.422": "Dat klopt niet helemaal. Kijk wat je hebt ingevuld.",
  "error.429": "Even rustig aan: probeer het over een minuut nog eens.",
  "error.5xx": "Duo heeft even een probleem. Probeer het over een paar seconden nog eens.",
  "error.join.409": "Deze sessie is vol. Vraag de host wat je kunt doen.",
  "error.join.422": "Deze naam kan niet. Gebruik gewone letters, cijfers of leestekens.",
  "error.agree.403": "Je kunt alleen voor jezelf akkoord gaan.",
  "error.signal.409": "Dat kan alleen tijdens een breakout, als je in een groep zit.",
  "error.signal.429": "Je hebt de host net al iets laten weten. Probeer het over een minuut nog eens.",
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
  "error.generic": "Something went wrong. Please try again.",
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
  "lobby.afterBreakout": "The breakout is over. The host may start another one soon.",
  "lobby.lateJoin": "A breakout is already under way. The host can add you to a duo now; otherwise you join the next one.",
  "leave": "Leave session",
  "leave.confirm": "Do you really want to leave the session?",
  "leave.yes": "Yes, leave the session",
  "leave.no": "No, stay",
  "left.heading": "You are no longer in this session",
  "left.text": "You left the session, or the host removed you.",
  "left.rejoin": "Join again",
  "sound.label": "Sound when a new phase starts",

  "breakout.with": "With {names}",
  "breakout.partner": "Your partner",
  "breakout.partners": "Your partners",
  "breakout.phaseOf": "Phase {n} of {total}",
  "breakout.paused": "Paused",
  "breakout.pausedHint": "The host has stopped the clock.",
  "breakout.next": "Next",
  "breakout.nextDone": "Done",
  "breakout.swap": "Swap:",
  "breakout.swapped": "Swap roles!",
  "breakout.timeLeft": "Time left in this phase",
  "breakout.rotation": "{name} tells",
  "breakout.rotationMe": "You tell",
  "done.heading": "Done! Thank your partner.",
  "done.headingMany": "Done! Thank each other.",
  "done.waiting": "The others need {duration} more.",
  "done.waitingPaused": "The others are still busy; the clock is stopped for a moment.",
  "done.finished": "The breakout is over. The host will carry on in a moment.",

  "phase.tell": "Tell",
  "phase.silence": "Silence",
  "phase.question": "Question",
  "phase.answer": "Answer",


  "do.tell.me": "Tell about a moment from the past week when you felt happy, moved or frustrated.",
  "do.tell.other": "Really listen. {name} is telling about a moment from the past week. Don't interrupt: your question comes later.",
  "do.silence.me": "Nothing to do. Silences are fine.",
  "do.silence.other": "Think of one open question about {name}’s story: one that can't be answered with yes or no.",
  "do.question.me": "Listen to the question. You answer it in the next phase.",
  "do.question.other": "Ask {name} your question. The answer comes in the next phase.",
  "do.answer.me": "Answer the question as openly as you can.",
  "do.answer.other": "Listen to {name}’s answer without interrupting.",

  "next.tell.me": "You tell",
  "next.tell.other": "{name} tells",
  "next.silence": "Silence to think of a question",
  "next.question": "Question",
  "next.answer": "Answer",

  "announce.phase": "{turn}. {phase}, phase {n} of {total}.",
  "announce.done": "Done. Thank each other.",
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
  "host.everyoneDone": "Everyone done in about {time}",
  "host.pause": "Pause",
  "host.resume": "Resume",
  "host.extend1": "+1 min",
  "host.extendLabel": "Extra time (seconds)",
  "host.extendSubmit": "Add",
  "host.skip": "Next phase",
  "host.end": "End the breakout",
  "host.endConfirm": "The breakout stops for everyone.",
  "host.endYes": "Yes, end the breakout",
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

  "create.agreements": "Agreements for the group",
  "create.agreementsHint": "Everyone reads and confirms them before the lobby opens. Leave it empty and participants skip this step.",
  "create.plannedEnd": "Planned end (optional)",
  "create.plannedEndHint": "Today. The host page shows whether you run over.",
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

  "breakout.partnerDropped": "{names} lost the connection. Hang on: the host can see it.",
  "breakout.partnersDropped": "{names} lost the connection. Hang on: the host can see it.",
  "breakout.partnerBack": "{names} is back.",
  "breakout.partnerLeft": "{names} has left the session.",
  "breakout.partnersLeft": "{names} have left the session.",
  "breakout.leftTag": "left",
  "alone.text": "The host can put you with another duo.",
  "alone.waiting": "Otherwise the breakout ends in {duration}.",
  "starting.heading": "You start at the next phase",
  "starting.timeLeft": "Starts in",
  "starting.hint": "Stay on this page: when the phase changes, you'll see here who tells first.",

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

  // --- the participant's screen: tasks, trio order, signals, voice (issue 10) ---
  "task.tell.teller": "Tell",
  "task.tell.listener": "Listen to {name}",
  "task.silence.teller": "Silence — {names} is thinking of a question",
  "task.silence.tellerMany": "Silence — {names} are thinking of a question",
  "task.silence.listener": "Silence — think of one open question",
  "task.question.teller": "Listen to {names}’s question",
  "task.question.tellerMany": "Listen to the questions of {names}",
  "task.question.listener": "Ask your question",
  "task.answer.teller": "Answer the question",
  "task.answer.tellerMany": "Answer the questions",
  "task.answer.listener": "Listen to the answer",
  "role.teller": "You tell",
  "role.listener": "You listen",
  "order.question": "First {first}, then {second}.",
  "order.answer": "First {first}’s question, then {second}’s.",
  "order.answerYou": "First your question, then {second}’s.",
  "order.answerYouSecond": "First {first}’s question, then yours.",
  "order.you": "you",
  "order.host.question": "First {first}, then {second}",
  "order.host.answer": "First {first}’s question, then {second}’s",
  "breakout.group": "Group {n}",
  "breakout.wrapUp": "Wrap up",
  "done.reflect": "What do you take away from this conversation?",
  "done.reflectHint": "Write it down for yourself, or talk it over together for a moment.",
  "duration.lessThanMinute": "less than a minute",
  "duration.aboutMinute": "about 1 minute",
  "duration.aboutMinutes": "about {n} minutes",
  "signal.heading": "Something for the host?",
  "signal.done": "We're done",
  "signal.help": "Need help",
  "signal.sent.done": "At {time} you said you're done. The host hasn't seen it yet.",
  "signal.sent.help": "At {time} you asked for help. The host hasn't seen it yet.",
  "signal.seen.done": "The host has seen that you're done.",
  "signal.seen.help": "The host has seen your call for help and is on the way.",
  "signal.host.done": "Done since {time}",
  "signal.host.help": "Needs help since {time}",
  "signal.host.clear": "Seen",
  "signal.host.clearLabel": "Seen: {what} from group {n}",
  "voice.label": "Speak the phase changes aloud",
  "voice.noVoice": "This browser has no English voice, so you won't hear anything.",
  "voice.unsupported": "This browser cannot read aloud.",
  "speech.swap": "Swap.",
  "speech.tell.teller": "You tell now.",
  "speech.tell.listener": "{name} tells now.",
  "speech.silence.teller": "Silence. {names} is thinking of a question.",
  "speech.silence.tellerMany": "Silence. {names} are thinking of a question.",
  "speech.silence.listener": "Silence. Think of one open question.",
  "speech.question.teller": "Question. Listen to {names}’s question.",
  "speech.question.tellerMany": "Questions. Listen to the questions of {names}.",
  "speech.question.listener": "Question. Ask your question.",
  "speech.answer.teller": "Answer. Answer the question.",
  "speech.answer.tellerMany": "Answer. Answer the questions.",
  "speech.answer.listener": "Answer. Listen to {name}’s answer.",
  "speech.done": "Done. Thank each other.",
  "error.401": "This device is not (or no longer) signed in to this session.",
  "error.403": "Only the host or the participant themselves can do that.",
  "error.404": "This session no longer exists.",
  "error.409": "That is no longer possible: the session has changed in the meantime.",
  "error.413": "That is too much text.",
  "error.422": "Something isn't quite right. Check what you filled in.",
  "error.429": "Easy does it: please try again in a minute.",
  "error.5xx": "Duo has a problem right now. Please try again in a few seconds.",
  "error.join.409": "This session is full. Ask the host what you can do.",
  "error.join.422": "That name can't be used. Use ordinary letters, digits or punctuation.",
  "error.agree.403": "You can only agree for yourself.",
  "error.signal.409": "That is only possible during a breakout, when you are in a group.",
  "error.signal.429": "You just let the host know something. Please try again in a minute.",
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

/** Return whether Duo has a text for `key` in `lang`. */
export function hasText(lang, key) {
  return Object.hasOwn(MESSAGES[pickLanguage(lang)], key);
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
