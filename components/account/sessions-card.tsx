"use client";

import { LogOutIcon } from "lucide-react";
import { useTransition } from "react";
import { signOutEverywhereAction } from "@/app/(dashboard)/_actions/account";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { toast } from "@/components/ui/toaster";
import type { SignInView } from "@/lib/auth/account";

/** Recent sign-ins (time, browser, address, method) and "Sign out of all devices". */
export function SessionsCard({ signIns }: { signIns: SignInView[] }) {
  const [pending, startTransition] = useTransition();
  function signOutEverywhere() {
    startTransition(async () => {
      // On success the action signs this browser out and goes to /login.
      const result = await signOutEverywhereAction();
      if (result && !result.ok) toast.error(result.error);
    });
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sessions</CardTitle>
        <CardDescription>
          Every device you signed in on stays signed in for up to 14 days. If you see a sign-in you don’t recognise, sign out everywhere and
          change your password.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2">
        <h3 className="text-sm font-medium" id="recent-sign-ins">
          Recent sign-ins
        </h3>
        {signIns.length === 0 ? (
          <p className="text-sm text-muted-foreground">No sign-ins recorded yet.</p>
        ) : (
          <ul aria-labelledby="recent-sign-ins" className="divide-y rounded-lg border">
            {signIns.map((s, i) => (
              <li
                key={`${s.at}-${i}`}
                className="grid gap-1 px-3 py-2.5 text-sm sm:grid-cols-[minmax(0,1fr)_auto] sm:items-center sm:gap-3"
              >
                <div className="grid min-w-0 gap-0.5">
                  <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    <span className="font-medium">{s.browser}</span>
                    <Badge variant={s.method === "sso" ? "primary" : "neutral"}>{s.method === "sso" ? "SSO" : "Password"}</Badge>
                  </p>
                  <p className="font-mono text-xs break-all text-muted-foreground">{s.ip ?? "Unknown address"}</p>
                </div>
                <RelativeTime iso={s.at} className="text-xs text-muted-foreground sm:text-right" />
              </li>
            ))}
          </ul>
        )}
      </CardContent>
      <CardFooter className="justify-between gap-3">
        <p className="text-sm text-muted-foreground">Ends every session, this one included.</p>
        <ConfirmDialog
          trigger={
            <Button variant="outline" disabled={pending} aria-busy={pending}>
              <LogOutIcon aria-hidden /> {pending ? "Signing out…" : "Sign out of all devices"}
            </Button>
          }
          title="Sign out of all devices?"
          description="Every browser signed in to your account, this one included, is signed out on its next request. Agent tokens keep working."
          confirmLabel="Sign out everywhere"
          destructive={false}
          onConfirm={signOutEverywhere}
        />
      </CardFooter>
    </Card>
  );
}
