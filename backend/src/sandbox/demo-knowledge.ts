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
];
