/**
 * Scenarios are picked by the API key: a case-insensitive substring (`sk-bad-1`, `my-QUOTA-key`).
 * A key may carry several; each provider module decides the precedence (see openai-style.ts).
 * One scenario goes by model instead: an OpenAI-style chat completion for a model whose name holds
 * `ratelimit` gets the provider's 429 (openai-chat.ts), so a profile entry can be refused alone.
 */
import { randomInt } from "node:crypto";

export const SCENARIOS = ["bad", "quota", "ratelimit", "slow", "error500", "overloaded", "huge", "redirect", "notools"] as const;

export type ScenarioName = (typeof SCENARIOS)[number];

export type Scenario = {
  /** The credential as sent; undefined when missing or empty. */
  key: string | undefined;
  missingKey: boolean;
  has(name: ScenarioName): boolean;
};

export function scenarioOf(key: string | undefined): Scenario {
  const present = key !== undefined && key !== "" ? key : undefined;
  const lower = present?.toLowerCase() ?? "";
  const names = new Set(SCENARIOS.filter((name) => lower.includes(name)));
  return { key: present, missingKey: present === undefined, has: (name) => names.has(name) };
}

// Every scenario word has a vowel, so random text without vowels can never trigger one by accident
// (random hex can: "bad" is hex).
const SAFE_ALPHABET = "bcdfghjkmnpqrstvwxyzBCDFGHJKLMNPQRSTVWXYZ23456789";

/**
 * A realistic-looking key for a scenario, e.g. `emulatorKey("quota")` →
 * `sk-proj-quota-Xk3…` (48 random characters that cannot trigger another scenario).
 */
export function emulatorKey(scenario: ScenarioName | "valid" = "valid", prefix = "sk-proj-"): string {
  let tail = "";
  for (let i = 0; i < 48; i++) tail += SAFE_ALPHABET[randomInt(SAFE_ALPHABET.length)];
  return `${prefix}${scenario}-${tail}`;
}
