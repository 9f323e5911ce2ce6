/** Runs the emulator standalone: `npx tsx e2e/emulator/cli.ts [--port 4010] [--slow-ms 15000]`. */
import { emulatorApiHost, PROVIDERS, startEmulator } from "./index";

function option(args: string[], name: string): number | undefined {
  const index = args.indexOf(name);
  const inline = args.find((arg) => arg.startsWith(`${name}=`));
  const raw = inline ? inline.slice(name.length + 1) : index >= 0 ? args[index + 1] : undefined;
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} wants a non-negative integer, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const emulator = await startEmulator({ port: option(args, "--port") ?? 4010, slowMs: option(args, "--slow-ms") });
  console.log(`Provider emulator listening on ${emulator.url}`);
  for (const provider of PROVIDERS) console.log(`  ${provider.id.padEnd(18)} ${emulatorApiHost(emulator.url, provider.id)}`);
  console.log(`Request log: GET/DELETE ${emulator.url}/__emulator/requests`);
  console.log(`Closed early: GET/DELETE ${emulator.url}/__emulator/connections`);
  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
