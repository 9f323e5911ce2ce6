/**
 * Activity events in plain words: "Ada saved OpenAI (gpt-4o) — valid", "Token “ci” fetched config
 * ×37 — ok". Pure and client-safe (types only from the server module). Details never hold a
 * secret; this only ever shows names, providers, models, emails, roles and outcomes.
 */
import type { ActivityEvent, EventKind } from "@/lib/audit/events";
import type { ActivityNames } from "@/lib/audit/load-activity";
import { getProvider } from "@/lib/providers/catalog";

/** Every kind, in plain words, in the order the "Kind" filter lists them. */
export const KIND_LABELS: Record<EventKind, string> = {
  "credential.created": "Provider added",
  "credential.updated": "Provider updated",
  "credential.validated": "Provider checked",
  "credential.removed": "Provider removed",
  "credential.delivery_changed": "Delivery changed",
  "default.changed": "Default changed",
  "org_default.changed": "Organization default changed",
  "share.changed": "Sharing changed",
  "token.created": "Token created",
  "token.revoked": "Token revoked",
  "config.fetched": "Config fetched by an agent",
  "org.created": "Organization created",
  "member.invited": "Member invited",
  "member.joined": "Member joined",
  "member.role_changed": "Member role changed",
  "member.removed": "Member removed",
  "member.left": "Member left",
  "ownership.transferred": "Ownership transferred",
  "invitation.revoked": "Invitation revoked",
  "keys.rotated": "Encryption keys rotated",
  "account.password_reset": "Password reset",
  "account.password_changed": "Password changed",
  "account.signed_out_everywhere": "Signed out of all devices",
  "account.sso_linked": "Single sign-on linked",
  "profile.created": "Profile created",
  "profile.updated": "Profile changed",
  "profile.deleted": "Profile deleted",
  "webhook.created": "Webhook added",
  "webhook.removed": "Webhook removed",
  "credential.price_set": "Price set",
  "credential.price_removed": "Price removed",
  "budget.set": "Budget set",
  "budget.removed": "Budget removed",
  "budget.threshold": "Budget at 80 %",
  "budget.exceeded": "Budget reached",
};

export type Tone = "success" | "warning" | "destructive" | "neutral";
export type DescribedEvent = {
  actor: string;
  /** The acting token's hint (`byok_…AbCd`), when a token acted and is known. */
  via?: string;
  action: string;
  outcome?: { text: string; tone: Tone };
  group: "credential" | "default" | "share" | "token" | "config" | "org" | "member" | "keys" | "profile" | "budget";
};

const OUTCOME_WORDS: Record<string, { text: string; tone: Tone }> = {
  valid: { text: "valid", tone: "success" },
  unverified: { text: "unverified", tone: "warning" },
  invalid: { text: "invalid", tone: "destructive" },
  invalid_key: { text: "invalid key", tone: "destructive" },
  invalid_model: { text: "invalid model", tone: "destructive" },
  quota_exceeded: { text: "quota exceeded", tone: "destructive" },
  rate_limited: { text: "rate-limited", tone: "warning" },
  unreachable: { text: "unreachable", tone: "warning" },
  provider_error: { text: "provider error", tone: "warning" },
  ok: { text: "ok", tone: "success" },
  no_default_model: { text: "no default model", tone: "warning" },
  provider_not_configured: { text: "provider not configured", tone: "warning" },
  ambiguous_provider: { text: "several organizations could answer", tone: "warning" },
  unrepresentable_value: { text: "not representable as .env", tone: "warning" },
  unauthorized: { text: "refused", tone: "destructive" },
  decryption_failed: { text: "could not decrypt", tone: "destructive" },
  unavailable: { text: "unavailable", tone: "warning" },
};

function outcomeOf(value: unknown): DescribedEvent["outcome"] {
  if (typeof value !== "string" || !value) return undefined;
  return OUTCOME_WORDS[value] ?? { text: value.replaceAll("_", " "), tone: "neutral" };
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);

function providerName(id: string | undefined): string | undefined {
  return id ? (getProvider(id)?.name ?? id) : undefined;
}

function actorOf(event: ActivityEvent, names: ActivityNames): Pick<DescribedEvent, "actor" | "via"> {
  if (event.actorTokenId) {
    const token =
      names.tokens[event.actorTokenId] ??
      (event.actorTokenName ? { name: event.actorTokenName, hint: `byok_…${event.actorTokenLastFour ?? ""}` } : undefined);
    // A token that no longer exists: its id, shortened.
    return token ? { actor: `Token “${token.name}”`, via: token.hint } : { actor: `Token ${event.actorTokenId.slice(0, 8)}…` };
  }
  if (event.actorName) return { actor: event.actorName };
  // The actor's account was deleted (lib/auth/delete-account.ts): not the system acting.
  return { actor: event.details.actorDeleted === true ? DELETED_ACTOR : "System" };
}

/** An actor whose account was deleted, at the start of a sentence. */
export const DELETED_ACTOR = "A deleted user";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function actionOf(event: ActivityEvent, names: ActivityNames): Pick<DescribedEvent, "action" | "outcome" | "group"> {
  const d = event.details;
  const target = event.targetId ?? undefined;
  const provider = providerName(str(d.provider) ?? (target ? names.credentials[target] : undefined)) ?? "a provider";
  const org = (target ? names.credentialOrgs[target] : undefined) ?? (names.inOrgLog ? undefined : (event.orgName ?? undefined));
  const inOrg = org ? ` in ${org}` : "";
  const withModel = `${str(d.model) ? `${provider} (${str(d.model)})` : provider}${inOrg}`;
  // Names of people who are still members are current; events also carry the name at the time.
  const person = (target && names.users[target]) || str(d.name);
  const revoked = typeof d.tokensRevoked === "number" && d.tokensRevoked > 0 ? ` (${plural(d.tokensRevoked, "org token")} revoked)` : "";
  const kind = event.kind as EventKind;

  switch (kind) {
    case "credential.created":
      return { group: "credential", action: `saved ${withModel}`, outcome: outcomeOf(d.status) };
    case "credential.updated":
      return { group: "credential", action: `updated ${withModel}`, outcome: outcomeOf(d.status) };
    case "credential.validated": {
      if (d.trigger === "re-validate")
        return { group: "credential", action: `re-validated ${provider}${inOrg}`, outcome: outcomeOf(event.outcome) };
      const outcome = outcomeOf(event.outcome);
      if (d.saved === false) {
        return {
          group: "credential",
          action: `tried to save ${withModel}`,
          outcome: outcome && { ...outcome, text: `${outcome.text}, not saved` },
        };
      }
      return { group: "credential", action: `validated ${withModel}`, outcome };
    }
    case "credential.removed":
      return { group: "credential", action: `removed ${provider}${inOrg}` };
    case "credential.delivery_changed":
      return {
        group: "credential",
        action: `set ${provider}${inOrg} to ${d.delivery === "gateway" ? "gateway only" : "hand out the key"}`,
      };
    case "default.changed":
      return { group: "default", action: `set ${provider}${org ? ` from ${org}` : ""} as their default` };
    case "org_default.changed":
      return { group: "default", action: `set ${provider} as ${org ? `${org}’s` : "the organization’s"} default` };
    case "share.changed": {
      const members = typeof d.members === "number" ? d.members : 0;
      const what = `${provider}${inOrg}`;
      if (d.mode === "all") return { group: "share", action: `shared ${what} with all members` };
      return {
        group: "share",
        action: members > 0 ? `shared ${what} with ${plural(members, "selected member")}` : `limited ${what} to owners and admins`,
      };
    }
    case "token.created": {
      const hint = str(d.hint) ? ` (byok_…${str(d.hint)})` : "";
      const expires = str(d.expires) && d.expires !== "never" ? `, expiring in ${d.expires} days` : "";
      return { group: "token", action: `created token “${str(d.name) ?? "unnamed"}”${hint}${expires}` };
    }
    case "token.revoked": {
      const token = target ? names.tokens[target] : undefined;
      const label = token ? `token “${token.name}” (${token.hint})` : str(d.name) ? `token “${str(d.name)}”` : "a token";
      // Revoked by the system because whoever created it is no longer an owner or admin.
      const why = d.reason === "creator_not_admin" ? ": its creator is no longer an owner or admin" : "";
      return { group: "token", action: `revoked ${label}${why}` };
    }
    case "config.fetched": {
      const times = event.count > 1 ? ` ×${event.count}` : "";
      const got = str(d.provider) ? ` (${providerName(str(d.provider))})` : "";
      return { group: "config", action: `fetched config${times}${got}`, outcome: outcomeOf(event.outcome) };
    }
    case "org.created":
      return { group: "org", action: `created the organization ${str(d.name) ?? ""}`.trim() };
    case "member.invited":
      return {
        group: "member",
        action: `invited ${str(d.email) ?? "someone"} as ${str(d.role) ?? "member"}${d.emailed ? " (emailed)" : ""}`,
      };
    case "member.joined":
      return { group: "member", action: `joined as ${str(d.role) ?? "member"}` };
    case "member.role_changed":
      return {
        group: "member",
        action: `changed ${person ? `${person}’s` : "a member’s"} role${str(d.from) ? ` from ${str(d.from)}` : ""}${str(d.to) ? ` to ${str(d.to)}` : ""}${revoked}`,
      };
    case "member.removed":
      return { group: "member", action: `removed ${person ?? "a member"} from the organization${revoked}` };
    case "member.left":
      if (d.reason === "account_deleted") return { group: "member", action: `deleted their account and left the organization${revoked}` };
      return { group: "member", action: `left the organization${revoked}` };
    case "ownership.transferred":
      return { group: "member", action: `transferred ownership to ${person ?? "another member"}` };
    case "invitation.revoked":
      return { group: "member", action: `revoked the invitation for ${str(d.email) ?? "someone"}` };
    case "keys.rotated":
      return { group: "keys", action: "rotated the encryption keys" };
    case "account.password_reset":
      return {
        group: "keys",
        action: `reset their password with ${d.via === "operator" ? "a link from the operator" : "an emailed link"}`,
      };
    case "account.password_changed":
      return { group: "keys", action: "changed their password and ended every other session" };
    case "account.signed_out_everywhere":
      return { group: "keys", action: "signed out of all devices" };
    case "account.sso_linked":
      return { group: "keys", action: `linked ${str(d.provider) ?? "single sign-on"} to their account` };
    case "profile.created":
      return { group: "profile", action: `created profile “${str(d.name) ?? "?"}”` };
    case "profile.deleted":
      return { group: "profile", action: `deleted profile “${str(d.name) ?? "?"}”` };
    case "profile.updated": {
      const profile = `profile “${str(d.name) ?? "?"}”`;
      const model = str(d.model) ? ` ${str(d.model)}` : "";
      const changes: Record<string, string> = {
        renamed: `renamed profile “${str(d.from) ?? "?"}” to “${str(d.name) ?? "?"}”`,
        entry_added: `added ${str(d.provider) ? `${providerName(str(d.provider))} (${str(d.model)})` : `model${model}`} to ${profile}`,
        entry_removed: `removed${model} from ${profile}`,
        entry_moved_up: `moved${model} up in ${profile}`,
        entry_moved_down: `moved${model} down in ${profile}`,
      };
      return { group: "profile", action: changes[str(d.change) ?? ""] ?? `changed ${profile}` };
    }
    case "webhook.created":
      return { group: "org", action: `added a webhook to ${str(d.host) ?? "a URL"}` };
    case "webhook.removed":
      return { group: "org", action: `removed the webhook to ${str(d.host) ?? "a URL"}` };
    case "credential.price_set":
      return {
        group: "credential",
        action: `set the price of ${withModel} to ${str(d.input) ?? "?"} input / ${str(d.output) ?? "?"} output per million tokens`,
      };
    case "credential.price_removed":
      return { group: "credential", action: `removed the price of ${withModel}` };
    case "budget.set":
    case "budget.removed":
    case "budget.threshold":
    case "budget.exceeded":
      return budgetAction(kind, d);
    default:
      return { group: "org", action: `did “${event.kind}”`, outcome: outcomeOf(event.outcome) };
  }
}

/** Budget events: "set the monthly budget of OpenAI (gpt-4o) to 1000 requests", "noted that OpenAI (gpt-4o)’s monthly budget reached 80 % (…)". */
function budgetAction(kind: EventKind, d: ActivityEvent["details"]): Pick<DescribedEvent, "action" | "outcome" | "group"> {
  const target = str(d.target) ?? "a budget";
  const limits = [
    typeof d.requestLimit === "number" ? plural(d.requestLimit, "request") : null,
    typeof d.tokenLimit === "number" ? plural(d.tokenLimit, "token") : null,
  ].filter(Boolean);
  const usage =
    typeof d.used === "number" && typeof d.limit === "number"
      ? ` (${d.used.toLocaleString("en-US")} of ${d.limit.toLocaleString("en-US")} ${str(d.unit) ?? ""})`
      : "";
  if (kind === "budget.set") return { group: "budget", action: `set the monthly budget of ${target} to ${limits.join(" and ") || "?"}` };
  if (kind === "budget.removed") return { group: "budget", action: `removed the monthly budget of ${target}` };
  if (kind === "budget.threshold")
    return {
      group: "budget",
      action: `noted that ${target}’s monthly budget reached 80 %${usage}`,
      outcome: { text: "80 %", tone: "warning" },
    };
  return {
    group: "budget",
    action: `noted that ${target}’s monthly budget is spent${usage}`,
    outcome: { text: "limit reached", tone: "destructive" },
  };
}

/** The event as a sentence: `${actor} ${action}` plus an outcome word where there is one. */
export function describeEvent(event: ActivityEvent, names: ActivityNames): DescribedEvent {
  return { ...actorOf(event, names), ...actionOf(event, names) };
}

/** Credential id → provider id, learned from loaded events (so "removed" can name what it removed). */
export function learnCredentials(events: readonly ActivityEvent[], known: Record<string, string>): Record<string, string> {
  const out = { ...known };
  for (const event of events) {
    const provider = event.details.provider;
    if (event.targetType === "credential" && event.targetId && typeof provider === "string" && !out[event.targetId]) {
      out[event.targetId] = provider;
    }
  }
  return out;
}
