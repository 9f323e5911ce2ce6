/**
 * Modules that hold or handle key material refuse to load outside the server: imported under the
 * default (client) export conditions, `server-only` throws, so a client component that pulled one
 * in would fail the build instead of shipping it to the browser.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const SENSITIVE = [
  "lib/crypto/envelope.ts",
  "lib/crypto/master-keys.ts",
  "lib/credentials/rotate.ts",
  "lib/alerts/webhooks.ts",
  "lib/config/resolve.ts",
  "lib/credentials/queries.ts",
  "lib/credentials/save.ts",
  "lib/providers/http-step.ts",
  "db/client.ts",
];

// One child process imports each module and reports what happened, without the react-server condition.
const probe = `
const results = {};
for (const file of ${JSON.stringify(SENSITIVE)}) {
  try { await import("./" + file); results[file] = "loaded"; }
  catch (error) { results[file] = String(error?.message ?? error).split("\\n")[0]; }
}
console.log(JSON.stringify(results));`;

describe("server-only modules", () => {
  it("every module that touches keys throws when imported outside the server", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NODE_ENV: "test" },
    });
    const results = JSON.parse(out.trim().split("\n").pop()!) as Record<string, string>;
    for (const file of SENSITIVE)
      expect({ file, result: results[file] }).toEqual({
        file,
        result: expect.stringMatching(/cannot be imported from a Client Component/),
      });
  }, 60_000);
});
