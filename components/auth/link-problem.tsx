import { CircleAlertIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";

/** A link from an email that does not work (unknown, expired, used): what happened and the way to a new one. */
export function LinkProblem({ title, children, next }: { title: string; children: ReactNode; next: { href: string; label: string } }) {
  return (
    <Card>
      <CardHeader>
        <CircleAlertIcon className="size-6 text-muted-foreground" aria-hidden />
        <h1 className="text-xl leading-tight font-semibold tracking-tight">{title}</h1>
        <CardDescription>{children}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2">
        <Button asChild className="w-full">
          <Link href={next.href}>{next.label}</Link>
        </Button>
        {next.href !== "/login" ? (
          <Button asChild variant="ghost" className="w-full">
            <Link href="/login">Back to sign in</Link>
          </Button>
        ) : null}
      </CardContent>
    </Card>
  );
}
