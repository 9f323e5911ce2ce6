import { SharedCredentialCard, type SharedCardData } from "./shared-credential-card";

/** "Shared with you": one read-only card per organization provider the user may use. Nothing when there is none. */
export function SharedWithYou({ credentials, defaultId }: { credentials: SharedCardData[]; defaultId: string | null }) {
  if (credentials.length === 0) return null;
  return (
    <section aria-labelledby="shared-with-you-title" className="mb-8 grid gap-3">
      <div className="grid gap-1">
        <h2 id="shared-with-you-title" className="text-lg font-semibold tracking-tight">
          Shared with you
        </h2>
        <p className="max-w-2xl text-sm text-muted-foreground">
          Providers your organizations let you use. Their keys stay with the organization: nobody sees them here, but if you choose one as
          your default, agents using your tokens get it. Only the organization’s owners and admins can change them.
        </p>
      </div>
      <div className="grid gap-5 lg:grid-cols-2">
        {credentials.map((c) => (
          <SharedCredentialCard key={c.id} credential={c} isDefault={c.id === defaultId} />
        ))}
      </div>
    </section>
  );
}
