import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "./signature";

const secret = "whsec-a-long-enough-secret";
const body = JSON.stringify({ id: "1", type: "test", data: {} });

describe("webhook signatures", () => {
  it("signs t=<unix>,v1=<hex HMAC-SHA256 of `${t}.${body}`> and verifies it", () => {
    const header = signWebhook(secret, body, 1_800_000_000);
    const expected = createHmac("sha256", secret).update(`1800000000.${body}`).digest("hex");
    expect(header).toBe(`t=1800000000,v1=${expected}`);
    expect(verifyWebhookSignature({ secret, header, body, now: 1_800_000_000 })).toBe(true);
  });

  it("refuses another body, another secret, a malformed header or no header", () => {
    const header = signWebhook(secret, body);
    expect(verifyWebhookSignature({ secret, header, body: body + " " })).toBe(false);
    expect(verifyWebhookSignature({ secret: "another-secret-value!", header, body })).toBe(false);
    expect(verifyWebhookSignature({ secret, header: header.replace("v1=", "v0="), body })).toBe(false);
    expect(verifyWebhookSignature({ secret, header: "t=abc,v1=00", body })).toBe(false);
    expect(verifyWebhookSignature({ secret, header: undefined, body })).toBe(false);
  });

  it("refuses a timestamp more than 5 minutes away (replays), accepts one within", () => {
    const header = signWebhook(secret, body, 1_800_000_000);
    expect(verifyWebhookSignature({ secret, header, body, now: 1_800_000_000 + 299 })).toBe(true);
    expect(verifyWebhookSignature({ secret, header, body, now: 1_800_000_000 + 301 })).toBe(false);
    expect(verifyWebhookSignature({ secret, header, body, now: 1_800_000_000 - 301 })).toBe(false);
  });

  it("accepts the header as an array (Node's IncomingHttpHeaders) and any of several v1 entries", () => {
    const header = signWebhook(secret, body);
    const [t, v1] = header.split(",");
    expect(verifyWebhookSignature({ secret, header: [header], body })).toBe(true);
    expect(verifyWebhookSignature({ secret, header: `${t},v1=${"0".repeat(64)},${v1}`, body })).toBe(true);
  });
});
