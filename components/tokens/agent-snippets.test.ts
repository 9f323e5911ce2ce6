import { describe, expect, it } from "vitest";
import { agentSnippets } from "./agent-snippets";

const TOKEN = "byok_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

describe("agentSnippets", () => {
  it("fills in the origin and the whole token in every snippet", () => {
    const snippets = agentSnippets("https://byok.example.com/", TOKEN);
    expect(snippets.map((s) => s.name)).toEqual(["curl", ".env", "Python · OpenAI", "TypeScript · OpenAI", "TypeScript · Anthropic"]);
    for (const s of snippets) {
      expect(s.code).toContain(`Bearer ${TOKEN}`);
      expect(s.code).toContain("https://byok.example.com/api/v1/config");
      expect(s.code).not.toContain(".com//api");
    }
  });

  it("the .env snippet fetches ?format=env, fails on errors, and loads it for sh", () => {
    const env = agentSnippets("http://localhost:3000", TOKEN).find((s) => s.id === "env")!;
    expect(env.code).toBe(
      `curl -fsS -H "Authorization: Bearer ${TOKEN}" "http://localhost:3000/api/v1/config?format=env" > .env\nset -a; . ./.env; set +a\n`,
    );
  });

  it("the SDK snippets hand the config's apiHost and apiKey to the client", () => {
    const code = Object.fromEntries(agentSnippets("http://localhost:3000", TOKEN).map((s) => [s.id, s.code]));
    expect(code["python-openai"]).toContain('OpenAI(base_url=cfg["apiHost"], api_key=cfg["apiKey"])');
    expect(code["ts-openai"]).toContain("new OpenAI({ baseURL: cfg.apiHost, apiKey: cfg.apiKey })");
    expect(code["ts-anthropic"]).toContain("new Anthropic({ baseURL: cfg.apiHost, apiKey: cfg.apiKey })");
    expect(code["ts-anthropic"]).toContain("/api/v1/config?provider=anthropic");
  });
});
