/**
 * Writes this process committed through drizzle (PostgreSQL): a counter the resolution cache
 * compares with what its invalidation feed has caught up to (lib/resolution/index.ts), so that the
 * next agent request on this instance sees the write. The agent hot path's own statements (usage,
 * last-used, budget counters) go through `preparedQuery` and are not counted: they change no answer.
 */
type Counter = { epoch: number };

const holder = globalThis as typeof globalThis & { __byokLocalWrites?: Counter };

export const localWrites: Counter = (holder.__byokLocalWrites ??= { epoch: 0 });

/** Called when a write that may change an answer (a transaction, or see `mayWrite`) has completed. */
export function noteLocalWrite(): void {
  localWrites.epoch++;
}

/**
 * The tables whose writes the triggers of db/migrations/0009 announce (rows of every other table
 * that cascade into them are rows of these). Keep in step with that migration.
 */
const ANNOUNCED =
  /\b(agent_tokens|provider_credentials|user_defaults|org_defaults|memberships|credential_shares|users|organizations|model_profiles|model_profile_entries)\b/;

/**
 * Whether a single statement may change what an agent token resolves to: not a plain SELECT, and
 * it names an announced table. So the activity log's batched INSERT (once a second under agent
 * load) does not make the next agent request wait for the feed. Transactions always count.
 */
export const mayWrite = (text: unknown): boolean => typeof text !== "string" || (!/^\s*select\b/i.test(text) && ANNOUNCED.test(text));
