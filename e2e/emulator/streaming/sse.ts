/** Server-sent events framing, and the send-time field every emulated chunk carries. */
import type { Frame } from "../types";

/** Name of the field holding the chunk's send time (ms since the epoch, sub-ms). */
export const SENT_AT = "emulator_sent_at";

export const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive" };

/** `data: {json with the send time}\n\n` (with `event: <name>` first when named). */
export function sseFrame(data: Record<string, unknown>, options: { event?: string; paced?: boolean } = {}): Frame {
  const prefix = options.event ? `event: ${options.event}\n` : "";
  return { paced: options.paced, render: (sentAt) => `${prefix}data: ${JSON.stringify({ ...data, [SENT_AT]: sentAt })}\n\n` };
}

/** A literal frame, e.g. `data: [DONE]\n\n`. */
export function rawFrame(text: string): Frame {
  return { render: () => text };
}
