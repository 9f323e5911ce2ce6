/**
 * The one place that reads process.env. Every variable BYOK understands is declared, parsed and
 * documented here (and in .env.example); everything else imports `env`.
 */
import { z } from "zod";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : v === "true" || v === "1" || v === "yes"));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== "" ? v.trim() : undefined));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** postgres://… — PostgreSQL through postgres.js. Unset: embedded PGlite. */
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  /** Maximum connections in the postgres.js pool. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Where BYOK keeps local state in embedded mode (generated secrets, PGlite). */
  BYOK_DATA_DIR: optionalString.transform((v) => v ?? ".data"),
  /** Embedded PGlite directory; defaults to <BYOK_DATA_DIR>/pglite. */
  PGLITE_DIR: optionalString,
  /** Signs session cookies. Generated into .data/ in embedded mode when unset. */
  AUTH_SECRET: optionalString,
  /** Trust the Host header (needed by `next start` outside Vercel). Default true. */
  AUTH_TRUST_HOST: bool(true),
  /** Master keys for provider secrets: `v2:<base64 32 bytes>,v1:<…>`, first active. */
  BYOK_ENCRYPTION_KEYS: optionalString,
  /** Hosts allowed to resolve to private addresses: names, IPs, CIDRs, or `*`. */
  ALLOW_PRIVATE_API_HOSTS: optionalString.transform((v) => v ?? ""),
  /** Timeout of one request to a provider, in ms (default 10 s). */
  PROVIDER_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Timeout of a whole validation (key + model + invocation), in ms (default 20 s). */
  PROVIDER_VALIDATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  /** Gateway: most time an upstream may send nothing (before its headers, and between two body chunks), in ms (default 60 s). */
  GATEWAY_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Gateway: requests per minute per agent token, per instance (default 6000). */
  GATEWAY_TOKEN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6_000),
  /** Hours between background re-checks of every stored credential (default 24; 0 disables). */
  REVALIDATE_INTERVAL_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .default(24),
  /** Pause between two provider calls of a re-validation pass, in ms (default 2 s). */
  REVALIDATE_SPACING_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
  /** Seconds between two looks for a due re-validation pass (default 600; the first comes after min(60, this)). */
  REVALIDATE_TICK_SECONDS: z.coerce.number().min(1).max(86_400).default(600),
  /** Seconds between two looks for due webhook deliveries (default 15; 0 disables the worker). */
  ALERTS_POLL_SECONDS: z.coerce.number().min(0).max(3_600).default(15),
  /** Base of the webhook retry backoff in ms: retries after base × 1, 4, 20, 60, 120, 240 (default 30 s). */
  ALERTS_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  /** smtp(s)://user:pass@host:port — when set, invitations are also sent by email (APP_URL then required). */
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
      .optional(),
  ),
  /** Sender of those emails. */
  SMTP_FROM: optionalString.transform((v) => v ?? "BYOK <no-reply@byok.local>"),
  /** BYOK's public URL: links in emails come from it only (required with SMTP_URL); pages fall back to the request's Host. */
  APP_URL: optionalString.pipe(z.url().optional()),
  /**
   * Single sign-on with OpenID Connect: the identity provider's issuer URL, exactly as its
   * discovery document (<issuer>/.well-known/openid-configuration) states it. With
   * OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (all three or none), /login offers "Sign in with <OIDC_NAME>".
   */
  OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  /** The client id BYOK is registered under at the identity provider. */
  OIDC_CLIENT_ID: optionalString,
  /** That client's secret (a confidential client: BYOK authenticates at the token endpoint). */
  OIDC_CLIENT_SECRET: optionalString,
  /** The identity provider's name on the sign-in button: "Sign in with <OIDC_NAME>" (default "SSO"). */
  OIDC_NAME: optionalString.transform((v) => v ?? "SSO"),
  /** Comma list of email domains allowed to sign in with SSO (e.g. `example.com,example.org`); unset: any. */
  OIDC_ALLOWED_DOMAINS: optionalString.transform((v) =>
    (v ?? "")
      .split(",")
      .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
      .filter(Boolean),
  ),
  /**
   * Reverse proxies in front of BYOK that each append to X-Forwarded-For (default 0: the client is
   * the socket's peer and X-Forwarded-For is ignored). Behind one proxy (nginx, Caddy, a load
   * balancer), set 1.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Port for `next start` / `next dev` (read by Next itself; validated here). */
  /**
   * Agent tokens whose resolution each instance keeps in memory (lib/resolution/; rows with
   * ciphertext, about 2 KB each). 0 turns the cache off.
   */
  RESOLUTION_CACHE_SIZE: z.coerce.number().int().min(0).max(10_000_000).default(100_000),
  /** Unknown tokens remembered as unknown (a flood of made-up tokens costs one query each), and for how long. */
  RESOLUTION_CACHE_UNKNOWN_SIZE: z.coerce.number().int().min(0).max(10_000_000).default(100_000),
  RESOLUTION_CACHE_UNKNOWN_TTL_SECONDS: z.coerce.number().min(1).max(3_600).default(60),
  /** PostgreSQL: how often the invalidation listener proves it is alive (a notification round trip), in ms. */
  RESOLUTION_FEED_PING_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    throw new Error(`Invalid environment configuration: ${problems}`);
  }
  return parsed.data;
}

export const env: Env = parseEnv(process.env);

/** Embedded mode: no DATABASE_URL, the database is PGlite on local disk. */
export const isEmbedded = env.DATABASE_URL === undefined;
export const isProduction = env.NODE_ENV === "production";
