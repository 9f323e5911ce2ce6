import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { signWebhook } from "@/lib/alerts/signature";
import { VERIFY_SNIPPET } from "./verify-snippet";

type Verify = (secret: string, header: string, body: string) => boolean;

/** Runs the published snippet as written (its import replaced by the same functions). */
function snippet(): Verify {
  const code = VERIFY_SNIPPET.replace(/^import .*\n/, "").replace("export function", "function");
  return new Function("createHmac", "timingSafeEqual", "Buffer", `${code}\nreturn verifyByokSignature;`)(
    createHmac,
    timingSafeEqual,
    Buffer,
  ) as Verify;
}

describe("the verification snippet on the Alerts page", () => {
  it("accepts BYOK's signature and refuses a changed body, another secret or an old timestamp", () => {
    const verify = snippet();
    const body = '{"id":"1","type":"test","data":{}}';
    const header = signWebhook("whsec-snippet-secret", body);
    expect(verify("whsec-snippet-secret", header, body)).toBe(true);
    expect(verify("whsec-snippet-secret", header, body.replace("test", "tset"))).toBe(false);
    expect(verify("another-secret-value", header, body)).toBe(false);
    expect(verify("whsec-snippet-secret", signWebhook("whsec-snippet-secret", body, Math.floor(Date.now() / 1000) - 600), body)).toBe(
      false,
    );
    expect(verify("whsec-snippet-secret", "garbage", body)).toBe(false);
  });

  it("is the one the README shows", () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");
    expect(readme).toContain(VERIFY_SNIPPET);
  });
});
