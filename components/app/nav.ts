import { BotIcon, KeyRoundIcon, type LucideIcon } from "lucide-react";

export type NavItem = { href: string; label: string; icon: LucideIcon };
export type NavSection = { label: string; items: NavItem[] };

/** The sidebar. Later features add sections here; list only pages that exist. */
export const navSections: NavSection[] = [
  {
    label: "Agent",
    items: [
      { href: "/agent/models", label: "Models", icon: BotIcon },
      { href: "/agent/tokens", label: "Tokens", icon: KeyRoundIcon },
    ],
  },
];
