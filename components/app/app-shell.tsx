"use client";

import { MenuIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { Dialog as DialogPrimitive } from "radix-ui";
import { useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Logo } from "./logo";
import type { ShellOrg } from "./nav";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu } from "./user-menu";

type ShellUser = { name: string; email: string };

function SidebarBody({ user, orgs, onNavigate }: { user: ShellUser; orgs: ShellOrg[]; onNavigate?: () => void }) {
  return (
    <div className="flex h-full flex-col gap-6 p-3">
      <Link href="/agent/models" className="px-2 pt-1" onClick={onNavigate}>
        <Logo />
      </Link>
      <div className="flex-1 overflow-y-auto">
        <SidebarNav orgs={orgs} onNavigate={onNavigate} />
      </div>
      <UserMenu name={user.name} email={user.email} />
    </div>
  );
}

/**
 * The signed-in frame: a fixed sidebar from md up; below that a top bar whose menu button opens
 * the same sidebar as a drawer (a Radix dialog: focus trapped, Escape closes).
 */
export function AppShell({ user, orgs = [], children }: { user: ShellUser; orgs?: ShellOrg[]; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="min-h-dvh md:grid md:grid-cols-[15rem_1fr]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-card focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 hidden h-dvh border-r bg-card/50 md:block">
        <SidebarBody user={user} orgs={orgs} />
      </aside>
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-30 flex items-center gap-2 border-b bg-background/90 px-3 py-2 backdrop-blur md:hidden">
          <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
            <DialogPrimitive.Trigger asChild>
              <Button variant="ghost" size="icon" aria-label="Open menu">
                <MenuIcon aria-hidden />
              </Button>
            </DialogPrimitive.Trigger>
            <DialogPrimitive.Portal>
              <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-black/50" />
              <DialogPrimitive.Content className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] border-r bg-card shadow-xl">
                <DialogPrimitive.Title className="sr-only">Menu</DialogPrimitive.Title>
                <DialogPrimitive.Description className="sr-only">Navigation and account</DialogPrimitive.Description>
                <DialogPrimitive.Close asChild>
                  <Button variant="ghost" size="icon" aria-label="Close menu" className="absolute top-3 right-3">
                    <XIcon aria-hidden />
                  </Button>
                </DialogPrimitive.Close>
                <SidebarBody user={user} orgs={orgs} onNavigate={() => setOpen(false)} />
              </DialogPrimitive.Content>
            </DialogPrimitive.Portal>
          </DialogPrimitive.Root>
          <Logo />
        </header>
        <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 sm:px-6 lg:px-8 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
