import type { Metadata } from "next";
import { SignupForm } from "@/components/auth/signup-form";
import { safeCallbackPath } from "@/lib/auth/paths";

export const metadata: Metadata = { title: "Create account" };

export default async function SignupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl } = await searchParams;
  const returnTo = safeCallbackPath(callbackUrl, "");
  return (
    <div className="grid gap-6">
      <div className="grid gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Create your account</h1>
        <p className="text-sm text-muted-foreground">
          Bring your own LLM keys, validate them against the provider, and hand your agents the right model.
        </p>
      </div>
      <SignupForm callbackUrl={returnTo || undefined} />
    </div>
  );
}
