"use client";

import { Building2Icon, CheckIcon, ChevronsUpDownIcon, PlusIcon } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { ROLE_LABELS } from "@/components/orgs/role-badge";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { orgOfPath, switchHref, type ShellOrg } from "./nav";

/** A menu of the user's organizations (name and role) and "New organization". */
export function OrgSwitcher({ orgs, onNavigate }: { orgs: ShellOrg[]; onNavigate?: () => void }) {
  const pathname = usePathname();
  const current = orgOfPath(pathname, orgs);
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex w-full items-center gap-2 rounded-md border bg-card px-2 py-1.5 text-left text-sm shadow-xs hover:bg-accent focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
        aria-label={current ? `Switch organization (current: ${current.name})` : "Switch organization"}
      >
        <Building2Icon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
        <span className="grid min-w-0 flex-1">
          <span className="truncate font-medium">{current ? current.name : "Organizations"}</span>
          {current ? <span className="truncate text-xs text-muted-foreground">{ROLE_LABELS[current.role]}</span> : null}
        </span>
        <ChevronsUpDownIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64 max-w-[calc(100vw-1rem)] min-w-(--radix-dropdown-menu-trigger-width)">
        <DropdownMenuLabel>{orgs.length ? "Your organizations" : "No organizations yet"}</DropdownMenuLabel>
        {orgs.map((org) => {
          const active = org.slug === current?.slug;
          return (
            <DropdownMenuItem key={org.slug} asChild>
              <Link href={switchHref(pathname, org)} onClick={onNavigate} aria-current={active ? "page" : undefined}>
                <span className="flex size-4 items-center justify-center">{active ? <CheckIcon aria-hidden /> : null}</span>
                <span className="min-w-0 flex-1 truncate">{org.name}</span>
                <span className="text-xs text-muted-foreground">{ROLE_LABELS[org.role]}</span>
              </Link>
            </DropdownMenuItem>
          );
        })}
        {orgs.length ? <DropdownMenuSeparator /> : null}
        <DropdownMenuItem asChild>
          <Link href="/orgs/new" onClick={onNavigate}>
            <PlusIcon aria-hidden /> New organization
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
