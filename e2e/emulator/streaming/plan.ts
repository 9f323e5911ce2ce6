/**
 * How a request asks the emulator for a paced stream: `:stream-<chunks>x<interval>ms` (or
 * `@stream-…`) at the end of the model name (body `model`, an Azure deployment or a Bedrock model id
 * in the path), or an `x-emulator-stream: <chunks>x<interval>ms` header. The model name travels
 * through any gateway or SDK unchanged (`:` passes the gateway's Bedrock model-id check, `@` does
 * not); the header is for direct calls. Chunks then carry the numbered words `w1 w2 …`.
 */
import type { ProviderRequest } from "../types";

export type StreamPlan = { chunks: number; intervalMs: number };

const SUFFIX = /[:@]stream-(\d+)x(\d+(?:\.\d+)?)ms$/;
const HEADER = /^\s*(\d+)x(\d+(?:\.\d+)?)ms\s*$/;
const MAX_CHUNKS = 100_000;

function toPlan(chunks: string, interval: string): StreamPlan | undefined {
  const plan = { chunks: Number(chunks), intervalMs: Number(interval) };
  return plan.chunks >= 1 && plan.chunks <= MAX_CHUNKS && plan.intervalMs <= 60_000 ? plan : undefined;
}

/** The name without its plan suffix, and the plan it carried (if any). */
export function splitPlan(name: string): { name: string; plan?: StreamPlan } {
  const match = SUFFIX.exec(name);
  if (!match) return { name };
  return { name: name.slice(0, match.index), plan: toPlan(match[1]!, match[2]!) };
}

/** The plan in the `x-emulator-stream` header, if any. */
export function headerPlan(request: Pick<ProviderRequest, "headers">): StreamPlan | undefined {
  const match = HEADER.exec(request.headers["x-emulator-stream"] ?? "");
  return match ? toPlan(match[1]!, match[2]!) : undefined;
}

/** `w1`, ` w2`, … ` wN`: the deterministic content of a planned answer, one word per chunk. */
export function numberedWords(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i === 0 ? "w1" : ` w${i + 1}`));
}

/** Milliseconds since the epoch with sub-millisecond precision: the send time put in each chunk. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
