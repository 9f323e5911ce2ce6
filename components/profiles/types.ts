/** What the profile widgets get from the page: plain props, dates as ISO strings. */
import type { CredentialOption, EntryView } from "@/lib/profiles/service";

export type ProfileEntry = Omit<EntryView, "parameters">;
export type ProfileCardData = { id: string; name: string; entries: ProfileEntry[] };
export type { CredentialOption };
