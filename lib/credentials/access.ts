/**
 * Who may use a credential: the one rule, used by config resolution, the gateway and the pages.
 *
 * A user may use their own credentials, and an org credential when they are a member of its org
 * and an owner or admin, or it is shared with all members, or it is shared with them. An org token
 * may use its own org's credentials. Written once as SQL text, so raw prepared statements (agent
 * hot path) and Drizzle queries (pages) embed the very same text.
 */

/** SQL text: may the user `user` (an SQL expression) use credential row alias `c`? Never NULL. */
export function userMayUseSql(c: string, user: string): string {
  return `(coalesce(${c}.owner_user_id = ${user}, false) or (${c}.owner_org_id is not null and exists (
    select 1 from memberships m where m.org_id = ${c}.owner_org_id and m.user_id = ${user}
      and (m.role in ('owner', 'admin') or ${c}.share_mode = 'all'
        or exists (select 1 from credential_shares s where s.credential_id = ${c}.id and s.user_id = ${user})))))`;
}

/** SQL text: may agent token row alias `t` (personal or org token) use credential row alias `c`? Never NULL. */
export function tokenMayUseSql(c: string, t: string): string {
  return `((${t}.owner_org_id is not null and coalesce(${c}.owner_org_id = ${t}.owner_org_id, false))
    or (${t}.owner_user_id is not null and ${userMayUseSql(c, `${t}.owner_user_id`)}))`;
}
