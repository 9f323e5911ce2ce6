/** Shared pieces of integration tests: users, form data, agent requests, the provider emulator. */
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll } from "vitest";
import type { Database } from "@/db/client";
import { emulatorApiHost, startEmulator, type Emulator } from "@/e2e/emulator";
import { signUpSchema } from "@/lib/auth/schemas";
import { createUser } from "@/lib/auth/users";

export async function createTestUser(db: Database, name = "Test User") {
  const id = randomUUID().slice(0, 8);
  return createUser(db, signUpSchema.parse({ name: `${name} ${id}`, email: `${id}@example.test`, password: "a long enough password" }));
}

/** Starts the provider emulator for the file; `emulator()` returns it inside tests. */
export function withEmulator(options: { slowMs?: number } = {}) {
  let instance: Emulator | undefined;
  beforeAll(async () => {
    instance = await startEmulator({ slowMs: options.slowMs ?? 5000 });
  });
  afterAll(async () => {
    await instance?.close();
  });
  return {
    emulator: () => instance!,
    host: (provider: string) => emulatorApiHost(instance!.url, provider),
  };
}

/** FormData for a provider card, the way the browser sends it. */
export function cardForm(values: {
  provider: string;
  apiHost: string;
  model: string;
  fields?: Record<string, string>;
  intent?: "save" | "save_anyway";
  expectedVersion?: number;
}): FormData {
  const form = new FormData();
  form.set("provider", values.provider);
  form.set("apiHost", values.apiHost);
  form.set("model", values.model);
  form.set("intent", values.intent ?? "save");
  if (values.expectedVersion !== undefined) form.set("expectedVersion", String(values.expectedVersion));
  for (const [name, value] of Object.entries(values.fields ?? {})) form.set(`field.${name}`, value);
  return form;
}

/** A GET /api/v1/config request as an agent would send it (from a random address unless `ip` is given). */
export function configRequest(authorization: string | null, query = "", ip = `203.0.113.${Math.floor(Math.random() * 250)}`): NextRequest {
  const headers = new Headers({ "x-forwarded-for": ip });
  if (authorization !== null) headers.set("authorization", authorization);
  return new NextRequest(`http://localhost/api/v1/config${query}`, { headers });
}
