/** Test helper: calls an emulator over real HTTP with an optional Bearer key and JSON body. */

export type CallOptions = { key?: string; method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> };

export type CallResult = { status: number; headers: Headers; text: string; json: unknown };

export async function call(baseUrl: string, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${baseUrl}${path}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
    redirect: "manual",
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The `error` object of an OpenAI-style envelope. */
export function errorOf(result: CallResult): Record<string, unknown> {
  const body = result.json as { error?: Record<string, unknown> } | undefined;
  if (!body?.error || typeof body.error !== "object") throw new Error(`no error envelope in: ${result.text.slice(0, 200)}`);
  return body.error;
}
