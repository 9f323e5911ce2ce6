/** What a provider card receives from the server: never a secret, only hints. */
export type StoredCredential = {
  id: string;
  model: string;
  apiHost: string;
  extra: Record<string, string>;
  secretHints: Record<string, string>;
  status: "valid" | "invalid" | "unverified";
  statusCode: string;
  statusDetail: string | null;
  validatedAt: string | null;
  /** Model parameters as pretty JSON ("" when none). */
  parameters: string;
  tools: "supported" | "unsupported" | "unknown" | null;
  version: number;
  /** What agents receive: the key, or gateway only. */
  delivery: "key" | "gateway";
};
