/** The account page's forms, shared by the server actions and (for the rules they show) the forms. */
import { z } from "zod";
import { PASSWORD_MAX_LENGTH } from "./password-rules";
import { signUpSchema } from "./schemas";

export const changeNameSchema = z.object({ name: signUpSchema.shape.name });

export const changePasswordSchema = z.object({
  currentPassword: z
    .string({ error: "Enter your current password." })
    .min(1, "Enter your current password.")
    .max(PASSWORD_MAX_LENGTH, "That is not your current password."),
  newPassword: signUpSchema.shape.password,
});

/** Password accounts confirm with their password; SSO-only accounts (no password) type their email. */
export const deleteAccountSchema = z.object({
  password: z.string().max(PASSWORD_MAX_LENGTH).optional(),
  email: z.string().max(254).optional(),
});

export type ChangeNameInput = z.infer<typeof changeNameSchema>;
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
export type DeleteAccountInput = z.infer<typeof deleteAccountSchema>;
