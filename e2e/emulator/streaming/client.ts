/**
 * Reading streams on the client side, for tests, the e2e spec and the bench: SSE events and AWS
 * event stream messages as they arrive, each with its receipt time (same clock as the send time).
 */
import { EventStreamDecoder, type EventMessage } from "./event-stream";
import { preciseNow } from "./plan";

/** The body's chunks as they arrive (the DOM lib's ReadableStream type is not async-iterable). */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export type SseEvent = { event?: string; data: string; receivedAt: number };

/** SSE events from a response body, as each one completes. */
export async function* sseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of chunksOf(body)) {
    const receivedAt = preciseNow();
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, "\n");
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length > 0 || event) yield { event, data: data.join("\n"), receivedAt };
    }
  }
}

/** AWS event stream messages from a response body, as each one completes. */
export async function* eventStreamMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<EventMessage & { receivedAt: number }> {
  const decoder = new EventStreamDecoder();
  for await (const chunk of chunksOf(body)) {
    const receivedAt = preciseNow();
    for (const message of decoder.push(chunk)) yield { ...message, receivedAt };
  }
  if (decoder.pending > 0) throw new Error(`event stream ended inside a message (${decoder.pending} bytes left)`);
}
