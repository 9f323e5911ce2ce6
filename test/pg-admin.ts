import postgres from "postgres";

/** A one-connection client for CREATE/DROP DATABASE against the server in `url`. */
export function adminSql(url: string) {
  return postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5, fetch_types: false });
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
