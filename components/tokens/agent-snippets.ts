/**
 * Usage snippets for a newly created agent token: the same config fetch as curl, as a `.env` file,
 * and in code with the OpenAI and Anthropic SDKs. Pure, so they can be tested as text.
 *
 * Tokens are `byok_` plus base64url and the origin is BYOK's own (APP_URL or the page's): neither
 * can hold a quote, so plain string interpolation is safe in every language below.
 */
export type Snippet = { id: string; name: string; language: string; code: string };

export function agentSnippets(origin: string, token: string): Snippet[] {
  const base = origin.replace(/\/+$/, "");
  const url = `${base}/api/v1/config`;
  const auth = `Authorization: Bearer ${token}`;
  return [
    { id: "curl", name: "curl", language: "shell", code: `curl -H "${auth}" ${url}\n` },
    {
      id: "env",
      name: ".env",
      language: "shell",
      // -f: an error answer (JSON) never lands in .env.
      code: `curl -fsS -H "${auth}" "${url}?format=env" > .env\nset -a; . ./.env; set +a\n`,
    },
    {
      id: "python-openai",
      name: "Python · OpenAI",
      language: "python",
      code: `import json
import urllib.request

from openai import OpenAI

request = urllib.request.Request("${url}", headers={"Authorization": "Bearer ${token}"})
with urllib.request.urlopen(request) as response:
    cfg = json.load(response)

client = OpenAI(base_url=cfg["apiHost"], api_key=cfg["apiKey"])
reply = client.chat.completions.create(model=cfg["model"], messages=[{"role": "user", "content": "Hello"}])
print(reply.choices[0].message.content)
`,
    },
    {
      id: "ts-openai",
      name: "TypeScript · OpenAI",
      language: "typescript",
      code: `import OpenAI from "openai";

const res = await fetch("${url}", { headers: { Authorization: "Bearer ${token}" } });
if (!res.ok) throw new Error(\`BYOK: \${res.status} \${await res.text()}\`);
const cfg = await res.json();

const client = new OpenAI({ baseURL: cfg.apiHost, apiKey: cfg.apiKey });
const reply = await client.chat.completions.create({ model: cfg.model, messages: [{ role: "user", content: "Hello" }] });
console.log(reply.choices[0]?.message.content);
`,
    },
    {
      id: "ts-anthropic",
      name: "TypeScript · Anthropic",
      language: "typescript",
      code: `import Anthropic from "@anthropic-ai/sdk";

// ?provider=anthropic: this token's Anthropic credential, whatever the default is.
const res = await fetch("${url}?provider=anthropic", { headers: { Authorization: "Bearer ${token}" } });
if (!res.ok) throw new Error(\`BYOK: \${res.status} \${await res.text()}\`);
const cfg = await res.json();

const client = new Anthropic({ baseURL: cfg.apiHost, apiKey: cfg.apiKey });
const reply = await client.messages.create({ model: cfg.model, max_tokens: 256, messages: [{ role: "user", content: "Hello" }] });
console.log(reply.content);
`,
    },
  ];
}
