/**
 * A small approved knowledge base for the sandbox, so a visitor can see the bot answer from sources,
 * quote a published price range, and hand off for anything beyond them. Fictional company.
 */
import type { KnowledgeEntry } from "@salesbot/shared";

export const demoKnowledge: KnowledgeEntry[] = [
  {
    id: "opening-hours",
    kind: "faq",
    language: "en",
    title: "Opening hours and support availability",
    body: "Our team is available Monday to Friday, 9:00 to 18:00 (CET). The WhatsApp assistant answers routine questions around the clock.",
  },
  {
    id: "integrations",
    kind: "faq",
    language: "en",
    title: "Which CRM integrations do you support?",
    body: "We integrate natively with HubSpot and Salesforce: conversations, summaries and handoffs appear on the contact, lead, deal or opportunity record.",
  },
  {
    id: "free-trial",
    kind: "faq",
    language: "en",
    title: "Is there a free trial?",
    body: "Yes. Every plan can be tried for 14 days with no credit card required.",
  },
  {
    id: "price-ranges",
    kind: "price",
    language: "en",
    title: "How much does it cost? Pricing and plans",
    body: "Published list prices: Starter costs €29 per user per month, Growth costs €59 per user per month. Enterprise pricing is quoted individually by our sales team.",
  },
  {
    id: "setup-time",
    kind: "faq",
    language: "en",
    title: "How long does setup or onboarding take?",
    body: "Most teams connect their WhatsApp number and CRM in under an hour; guided onboarding for larger teams takes one to two weeks.",
  },
  {
    id: "languages",
    kind: "faq",
    language: "en",
    title: "Which languages does the assistant speak and support?",
    body: "The assistant understands and answers in English, Spanish, Portuguese, Dutch and German.",
  },
  {
    id: "data-protection",
    kind: "faq",
    language: "en",
    title: "Is my data safe and GDPR compliant? Data protection and where data is stored",
    body: "Data is stored in the EU, encrypted at rest, and processed under a GDPR data processing agreement available on request.",
  },
  {
    id: "horarios",
    kind: "faq",
    language: "es",
    title: "Horario de atención",
    body: "Nuestro equipo atiende de lunes a viernes de 9:00 a 18:00 (CET). El asistente de WhatsApp responde preguntas habituales a cualquier hora.",
  },
  {
    id: "precos",
    kind: "price",
    language: "pt",
    title: "Quanto custa? Preços e planos",
    body: "Preços publicados: Starter custa €29 por usuário por mês, Growth custa €59 por usuário por mês. O plano Enterprise é cotado pela nossa equipe de vendas.",
  },
  // The trial and the integrations in the other languages the assistant speaks, so a sandbox visitor
  // writing in them is answered too (prices stay in English and Portuguese only).
  {
    id: "prueba-gratis",
    kind: "faq",
    language: "es",
    title: "¿Hay una prueba gratuita?",
    body: "Sí. Todos los planes se pueden probar gratis durante 14 días, sin tarjeta de crédito.",
  },
  {
    id: "integraciones",
    kind: "faq",
    language: "es",
    title: "¿Con qué CRM se integran?",
    body: "Nos integramos de forma nativa con HubSpot y Salesforce: las conversaciones, los resúmenes y los traspasos aparecen en el registro del contacto, lead, negocio u oportunidad.",
  },
  {
    id: "teste-gratis",
    kind: "faq",
    language: "pt",
    title: "Existe um teste grátis?",
    body: "Sim. Todos os planos podem ser testados gratuitamente por 14 dias, sem cartão de crédito.",
  },
  {
    id: "integracoes",
    kind: "faq",
    language: "pt",
    title: "Com quais CRMs vocês se integram?",
    body: "Integramos nativamente com HubSpot e Salesforce: conversas, resumos e transferências aparecem no registro do contato, lead, negócio ou oportunidade.",
  },
  {
    id: "proefperiode",
    kind: "faq",
    language: "nl",
    title: "Is er een gratis proefperiode?",
    body: "Ja. Elk pakket kun je 14 dagen gratis proberen, zonder creditcard.",
  },
  {
    id: "integraties",
    kind: "faq",
    language: "nl",
    title: "Met welke CRM's integreren jullie?",
    body: "We integreren standaard met HubSpot en Salesforce: gesprekken, samenvattingen en overdrachten verschijnen bij het contact, de lead, de deal of de verkoopkans.",
  },
  {
    id: "testphase",
    kind: "faq",
    language: "de",
    title: "Gibt es eine kostenlose Testphase?",
    body: "Ja. Jeden Tarif können Sie 14 Tage lang kostenlos testen, ohne Kreditkarte.",
  },
  {
    id: "integrationen",
    kind: "faq",
    language: "de",
    title: "Mit welchen CRM-Systemen gibt es Integrationen?",
    body: "Wir sind nativ mit HubSpot und Salesforce integriert: Gespräche, Zusammenfassungen und Übergaben erscheinen am Kontakt, Lead, Deal oder an der Opportunity.",
  },
];
