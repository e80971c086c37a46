/**
 * The sandbox's sales and support reps, so a visitor sees handoffs routed to named people.
 */
import type { Rep } from "@salesbot/shared";

export const demoReps: Rep[] = [
  { id: "ana", name: "Ana Souza", email: "ana@example.com", teams: ["sales"], capacity: 5, status: "available", isLead: true },
  { id: "ben", name: "Ben Okafor", email: "ben@example.com", teams: ["sales", "support"], capacity: 5, status: "available", isLead: false },
  { id: "carla", name: "Carla Meyer", email: "carla@example.com", teams: ["support"], capacity: 5, status: "available", isLead: true },
];
