/**
 * Local state for embedded mode: generated secrets live in files under BYOK_DATA_DIR (.data/),
 * created once with mode 0600 and read back on every later start.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ env.BYOK_DATA_DIR);
}

export function pgliteDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ env.PGLITE_DIR ?? path.join(env.BYOK_DATA_DIR, "pglite"));
}

/**
 * Returns the content of `.data/<name>`, creating it with `create()` the first time. Safe when
 * two processes race: the loser of the exclusive create reads the winner's file.
 */
export function readOrCreateSecretFile(name: string, create: () => string): { value: string; created: boolean; file: string } {
  const file = path.join(dataDir(), name);
  try {
    return { value: readFileSync(file, "utf8").trim(), created: false, file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir(), { recursive: true, mode: 0o700 });
  const value = create();
  try {
    writeFileSync(file, `${value}\n`, { flag: "wx", mode: 0o600 });
    return { value, created: true, file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { value: readFileSync(file, "utf8").trim(), created: false, file };
  }
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64");
}
