/**
 * The URL slug an organization name becomes: the browser's copy of lib/orgs/organizations.ts
 * `slugify` (that module is server-only), for the live preview. The server decides.
 */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
}
