import {
  ActivityIcon,
  BarChart3Icon,
  BellIcon,
  BookOpenIcon,
  BotIcon,
  GaugeIcon,
  KeyRoundIcon,
  LayersIcon,
  UsersIcon,
  type LucideIcon,
} from "lucide-react";
import { can, type OrgRole } from "@/lib/orgs/roles";

export type NavItem = { href: string; label: string; icon: LucideIcon };
export type NavSection = { label: string; items: NavItem[] };

/** An organization the signed-in user belongs to, as the shell shows it. */
export type ShellOrg = { slug: string; name: string; role: OrgRole };

/** The sidebar's personal section. Later features add sections here; list only pages that exist. */
export const navSections: NavSection[] = [
  {
    label: "Agent",
    items: [
      { href: "/agent/models", label: "Models", icon: BotIcon },
      { href: "/agent/profiles", label: "Profiles", icon: LayersIcon },
      { href: "/agent/tokens", label: "Tokens", icon: KeyRoundIcon },
      { href: "/usage", label: "Usage", icon: BarChart3Icon },
      { href: "/agent/budgets", label: "Budgets", icon: GaugeIcon },
      { href: "/agent/alerts", label: "Alerts", icon: BellIcon },
      { href: "/activity", label: "Activity", icon: ActivityIcon },
    ],
  },
  {
    label: "Help",
    items: [{ href: "/docs/api", label: "API reference", icon: BookOpenIcon }],
  },
];

/** An organization's pages; tokens, usage, budgets, alerts and activity only for those who may manage them. */
export function orgNavItems(org: ShellOrg): NavItem[] {
  const base = `/orgs/${org.slug}`;
  const items: NavItem[] = [
    { href: `${base}/models`, label: "Models", icon: BotIcon },
    // Every member: members read the org's profiles and their tokens use them.
    { href: `${base}/profiles`, label: "Profiles", icon: LayersIcon },
    { href: `${base}/members`, label: "Members", icon: UsersIcon },
  ];
  if (can(org.role, "manage_tokens")) items.push({ href: `${base}/tokens`, label: "Tokens", icon: KeyRoundIcon });
  if (can(org.role, "read_activity")) items.push({ href: `${base}/usage`, label: "Usage", icon: BarChart3Icon });
  if (can(org.role, "manage_credentials")) {
    items.push({ href: `${base}/budgets`, label: "Budgets", icon: GaugeIcon });
    items.push({ href: `${base}/alerts`, label: "Alerts", icon: BellIcon });
  }
  if (can(org.role, "read_activity")) items.push({ href: `${base}/activity`, label: "Activity", icon: ActivityIcon });
  return items;
}

/** The organization a path is inside (/orgs/<slug>/…), if the user belongs to it. */
export function orgOfPath(pathname: string, orgs: ShellOrg[]): ShellOrg | undefined {
  const slug = /^\/orgs\/([^/]+)/.exec(pathname)?.[1];
  return slug ? orgs.find((o) => o.slug === slug) : undefined;
}

/** Where switching to `org` leads: the same page of the other organization when it may open it. */
export function switchHref(pathname: string, org: ShellOrg): string {
  const page = /^\/orgs\/[^/]+\/([^/]+)/.exec(pathname)?.[1];
  const target = orgNavItems(org).find((item) => item.href === `/orgs/${org.slug}/${page}`);
  return target?.href ?? `/orgs/${org.slug}/models`;
}
