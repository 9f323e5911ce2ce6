/** What a budget form may send: its limits (at least one, positive whole numbers) and its target. Client-safe. */
import { z } from "zod";

/** The largest limit accepted (well inside a JavaScript safe integer and a bigint column). */
export const MAX_LIMIT = 1_000_000_000_000;

/** An optional limit field: empty → null; else a whole number from 1 to MAX_LIMIT (spaces, commas and _ allowed). */
const limit = (label: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): number | null => {
      const value = (raw ?? "").replaceAll(/[\s,_]/g, "");
      if (value === "") return null;
      if (!/^\d+$/.test(value)) {
        ctx.addIssue({ code: "custom", message: `${label} must be a whole number.` });
        return z.NEVER;
      }
      const n = Number(value);
      if (n < 1) ctx.addIssue({ code: "custom", message: `${label} must be at least 1.` });
      else if (n > MAX_LIMIT) ctx.addIssue({ code: "custom", message: `${label} is too large.` });
      return n;
    });

/** The limits form: "Monthly request limit" and/or "Monthly token limit" (an empty field means none). */
export const limitsSchema = z
  .object({
    requestLimit: limit("Monthly request limit"),
    tokenLimit: limit("Monthly token limit"),
  })
  .refine((v) => v.requestLimit !== null || v.tokenLimit !== null, {
    error: "Set a monthly request limit, a monthly token limit, or both.",
    path: ["requestLimit"],
  });

export type Limits = { requestLimit: number | null; tokenLimit: number | null };

/** What a budget is on: an org credential, a member (across the org's credentials), or a token. */
export const budgetTargetSchema = z.discriminatedUnion("scope", [
  z.object({ scope: z.literal("credential"), id: z.uuid({ error: "Not found." }) }),
  z.object({ scope: z.literal("member"), id: z.uuid({ error: "Not found." }) }),
  z.object({ scope: z.literal("token"), id: z.uuid({ error: "Not found." }) }),
]);

export type BudgetTarget = z.infer<typeof budgetTargetSchema>;
