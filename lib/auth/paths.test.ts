import { describe, expect, it } from "vitest";
import { isPublicPath, safeCallbackPath } from "./paths";

describe("safeCallbackPath", () => {
  it.each(["/agent/tokens", "/agent/models?x=1", "/"])("keeps the same-origin path %j", (path) => {
    expect(safeCallbackPath(path)).toBe(path);
  });

  it.each([
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "javascript:alert(1)",
    "agent/models",
    "/login",
    "/signup?x=1",
    "/ok\u0000",
    undefined,
    42,
  ])("falls back for %j", (value) => {
    expect(safeCallbackPath(value)).toBe("/agent/models");
  });
});

describe("isPublicPath", () => {
  it("lets only the auth pages through", () => {
    expect(isPublicPath("/login")).toBe(true);
    expect(isPublicPath("/signup")).toBe(true);
    expect(isPublicPath("/agent/models")).toBe(false);
    expect(isPublicPath("/login/../agent")).toBe(false);
  });

  it("lets the API reference through", () => {
    expect(isPublicPath("/docs/api")).toBe(true);
    expect(isPublicPath("/docsx/api")).toBe(false);
  });
});
