"use client";

import { RotateCwIcon } from "lucide-react";
import { Button } from "@/components/ui/button";

/** Shown when a page fails on the server (database down, unexpected error): no stack, a retry. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-[60dvh] max-w-md flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-xl font-semibold">This page could not load</h1>
      <p className="text-sm text-muted-foreground">
        BYOK could not complete the request. If the database is restarting, this fixes itself in a moment.
      </p>
      <Button onClick={reset} variant="outline">
        <RotateCwIcon aria-hidden /> Try again
      </Button>
    </main>
  );
}
