import { describe, expect, it } from "vitest";
import { actionPerPage, pagePathOf } from "./action-preload";

describe("server-action preload", () => {
  it("turns page entries into URLs: route groups dropped, dynamic segments filled", () => {
    expect(pagePathOf("app/(dashboard)/agent/models/page")).toBe("/agent/models");
    expect(pagePathOf("app/(dashboard)/orgs/[slug]/models/page")).toBe("/orgs/preload/models");
    expect(pagePathOf("app/(auth)/reset-password/[token]/page")).toBe("/reset-password/preload");
    expect(pagePathOf("app/docs/[...path]/page")).toBe("/docs/preload");
    expect(pagePathOf("app/page")).toBe("/");
  });

  it("picks one action per page from Next's server-reference manifest", () => {
    const pages = actionPerPage({
      node: {
        a1: { workers: { "app/(auth)/login/page": {}, "app/(auth)/signup/page": {} } },
        a2: { workers: { "app/(auth)/login/page": {} } },
        a3: { workers: { "app/(dashboard)/agent/models/page": {} } },
        a4: {},
      },
    });
    expect([...pages]).toEqual([
      ["app/(auth)/login/page", "a1"],
      ["app/(auth)/signup/page", "a1"],
      ["app/(dashboard)/agent/models/page", "a3"],
    ]);
    expect(actionPerPage({}).size).toBe(0);
  });
});
