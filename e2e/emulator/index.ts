/** Provider emulator: a real HTTP server on 127.0.0.1 that answers like the LLM providers do. */
export { startEmulator } from "./server";
export { emulatorApiHost, PROVIDERS } from "./registry";
export { emulatorKey, SCENARIOS, scenarioOf, type ScenarioName } from "./scenarios";
export type { EmulatedProvider, Emulator, EmulatorOptions, RecordedRequest } from "./types";
