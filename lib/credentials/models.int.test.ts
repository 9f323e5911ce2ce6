/** Model suggestions by credential id (a profile's "Model Type"): any credential the user may use, nothing else. */
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { setCredentialSharing } from "@/lib/orgs/sharing";
import { withEmulator } from "@/test/helpers";
import { actorOf, makeCast, saveOrgCredential } from "@/test/orgs";
import { suggestModelsForCredential } from "./models";

const { host } = withEmulator();

describe("suggestModelsForCredential", () => {
  it("lists an org credential's models for members it is shared with and for admins; null for anyone else", async () => {
    const db = await getDb();
    const cast = await makeCast(db);
    const credential = await saveOrgCredential(
      db,
      cast.owner,
      cast.slug,
      host("deepseek"),
      "sk-valid-org-xyzxyzxyzxyzxyzxyzxyzx",
      "deepseek",
      "deepseek-chat",
    );
    const listed = { source: "provider", models: ["deepseek-chat", "deepseek-reasoner"] };
    expect(await suggestModelsForCredential(db, cast.member.id, credential.id)).toEqual(listed);

    await setCredentialSharing(db, actorOf(cast.owner), cast.slug, credential.id, { mode: "selected", userIds: [] });
    expect(await suggestModelsForCredential(db, cast.member.id, credential.id)).toBeNull();
    expect(await suggestModelsForCredential(db, cast.admin.id, credential.id)).toEqual(listed);
    expect(await suggestModelsForCredential(db, cast.outsider.id, credential.id)).toBeNull();
    expect(await suggestModelsForCredential(db, cast.removed.id, credential.id)).toBeNull();
    expect(await suggestModelsForCredential(db, cast.admin.id, "not-a-uuid")).toBeNull();
    expect(await suggestModelsForCredential(db, cast.admin.id, crypto.randomUUID())).toBeNull();
  });
});
