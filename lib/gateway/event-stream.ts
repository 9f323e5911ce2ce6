/**
 * AWS's binary event stream (`application/vnd.amazon.eventstream`, Bedrock's converse-stream and
 * invoke-with-response-stream), decoded incrementally for usage only. Each message: total length
 * (u32 BE), headers length (u32), prelude CRC, headers, payload, message CRC. CRCs are the
 * client's to check; a frame larger than MAX_FRAME is skipped without being held.
 */
import "server-only";
import { UsageTally, type UsageReader } from "./usage";

/** Largest frame whose payload is inspected (usage frames are tiny). */
export const MAX_FRAME = 256 * 1024;
const PRELUDE = 12;
const MIN_FRAME = 16;

/** The string headers of one frame (`:event-type`, `:message-type`, …); other types are skipped. */
export function frameHeaders(bytes: Buffer): Map<string, string> | null {
  const headers = new Map<string, string>();
  let i = 0;
  while (i < bytes.length) {
    const nameLength = bytes[i]!;
    const name = bytes.subarray(i + 1, i + 1 + nameLength).toString("utf8");
    i += 1 + nameLength;
    const type = bytes[i];
    i += 1;
    let size: number;
    switch (type) {
      case 0:
      case 1:
        size = 0;
        break;
      case 2:
        size = 1;
        break;
      case 3:
        size = 2;
        break;
      case 4:
        size = 4;
        break;
      case 5:
      case 8:
        size = 8;
        break;
      case 9:
        size = 16;
        break;
      case 6:
      case 7: {
        if (i + 2 > bytes.length) return null;
        const length = bytes.readUInt16BE(i);
        i += 2;
        if (type === 7) headers.set(name, bytes.subarray(i, i + length).toString("utf8"));
        size = length;
        break;
      }
      default:
        return null;
    }
    i += size;
  }
  return i === bytes.length ? headers : null;
}

/**
 * Usage from an event stream: Converse's `metadata` event (`{"usage":{"inputTokens",…}}`) and
 * InvokeModel's `chunk` events, whose base64 `bytes` hold the model's own events (Anthropic's
 * message_start / message_delta, or `amazon-bedrock-invocationMetrics` in the last one).
 */
export function eventStreamUsageReader(): UsageReader {
  const tally = new UsageTally();
  let pending: Buffer[] = [];
  let pendingSize = 0;
  let skip = 0;
  let broken = false;
  // Length of the frame being gathered, once its prelude is in (no copying until it is complete).
  let expected = 0;

  const inspect = (frame: Buffer) => {
    const headersLength = frame.readUInt32BE(4);
    if (PRELUDE + headersLength + 4 > frame.length) return;
    const headers = frameHeaders(frame.subarray(PRELUDE, PRELUDE + headersLength));
    if (!headers || headers.get(":message-type") !== "event") return;
    const payload = frame.subarray(PRELUDE + headersLength, frame.length - 4).toString("utf8");
    const event = headers.get(":event-type");
    if (event === "metadata") tally.noteText(payload);
    else if (event === "chunk") {
      const bytes = /"bytes"\s*:\s*"([A-Za-z0-9+/=]*)"/.exec(payload)?.[1];
      if (bytes) tally.noteText(Buffer.from(bytes, "base64").toString("utf8"));
    }
  };

  const drain = () => {
    while (!broken) {
      if (pendingSize < Math.max(PRELUDE, expected)) return;
      const buffer = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingSize);
      pending = [buffer];
      const total = buffer.readUInt32BE(0);
      if (total < MIN_FRAME) {
        // Not an event stream (or out of step): stop reading, never stall.
        broken = true;
        pending = [];
        pendingSize = 0;
        return;
      }
      if (total > MAX_FRAME) {
        const dropped = Math.min(total, pendingSize);
        skip = total - dropped;
        pending = [buffer.subarray(dropped)];
        pendingSize -= dropped;
        if (skip > 0) return;
        continue;
      }
      if (pendingSize < total) {
        expected = total;
        return;
      }
      expected = 0;
      inspect(buffer.subarray(0, total));
      pending = [buffer.subarray(total)];
      pendingSize -= total;
    }
  };

  return {
    push(chunk) {
      if (broken) return;
      let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (skip > 0) {
        const dropped = Math.min(skip, bytes.length);
        skip -= dropped;
        bytes = bytes.subarray(dropped);
        if (bytes.length === 0) return;
      }
      // Copied: the caller's chunk goes on to the client and may be reused.
      pending.push(Buffer.from(bytes));
      pendingSize += bytes.length;
      drain();
    },
    result: () => tally.result,
  };
}
