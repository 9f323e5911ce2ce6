/**
 * Profile names: slugs an agent puts in a URL (`?profile=coder`, `/gateway/profile/coder/…`).
 * The database checks the same pattern (model_profiles_name).
 */
import { z } from "zod";

export const PROFILE_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export const MAX_PROFILE_ENTRIES = 5;

export const profileNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Give the profile a name.")
  .max(40, "Use at most 40 characters.")
  .regex(PROFILE_NAME_PATTERN, "Use lowercase letters, digits and dashes (e.g. coder), starting and ending with a letter or digit.");

export function isProfileName(value: unknown): value is string {
  return typeof value === "string" && PROFILE_NAME_PATTERN.test(value);
}
