/**
 * AWS's binary event stream framing (application/vnd.amazon.eventstream), both ways: a message is
 * a prelude (total length, headers length, CRC32 of those 8 bytes), headers (name length, name,
 * type 7 = string, value length, value), the payload, and a CRC32 of everything before it.
 */
import { crc32 } from "node:zlib";

export const EVENT_STREAM_TYPE = "application/vnd.amazon.eventstream";

const STRING_TYPE = 7;

export type EventMessage = { headers: Record<string, string>; payload: Buffer };

/** One encoded message with string headers. */
export function encodeMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const headerParts = Object.entries(headers).map(([name, value]) => {
    const nameBytes = Buffer.from(name, "utf8");
    const valueBytes = Buffer.from(value, "utf8");
    const part = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
    part.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(part, 1);
    part.writeUInt8(STRING_TYPE, 1 + nameBytes.length);
    part.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    valueBytes.copy(part, 4 + nameBytes.length);
    return part;
  });
  const headerBytes = Buffer.concat(headerParts);
  const total = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  Buffer.from(payload).copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** An `event` message as Bedrock sends them: JSON payload, `:event-type` naming it. */
export function encodeEvent(eventType: string, payload: unknown): Buffer {
  return encodeMessage(
    { ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" },
    Buffer.from(JSON.stringify(payload), "utf8"),
  );
}

/**
 * Incremental decoder: feed it bytes as they arrive, get back the complete messages. Throws on a
 * bad CRC or a header type other than string, so tests see corrupted framing.
 */
export class EventStreamDecoder {
  private buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): EventMessage[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const messages: EventMessage[] = [];
    while (this.buffer.length >= 12) {
      const total = this.buffer.readUInt32BE(0);
      if (this.buffer.length < total) break;
      const message = this.buffer.subarray(0, total);
      this.buffer = this.buffer.subarray(total);
      messages.push(decodeMessage(message));
    }
    return messages;
  }

  /** Bytes left over that do not make a whole message. */
  get pending(): number {
    return this.buffer.length;
  }
}

function decodeMessage(message: Buffer): EventMessage {
  const total = message.readUInt32BE(0);
  const headersLength = message.readUInt32BE(4);
  if (message.readUInt32BE(8) !== crc32(message.subarray(0, 8))) throw new Error("event stream: bad prelude CRC");
  if (message.readUInt32BE(total - 4) !== crc32(message.subarray(0, total - 4))) throw new Error("event stream: bad message CRC");
  const headers: Record<string, string> = {};
  let at = 12;
  while (at < 12 + headersLength) {
    const nameLength = message.readUInt8(at);
    const name = message.toString("utf8", at + 1, at + 1 + nameLength);
    const type = message.readUInt8(at + 1 + nameLength);
    if (type !== STRING_TYPE) throw new Error(`event stream: header ${name} has type ${type}, not string`);
    const valueLength = message.readUInt16BE(at + 2 + nameLength);
    headers[name] = message.toString("utf8", at + 4 + nameLength, at + 4 + nameLength + valueLength);
    at += 4 + nameLength + valueLength;
  }
  return { headers, payload: message.subarray(12 + headersLength, total - 4) };
}
