import { describe, expect, it } from "vitest";
import { profilePreview } from "./preview";

const entry = (providerName: string, model: string, skipped: string | null = null) => ({ providerName, model, skipped });

describe("profilePreview", () => {
  it("names the first usable model and the rest in order as fallbacks", () => {
    expect(profilePreview("coder", [entry("OpenAI", "gpt-4o"), entry("DeepSeek", "deepseek-chat"), entry("Qwen", "qwen-max")]).text).toBe(
      "An agent asking for coder gets OpenAI · gpt-4o, then DeepSeek · deepseek-chat, Qwen · qwen-max as fallbacks.",
    );
    expect(profilePreview("coder", [entry("OpenAI", "gpt-4o"), entry("DeepSeek", "deepseek-chat")]).text).toBe(
      "An agent asking for coder gets OpenAI · gpt-4o, then DeepSeek · deepseek-chat as fallback.",
    );
  });

  it("leaves skipped entries out", () => {
    const preview = profilePreview("coder", [entry("OpenAI", "gpt-4o", "invalid"), entry("DeepSeek", "deepseek-chat")]);
    expect(preview).toEqual({
      first: "DeepSeek · deepseek-chat",
      fallbacks: [],
      text: "An agent asking for coder gets DeepSeek · deepseek-chat.",
    });
  });

  it("says when there is nothing to get", () => {
    expect(profilePreview("coder", []).text).toBe("An agent asking for coder gets nothing yet: add a model.");
    expect(profilePreview("coder", [entry("OpenAI", "gpt-4o", "not_shared")]).text).toBe(
      "An agent asking for coder gets nothing yet: every model is skipped, add one it may use.",
    );
  });
});
