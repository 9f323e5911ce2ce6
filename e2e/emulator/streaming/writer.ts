/**
 * Writes a streamed Reply: headers first, then each frame as it is due, pacing the content frames
 * by the plan's interval, honouring backpressure, and stopping when the client goes away.
 */
import type { ServerResponse } from "node:http";
import type { StreamBody } from "../types";
import { preciseNow } from "./plan";

function pause(ms: number, res: ServerResponse): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on("close", done);
  });
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** Sends the frames; resolves with how many were written before the end or the client's close. */
export async function writeStream(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  stream: StreamBody,
  onFrame?: () => void,
): Promise<number> {
  res.writeHead(status, { "cache-control": "no-cache", ...headers });
  res.flushHeaders();
  let sent = 0;
  let pacedBefore = false;
  for (const frame of stream.frames) {
    if (frame.paced && pacedBefore) await pause(stream.intervalMs, res);
    if (frame.paced) pacedBefore = true;
    if (res.destroyed || res.writableEnded) return sent;
    const ok = res.write(frame.render(preciseNow()));
    sent++;
    onFrame?.();
    if (!ok) await drained(res);
  }
  if (!res.destroyed) res.end();
  return sent;
}
