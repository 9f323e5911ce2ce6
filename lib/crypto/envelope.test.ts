import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DecryptionError, openSecrets, rewrapDataKey, sealSecrets, type SecretContext } from "./envelope";
import { generateMasterKeySpec, parseMasterKeys } from "./master-keys";

const keyring = parseMasterKeys(generateMasterKeySpec("v1"));
const secrets = { apiKey: "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789MxYA" };
const ctx = (): SecretContext => ({ credentialId: randomUUID(), owner: { type: "user", id: randomUUID() }, provider: "openai" });

function flipByte(b64: string, index: number): string {
  const bytes = Buffer.from(b64, "base64");
  bytes[index]! ^= 0x01;
  return bytes.toString("base64");
}

describe("envelope encryption", () => {
  it("round-trips, and the ciphertext does not contain the key", () => {
    const context = ctx();
    const sealed = sealSecrets(secrets, context, keyring);
    expect(sealed.keyVersion).toBe("v1");
    expect(JSON.stringify(sealed)).not.toContain("MxYA");
    expect(JSON.stringify(sealed)).not.toContain(Buffer.from(secrets.apiKey).toString("base64").slice(0, 20));
    expect(openSecrets(sealed, context, keyring)).toEqual(secrets);
  });

  it("uses a fresh data key and IV each time", () => {
    const context = ctx();
    const a = sealSecrets(secrets, context, keyring);
    const b = sealSecrets(secrets, context, keyring);
    expect(a.secretCiphertext).not.toBe(b.secretCiphertext);
    expect(a.wrappedDataKey).not.toBe(b.wrappedDataKey);
  });

  it("refuses tampered ciphertext or wrapped key with a clear error", () => {
    const context = ctx();
    const sealed = sealSecrets(secrets, context, keyring);
    for (const broken of [
      { ...sealed, secretCiphertext: flipByte(sealed.secretCiphertext, 14) },
      { ...sealed, secretCiphertext: flipByte(sealed.secretCiphertext, 0) },
      { ...sealed, wrappedDataKey: flipByte(sealed.wrappedDataKey, 20) },
    ]) {
      expect(() => openSecrets(broken, context, keyring)).toThrowError(DecryptionError);
      expect(() => openSecrets(broken, context, keyring)).toThrowError(/does not decrypt/);
    }
    expect(() => openSecrets({ ...sealed, secretCiphertext: "AAAA" }, context, keyring)).toThrowError(/malformed/);
  });

  it("does not decrypt when the row is copied to another owner, credential or provider", () => {
    const context = ctx();
    const sealed = sealSecrets(secrets, context, keyring);
    const variants: SecretContext[] = [
      { ...context, owner: { type: "user", id: randomUUID() } },
      { ...context, owner: { type: "org", id: context.owner.id } },
      { ...context, credentialId: randomUUID() },
      { ...context, provider: "anthropic" },
    ];
    for (const other of variants) {
      expect(() => openSecrets(sealed, other, keyring)).toThrowError(expect.objectContaining({ reason: "authentication_failed" }));
    }
  });

  it("fails clearly under the wrong master key or an unknown key version", () => {
    const context = ctx();
    const sealed = sealSecrets(secrets, context, keyring);
    const otherRing = parseMasterKeys(generateMasterKeySpec("v1"));
    expect(() => openSecrets(sealed, context, otherRing)).toThrowError(expect.objectContaining({ reason: "authentication_failed" }));
    const v2only = parseMasterKeys(generateMasterKeySpec("v2"));
    expect(() => openSecrets(sealed, context, v2only)).toThrowError(/master key v1, which is not in BYOK_ENCRYPTION_KEYS/);
  });

  it("re-wraps under the new active key; the old key can then be dropped", () => {
    const context = ctx();
    const sealed = sealSecrets(secrets, context, keyring);
    const v1 = `v1:${keyring.keys.get("v1")!.toString("base64")}`;
    const rotated = parseMasterKeys(`${generateMasterKeySpec("v2")},${v1}`);
    const rewrapped = { ...sealed, ...rewrapDataKey(sealed, context, rotated) };
    expect(rewrapped.keyVersion).toBe("v2");
    expect(rewrapped.secretCiphertext).toBe(sealed.secretCiphertext);
    const v2only = parseMasterKeys(`v2:${rotated.keys.get("v2")!.toString("base64")}`);
    expect(openSecrets(rewrapped, context, v2only)).toEqual(secrets);
    // A version label swapped on the row is caught too.
    expect(() => openSecrets({ ...rewrapped, keyVersion: "v1" }, context, rotated)).toThrowError(DecryptionError);
  });
});

describe("parseMasterKeys", () => {
  it("takes the first entry as active", () => {
    const ring = parseMasterKeys(`${generateMasterKeySpec("v3")}, ${generateMasterKeySpec("v2")}`);
    expect(ring.active.version).toBe("v3");
    expect([...ring.keys.keys()]).toEqual(["v3", "v2"]);
  });

  it.each([
    ["", /empty/],
    ["v1", /must look like v1:/],
    ["v1:short", /exactly 32 bytes/],
    [`v1:${Buffer.alloc(31).toString("base64")}`, /exactly 32 bytes/],
    [`${generateMasterKeySpec("v1")},${generateMasterKeySpec("v1")}`, /appears twice/],
  ])("refuses %j with a message that names the problem", (spec, message) => {
    expect(() => parseMasterKeys(spec)).toThrowError(message);
  });

  it("never echoes key material in its errors", () => {
    const material = Buffer.alloc(20, 9).toString("base64");
    expect(() => parseMasterKeys(`v1:${material}`)).toThrowError(
      expect.not.objectContaining({ message: expect.stringContaining(material) }),
    );
  });
});
