import { defineConfig } from "drizzle-kit";

// Generates SQL migrations from db/schema into db/migrations (committed; applied at start).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  strict: true,
  verbose: true,
});
