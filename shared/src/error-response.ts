import { z } from "zod";

/** Every error our HTTP API returns has this body. */
export const ZErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), requestId: z.string().optional() }),
});
export type ErrorResponse = z.infer<typeof ZErrorResponse>;
