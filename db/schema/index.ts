// Every table, one file per domain. drizzle-kit reads this file to generate migrations.
export * from "./users";
export * from "./rate-limits";
export * from "./organizations";
export * from "./credentials";
export * from "./tokens";
export * from "./jobs";
export * from "./audit";
export * from "./gateway";
export * from "./profiles";
export * from "./usage";
export * from "./budgets";
export * from "./webhooks";
