/**
 * What the bot says in its own words, in each supported language. Tenants can override the handoff
 * messages; everything else is short and factual, and states nothing about prices or terms.
 */
import type { Language, QualificationField } from "@salesbot/shared";

interface Phrases {
  greeting: (name: string | null, company: string) => string;
  questions: Record<QualificationField, string>;
  handoff: string;
  handoffOutOfHours: string;
  optedOut: string;
  optedIn: string;
  thanks: string;
  /** Said before the next qualification question, taking turns so three answers in a row do not get the same words. */
  noted: readonly string[];
  /** The answer to a customer who only thanks us or says goodbye: no question, no greeting. */
  closing: string;
  /**
   * The answer to "is this a bot?": it is, said plainly, with the way to a person. `yes`: the customer
   * asked a yes-or-no question ("Is this a bot?"), not "Who am I talking to?".
   */
  isAssistant: (company: string, yes: boolean) => string;
  /** The answer to "no more questions, please": none, and the door stays open. */
  noMoreQuestions: string;
  /** The answer to a voice note or a video without words: the bot cannot play them. */
  cannotPlay: string;
  /** The answer to a photo, a file, a place or a contact card without words: the bot reads text only. */
  readsTextOnly: string;
  /** The answer to "I need help" or "I have a question" mid-conversation: with what? */
  howCanIHelp: string;
  /** Why we ask a qualification question, and that it may be skipped; the question follows. */
  whyWeAsk: string;
  /** Holding message while the customer waits for a person. */
  stillWaiting: string;
  /** Said once every qualification question has been asked. */
  allSet: string;
  fromSource: (answer: string) => string;
}

export const phrases: Record<Language, Phrases> = {
  en: {
    greeting: (name, company) => `Hi${name ? ` ${name}` : ""}! I'm the virtual assistant of ${company}. How can I help you today?`,
    questions: {
      need: "What are you looking to solve? A sentence or two is plenty.",
      product_interest: "Which of our products or plans are you interested in?",
      company_size: "How many people are in your team or company?",
      timeline: "When would you like to have this in place?",
      budget: "Do you have a budget in mind for this?",
      name: "May I have your name?",
      company: "Which company are you with?",
      email: "What e-mail address can our team use to reach you?",
    },
    handoff: "I'm passing you to a member of our team, who will reply here shortly. You don't need to repeat anything.",
    handoffOutOfHours: "Our team is offline right now. A member of the team will reply here as soon as we open. You don't need to repeat anything.",
    optedOut: "You won't receive any more messages from us. Reply START at any time to hear from us again.",
    optedIn: "Welcome back! You'll receive our messages again.",
    allSet: "Thank you, that helps a lot. Is there anything else I can help you with?",
    stillWaiting: "Thanks for waiting. A member of our team will be with you as soon as possible.",
    thanks: "Thank you, noted.",
    noted: ["Thank you, noted.", "Got it, thanks.", "Great, thanks."],
    closing: "Happy to help! Write here any time if anything else comes up.",
    howCanIHelp: "Of course. What can I help you with?",
    noMoreQuestions: "Of course, no more questions. Write here whenever you need anything.",
    cannotPlay: "I can't listen to voice messages or play videos here. Could you write your message instead?",
    readsTextOnly: "Thanks! I can only read text here, not files, photos or locations. Could you tell me in a few words what you need?",
    isAssistant: (company, yes) => `${yes ? "Yes, I'm" : "I'm"} the virtual assistant of ${company}, an automated program. I answer routine questions, and a person from our team takes over whenever you ask.`,
    whyWeAsk: "So that our team can prepare the right offer for you. You can skip any question.",
    fromSource: (answer) => answer,
  },
  es: {
    greeting: (name, company) => `¡Hola${name ? ` ${name}` : ""}! Soy el asistente virtual de ${company}. ¿En qué puedo ayudarte?`,
    questions: {
      need: "¿Qué te gustaría resolver? Con una o dos frases basta.",
      product_interest: "¿Qué producto o plan te interesa?",
      company_size: "¿Cuántas personas hay en tu equipo o empresa?",
      timeline: "¿Para cuándo te gustaría tenerlo funcionando?",
      budget: "¿Tienes un presupuesto en mente?",
      name: "¿Cómo te llamas?",
      company: "¿En qué empresa trabajas?",
      email: "¿A qué correo electrónico puede escribirte nuestro equipo?",
    },
    handoff: "Te paso con una persona de nuestro equipo, que te responderá aquí en breve. No necesitas repetir nada.",
    handoffOutOfHours: "Nuestro equipo no está disponible ahora. Una persona te responderá aquí en cuanto abramos. No necesitas repetir nada.",
    optedOut: "No recibirás más mensajes nuestros. Responde ALTA cuando quieras volver a recibirlos.",
    optedIn: "¡Bienvenido de nuevo! Volverás a recibir nuestros mensajes.",
    allSet: "Gracias, eso nos ayuda mucho. ¿Hay algo más en lo que pueda ayudarte?",
    stillWaiting: "Gracias por esperar. Una persona de nuestro equipo te atenderá lo antes posible.",
    thanks: "Gracias, anotado.",
    noted: ["Gracias, anotado.", "Perfecto, gracias.", "Entendido, gracias."],
    closing: "¡Con gusto! Escríbenos aquí cuando quieras si necesitas algo más.",
    howCanIHelp: "Claro. ¿En qué te puedo ayudar?",
    noMoreQuestions: "Claro, no más preguntas. Escríbenos aquí cuando necesites algo.",
    cannotPlay: "Aquí no puedo escuchar mensajes de voz ni ver vídeos. ¿Me lo podrías escribir?",
    readsTextOnly: "¡Gracias! Aquí solo puedo leer texto, no archivos, fotos ni ubicaciones. ¿Me cuentas en pocas palabras qué necesitas?",
    isAssistant: (company, yes) => `${yes ? "Sí, soy" : "Soy"} el asistente virtual de ${company}, un programa automático. Respondo preguntas habituales, y una persona de nuestro equipo te atiende cuando lo pidas.`,
    whyWeAsk: "Para que nuestro equipo pueda prepararte la oferta adecuada. Puedes saltarte cualquier pregunta.",
    fromSource: (answer) => answer,
  },
  pt: {
    greeting: (name, company) => `Olá${name ? ` ${name}` : ""}! Sou o assistente virtual da ${company}. Como posso ajudar?`,
    questions: {
      need: "O que você gostaria de resolver? Uma ou duas frases bastam.",
      product_interest: "Qual produto ou plano te interessa?",
      company_size: "Quantas pessoas há na sua equipe ou empresa?",
      timeline: "Para quando você gostaria de ter isso funcionando?",
      budget: "Você tem um orçamento em mente?",
      name: "Qual é o seu nome?",
      company: "Em qual empresa você trabalha?",
      email: "Qual e-mail nossa equipe pode usar para falar com você?",
    },
    handoff: "Vou passar você para uma pessoa da nossa equipe, que responderá aqui em breve. Não precisa repetir nada.",
    handoffOutOfHours: "Nossa equipe está fora do horário agora. Uma pessoa responderá aqui assim que abrirmos. Não precisa repetir nada.",
    optedOut: "Você não receberá mais mensagens nossas. Responda VOLTAR quando quiser recebê-las novamente.",
    optedIn: "Bem-vindo de volta! Você voltará a receber nossas mensagens.",
    allSet: "Obrigado, isso ajuda muito. Posso ajudar com mais alguma coisa?",
    stillWaiting: "Obrigado por aguardar. Uma pessoa da nossa equipe vai te atender o quanto antes.",
    thanks: "Obrigado, anotado.",
    noted: ["Obrigado, anotado.", "Perfeito, obrigado.", "Entendido, obrigado."],
    closing: "Disponha! Escreva aqui quando quiser se precisar de mais alguma coisa.",
    howCanIHelp: "Claro. Em que posso ajudar?",
    noMoreQuestions: "Claro, sem mais perguntas. Escreva aqui quando precisar de algo.",
    cannotPlay: "Aqui não consigo ouvir mensagens de voz nem ver vídeos. Pode me escrever a mensagem?",
    readsTextOnly: "Obrigado! Aqui só consigo ler texto, não arquivos, fotos ou localizações. Pode me dizer em poucas palavras do que precisa?",
    isAssistant: (company, yes) => `${yes ? "Sim, sou" : "Sou"} o assistente virtual da ${company}, um programa automático. Respondo perguntas frequentes, e uma pessoa da nossa equipe assume quando você pedir.`,
    whyWeAsk: "Para que nossa equipe possa preparar a oferta certa para você. Você pode pular qualquer pergunta.",
    fromSource: (answer) => answer,
  },
  nl: {
    greeting: (name, company) => `Hallo${name ? ` ${name}` : ""}! Ik ben de virtuele assistent van ${company}. Waarmee kan ik je helpen?`,
    questions: {
      need: "Wat wil je oplossen? Een of twee zinnen is genoeg.",
      product_interest: "In welk product of pakket ben je geïnteresseerd?",
      company_size: "Hoeveel mensen werken er in je team of bedrijf?",
      timeline: "Wanneer wil je dit geregeld hebben?",
      budget: "Heb je een budget in gedachten?",
      name: "Mag ik je naam?",
      company: "Bij welk bedrijf werk je?",
      email: "Op welk e-mailadres kan ons team je bereiken?",
    },
    handoff: "Ik verbind je door met een collega, die hier zo antwoordt. Je hoeft niets te herhalen.",
    handoffOutOfHours: "Ons team is nu niet bereikbaar. Een collega antwoordt hier zodra we open zijn. Je hoeft niets te herhalen.",
    optedOut: "Je ontvangt geen berichten meer van ons. Stuur AANMELDEN als je ze weer wilt ontvangen.",
    optedIn: "Welkom terug! Je ontvangt onze berichten weer.",
    allSet: "Dank je, dat helpt enorm. Kan ik je nog ergens anders mee helpen?",
    stillWaiting: "Bedankt voor je geduld. Een collega helpt je zo snel mogelijk.",
    thanks: "Dank je, genoteerd.",
    noted: ["Dank je, genoteerd.", "Helder, dank je.", "Top, dank je."],
    closing: "Graag gedaan! Stuur hier gerust een bericht als er nog iets is.",
    howCanIHelp: "Natuurlijk. Waarmee kan ik je helpen?",
    noMoreQuestions: "Natuurlijk, geen vragen meer. Stuur hier een bericht wanneer je iets nodig hebt.",
    cannotPlay: "Ik kan hier geen spraakberichten beluisteren of video's bekijken. Kun je je bericht typen?",
    readsTextOnly: "Bedankt! Ik kan hier alleen tekst lezen, geen bestanden, foto's of locaties. Kun je in een paar woorden vertellen wat je nodig hebt?",
    isAssistant: (company, yes) => `${yes ? "Ja, ik ben" : "Ik ben"} de virtuele assistent van ${company}, een geautomatiseerd programma. Ik beantwoord veelgestelde vragen, en een collega neemt het over wanneer je dat vraagt.`,
    whyWeAsk: "Zodat ons team het juiste aanbod voor je kan voorbereiden. Je kunt elke vraag overslaan.",
    fromSource: (answer) => answer,
  },
  de: {
    greeting: (name, company) => `Hallo${name ? ` ${name}` : ""}! Ich bin der virtuelle Assistent von ${company}. Wie kann ich helfen?`,
    questions: {
      need: "Was möchten Sie lösen? Ein, zwei Sätze genügen.",
      product_interest: "Für welches Produkt oder welchen Tarif interessieren Sie sich?",
      company_size: "Wie viele Personen arbeiten in Ihrem Team oder Unternehmen?",
      timeline: "Bis wann möchten Sie das umgesetzt haben?",
      budget: "Haben Sie ein Budget dafür eingeplant?",
      name: "Wie ist Ihr Name?",
      company: "Für welches Unternehmen sind Sie tätig?",
      email: "Unter welcher E-Mail-Adresse kann unser Team Sie erreichen?",
    },
    handoff: "Ich verbinde Sie mit einer Kollegin oder einem Kollegen, die hier gleich antworten. Sie müssen nichts wiederholen.",
    handoffOutOfHours: "Unser Team ist gerade nicht erreichbar. Sobald wir geöffnet haben, antwortet Ihnen hier jemand. Sie müssen nichts wiederholen.",
    optedOut: "Sie erhalten keine Nachrichten mehr von uns. Antworten Sie ANMELDEN, um wieder Nachrichten zu erhalten.",
    optedIn: "Willkommen zurück! Sie erhalten wieder Nachrichten von uns.",
    allSet: "Danke, das hilft uns sehr. Kann ich sonst noch etwas für Sie tun?",
    stillWaiting: "Danke für Ihre Geduld. Jemand aus unserem Team meldet sich so schnell wie möglich.",
    thanks: "Danke, notiert.",
    noted: ["Danke, notiert.", "Verstanden, danke.", "Prima, danke."],
    closing: "Gern geschehen! Schreiben Sie uns hier jederzeit, wenn noch etwas ist.",
    howCanIHelp: "Gern. Wobei kann ich Ihnen helfen?",
    noMoreQuestions: "Selbstverständlich, keine Fragen mehr. Schreiben Sie hier, wann immer Sie etwas brauchen.",
    cannotPlay: "Sprachnachrichten und Videos kann ich hier leider nicht abspielen. Könnten Sie mir Ihre Nachricht schreiben?",
    readsTextOnly: "Danke! Ich kann hier nur Text lesen, keine Dateien, Fotos oder Standorte. Könnten Sie mir in wenigen Worten schreiben, worum es geht?",
    isAssistant: (company, yes) => `${yes ? "Ja, ich bin" : "Ich bin"} der virtuelle Assistent von ${company}, ein automatisches Programm. Ich beantworte häufige Fragen, und eine Kollegin oder ein Kollege übernimmt, sobald Sie es wünschen.`,
    whyWeAsk: "Damit unser Team Ihnen das passende Angebot vorbereiten kann. Sie können jede Frage überspringen.",
    fromSource: (answer) => answer,
  },
};

/** The acknowledgement before the next question, by how many questions were asked before it. */
export function notedBefore(language: Language, questionsAsked: number): string {
  const noted = phrases[language].noted;
  return noted[questionsAsked % noted.length]!;
}
