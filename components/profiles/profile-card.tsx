"use client";

import { PencilIcon, Trash2Icon } from "lucide-react";
import { useCallback, useRef, useState, useTransition } from "react";
import { deleteProfileAction } from "@/app/(dashboard)/_actions/profiles";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toaster";
import { MAX_PROFILE_ENTRIES } from "@/lib/profiles/name";
import { AddEntryForm } from "./add-entry-form";
import { EntryList } from "./entry-list";
import { profilePreview } from "./preview";
import { RenameForm } from "./rename-form";
import type { CredentialOption, ProfileCardData } from "./types";

function Preview({ profile }: { profile: ProfileCardData }) {
  const { first, fallbacks } = profilePreview(profile.name, profile.entries);
  const name = <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs">{profile.name}</code>;
  return (
    <p className="text-sm break-words text-muted-foreground" data-testid="profile-preview">
      An agent asking for {name}{" "}
      {first ? (
        <>
          gets <strong className="font-medium text-foreground">{first}</strong>
          {fallbacks.length ? (
            <>
              , then{" "}
              {fallbacks.map((f, i) => (
                <span key={i}>
                  {i > 0 ? ", " : null}
                  <strong className="font-medium text-foreground">{f}</strong>
                </span>
              ))}{" "}
              as {fallbacks.length === 1 ? "fallback" : "fallbacks"}
            </>
          ) : null}
          .
        </>
      ) : (
        <>gets nothing yet: {profile.entries.length ? "every model is skipped, add one it may use" : "add a model"}.</>
      )}
    </p>
  );
}

/** One profile: a region named by the profile, its models in order, and (for editors) the controls. */
export function ProfileCard({
  profile,
  options,
  orgSlug,
  canEdit,
  modelsHref,
}: {
  profile: ProfileCardData;
  options: CredentialOption[];
  orgSlug: string | null;
  canEdit: boolean;
  modelsHref: string;
}) {
  const [renaming, setRenaming] = useState(false);
  const [pending, startTransition] = useTransition();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const renameRef = useRef<HTMLButtonElement>(null);
  const headingId = `profile-${profile.id}`;
  const full = profile.entries.length >= MAX_PROFILE_ENTRIES;

  const doneRenaming = useCallback((renamed: boolean) => {
    setRenaming(false);
    requestAnimationFrame(() => (renamed ? headingRef.current : renameRef.current)?.focus());
  }, []);

  function remove() {
    startTransition(async () => {
      const result = await deleteProfileAction(orgSlug, profile.id);
      if (result.ok) {
        toast.success(`Profile “${profile.name}” deleted`);
        // The region is gone: continue where a new profile starts (editors always have that form).
        document.getElementById("profile-name")?.focus();
      } else toast.error(result.error);
    });
  }

  return (
    <section aria-labelledby={headingId} className="grid min-w-0 gap-4 rounded-xl border bg-card p-4 text-card-foreground shadow-sm sm:p-5">
      {renaming ? (
        <RenameForm orgSlug={orgSlug} profileId={profile.id} name={profile.name} onDone={doneRenaming} />
      ) : (
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 ref={headingRef} id={headingId} tabIndex={-1} className="font-mono text-base font-semibold break-all outline-none">
            {profile.name}
          </h2>
          {canEdit ? (
            <div className="flex flex-wrap gap-1.5">
              <Button ref={renameRef} variant="ghost" size="sm" onClick={() => setRenaming(true)}>
                <PencilIcon aria-hidden /> Rename
              </Button>
              <ConfirmDialog
                trigger={
                  <Button
                    variant="ghost"
                    size="sm"
                    className="text-destructive hover:bg-destructive/10 hover:text-destructive"
                    disabled={pending}
                  >
                    <Trash2Icon aria-hidden /> Delete profile
                  </Button>
                }
                title={`Delete “${profile.name}”?`}
                description={`Agents asking for ${profile.name} get profile_not_found from their next request. The models themselves stay on the Models page.`}
                confirmLabel="Delete"
                onConfirm={remove}
              />
            </div>
          ) : null}
        </div>
      )}
      {/* While renaming, the heading is replaced: keep the region named. */}
      {renaming ? (
        <h2 id={headingId} className="sr-only">
          {profile.name}
        </h2>
      ) : null}
      <Preview profile={profile} />
      <EntryList
        orgSlug={orgSlug}
        profileId={profile.id}
        profileName={profile.name}
        entries={profile.entries}
        canEdit={canEdit}
        onRemoved={() => headingRef.current?.focus()}
      />
      {canEdit ? (
        full ? (
          <p className="rounded-lg border border-dashed px-3 py-2 text-sm text-muted-foreground">
            This profile holds {MAX_PROFILE_ENTRIES} models, the most it can. Remove one to add another.
          </p>
        ) : options.length === 0 ? (
          <p className="rounded-lg border border-dashed px-3 py-2 text-sm text-muted-foreground">
            No provider to add yet.{" "}
            <a href={modelsHref} className="font-medium text-primary hover:underline">
              Save one on the Models page
            </a>
            .
          </p>
        ) : (
          <AddEntryForm orgSlug={orgSlug} profileId={profile.id} profileName={profile.name} options={options} />
        )
      ) : null}
    </section>
  );
}
