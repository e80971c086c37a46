/**
 * Held-out sentences for the built-in classifier, written separately from its training examples
 * (none of these is in backend/src/agent/builtin/intent/examples): they check that it generalises
 * to new wording, not that it remembers.
 */
import type { Intent, Language } from "@salesbot/shared";

export const heldOut: Record<Language, Partial<Record<Intent, string[]>>> = {
  en: {
    greeting: ["heyyy good morning!!", "hello there, hope all is well", "many thanks, bye!", "evening 👋", "just having a browse, cheers"],
    faq: ["do u guys deliver to scotland", "which payment options do you support?", "is there an app for iphone", "what time do you close on saturdays", "how do reps take a conversation over from your bot?", "what does your platform actually do?"],
    purchase_intent: ["ok i'm in, how do i buy the starter plan", "i'd like to order 4 of those", "want to purchase 20 licenses for my team", "can i get one shipped today? i want to buy it"],
    pricing: ["how much is the pro plan per month?", "any discount if we sign up 30 people", "pls send pricing", "what would it cost for a team of 12"],
    contract: ["how long am i locked in for", "what's the notice period to cancel", "can u send the terms of the contract", "is there a fee for ending my contract early"],
    complaint: ["this is the worst support i've ever had", "my package came smashed and nobody cares", "i'm really fed up with your company", "i want to lodge a formal complaint"],
    human_request: ["pls put me through to a real human", "can i chat with a live agent now", "i want to talk to someone from your team", "get me a person, not a robot"],
    sensitive_data: ["i was double charged this month", "cant log into my account since yesterday", "please erase my personal data", "my visa got declined at checkout"],
    appointment: ["could we book a demo for thursday", "can you call me tomorrow afternoon", "i'd like to schedule a meeting with sales", "let's set up a zoom next week"],
    opt_out: ["STOP!!", "stop texting me please", "unsubscribe me now", "remove me from this list"],
    other: ["what's the weather in lisbon today", "got any fun facts?", "what date is it", "i'd like to write a review of your shop"],
  },
  es: {
    greeting: ["holaaa buenas", "buen día!", "gracias, chao", "estoy mirando nada más"],
    faq: ["hacen envíos a colombia?", "aceptan tarjeta de débito", "a qué hora abren"],
    purchase_intent: ["quiero comprar el plan básico", "me gustaría pedir 2 unidades", "cómo hago para comprar uno"],
    pricing: ["cuánto cuesta el plan pro", "me das un precio para 20 usuarios", "hay algún descuento?"],
    contract: ["cuánto tiempo dura la permanencia", "quiero cancelar el contrato", "dónde veo los términos del contrato"],
    complaint: ["estoy harto de esperar, pésimo servicio", "quiero poner una reclamación formal", "el pedido llegó roto y nadie responde"],
    human_request: ["quiero hablar con un asesor humano", "me pasas con una persona por favor", "necesito hablar con alguien de soporte"],
    sensitive_data: ["me cobraron dos veces este mes", "no puedo entrar a mi cuenta", "quiero borrar mi cuenta y mis datos"],
    appointment: ["podemos agendar una demo el jueves", "llámame mañana por la tarde", "quiero una reunión con ventas"],
    opt_out: ["BAJA por favor", "no me escriban más", "dejen de mandarme mensajes"],
    other: ["qué tiempo hace en sevilla", "cuéntame algo curioso", "quiero dejar una reseña de la tienda"],
  },
  pt: {
    greeting: ["oi, bom dia!", "olá pessoal", "valeu, obrigado!", "só curiosando por aqui"],
    faq: ["vocês entregam no rio de janeiro?", "aceitam cartão de débito", "que horas vocês abrem"],
    purchase_intent: ["quero comprar o plano básico", "quero pedir 2 unidades", "como faço pra comprar um"],
    pricing: ["quanto custa o plano pro", "qual o preço para 20 usuários", "tem algum desconto?"],
    contract: ["quanto tempo é a fidelidade", "quero cancelar o contrato", "onde vejo os termos do contrato"],
    complaint: ["cansei de esperar, péssimo serviço", "quero abrir uma reclamação", "o pedido chegou quebrado e ninguém responde"],
    human_request: ["quero falar com um atendente humano", "me passa pra uma pessoa por favor", "preciso falar com alguém do suporte"],
    sensitive_data: ["fui cobrado duas vezes esse mês", "não consigo acessar minha conta", "quero apagar minha conta e meus dados"],
    appointment: ["podemos agendar uma demo na quinta", "me liga amanhã à tarde", "quero uma reunião com vendas"],
    opt_out: ["SAIR, obrigado", "parem de me mandar mensagens", "não quero mais receber msg"],
    other: ["como está o tempo em lisboa", "me conta algo curioso", "quero deixar uma avaliação da loja"],
  },
  nl: {
    greeting: ["hoi hoi", "goedemorgen allemaal", "top, dank je!", "ik kijk even rond hoor"],
    faq: ["leveren jullie ook in antwerpen", "kan ik met creditcard betalen", "hoe laat gaan jullie open"],
    purchase_intent: ["ik wil het basispakket kopen", "ik wil graag 2 stuks bestellen", "hoe kan ik er eentje kopen"],
    pricing: ["wat kost het pro pakket", "wat is de prijs voor 20 gebruikers", "krijg ik korting?"],
    contract: ["hoe lang zit ik vast aan het contract", "ik wil mijn contract opzeggen", "waar staan de voorwaarden van het contract"],
    complaint: ["ik ben het wachten zat, slechte service", "ik wil een officiële klacht indienen", "bestelling kwam kapot aan en niemand reageert"],
    human_request: ["ik wil een echte medewerker spreken", "kan ik met een persoon praten aub", "ik moet iemand van support spreken"],
    sensitive_data: ["er is deze maand twee keer afgeschreven", "ik kan niet inloggen op mijn account", "ik wil mijn account en gegevens verwijderen"],
    appointment: ["kunnen we donderdag een demo inplannen", "bel me morgenmiddag", "ik wil een afspraak met verkoop"],
    opt_out: ["afmelden graag", "stuur me geen berichten meer", "stop met appen aub"],
    other: ["wat voor weer is het in utrecht", "vertel iets grappigs", "ik wil een review schrijven over de winkel"],
  },
  de: {
    greeting: ["hallöchen", "guten morgen zusammen", "super, danke dir!", "ich schau mich erstmal nur um"],
    faq: ["liefert ihr auch in die schweiz", "kann ich mit kreditkarte zahlen", "wann macht ihr auf"],
    purchase_intent: ["ich möchte das basispaket kaufen", "ich will 2 stück bestellen", "wie kann ich eins kaufen"],
    pricing: ["was kostet das pro paket", "was ist der preis für 20 nutzer", "bekomme ich rabatt?"],
    contract: ["wie lange bin ich an den vertrag gebunden", "ich will meinen vertrag kündigen", "wo finde ich die vertragsbedingungen"],
    complaint: ["ich hab genug vom warten, schlechter service", "ich möchte eine offizielle beschwerde einreichen", "die bestellung kam kaputt an und keiner antwortet"],
    human_request: ["ich will mit einem echten mitarbeiter sprechen", "kann ich bitte mit einer person reden", "ich muss jemanden vom support sprechen"],
    sensitive_data: ["mir wurde diesen monat zweimal abgebucht", "ich kann mich nicht in mein konto einloggen", "ich will mein konto und meine daten löschen"],
    appointment: ["können wir donnerstag eine demo machen", "ruf mich morgen nachmittag an", "ich möchte einen termin mit dem vertrieb"],
    opt_out: ["abmelden bitte", "schreibt mir keine nachrichten mehr", "bitte hört auf mir zu schreiben"],
    other: ["wie ist das wetter in hamburg", "erzähl mir was lustiges", "ich möchte eine bewertung über den shop schreiben"],
  },
};
