export * from "./whatsapp/webhook.js";
export * from "./whatsapp/graph.js";
export * from "./sandbox.js";
export * from "./error-response.js";
export * from "./agent.js";
export * from "./inbox.js";
export * from "./webhooks-out.js";
