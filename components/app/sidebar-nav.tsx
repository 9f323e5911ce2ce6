"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";
import { navSections, orgNavItems, orgOfPath, type NavItem, type ShellOrg } from "./nav";
import { OrgSwitcher } from "./org-switcher";

function NavList({ items, pathname, onNavigate }: { items: NavItem[]; pathname: string; onNavigate?: () => void }) {
  return (
    <ul className="grid gap-0.5">
      {items.map(({ href, label, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <li key={href}>
            <Link
              href={href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cn(
                "flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-ring",
                active ? "bg-accent text-accent-foreground" : "text-muted-foreground hover:bg-accent/60 hover:text-foreground",
              )}
            >
              <Icon className="size-4" aria-hidden />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

const sectionLabel = "px-2 text-xs font-medium tracking-wide text-muted-foreground uppercase";

/**
 * The sidebar: the personal pages (landmark "Main"), then the organization switcher and, inside
 * /orgs/<slug>/…, that organization's pages (landmark "Organization").
 */
export function SidebarNav({ orgs = [], onNavigate }: { orgs?: ShellOrg[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  const current = orgOfPath(pathname, orgs);
  return (
    <div className="grid gap-5">
      <nav aria-label="Main" className="grid gap-5">
        {navSections.map((section) => (
          <div key={section.label} className="grid gap-1">
            <p className={sectionLabel}>{section.label}</p>
            <NavList items={section.items} pathname={pathname} onNavigate={onNavigate} />
          </div>
        ))}
      </nav>
      <div className="grid gap-2">
        <p className={sectionLabel}>Organization</p>
        <OrgSwitcher orgs={orgs} onNavigate={onNavigate} />
        {current ? (
          <nav aria-label="Organization">
            <NavList items={orgNavItems(current)} pathname={pathname} onNavigate={onNavigate} />
          </nav>
        ) : null}
      </div>
    </div>
  );
}
