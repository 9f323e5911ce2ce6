"use client";

import { CheckIcon, CopyIcon } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { toast } from "@/components/ui/toaster";
import { agentSnippets, type Snippet } from "./agent-snippets";

/**
 * How to use a token just created, with the token filled in: one tab per snippet, each with its
 * own copy button. Rendered only beside the one-time "New token" field, so never after a reload.
 */
export function TokenSnippets({ origin, token }: { origin: string; token: string }) {
  const snippets = agentSnippets(origin, token);
  return (
    <Tabs defaultValue={snippets[0]!.id}>
      <TabsList aria-label="Use this token">
        {snippets.map((s) => (
          <TabsTrigger key={s.id} value={s.id}>
            {s.name}
          </TabsTrigger>
        ))}
      </TabsList>
      {snippets.map((s) => (
        <TabsContent key={s.id} value={s.id}>
          <SnippetBlock snippet={s} />
        </TabsContent>
      ))}
    </Tabs>
  );
}

function SnippetBlock({ snippet }: { snippet: Snippet }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(snippet.code);
      setCopied(true);
      toast.success("Copied");
      setTimeout(() => setCopied(false), 2000);
    } catch {
      toast.error("Could not copy: select the text and copy it yourself.");
    }
  }
  return (
    <div className="relative min-w-0 rounded-md border bg-muted">
      <Button
        type="button"
        variant="outline"
        size="sm"
        onClick={copy}
        aria-label={`Copy ${snippet.name}`}
        className="absolute top-2 right-2 h-7 px-2"
      >
        {copied ? <CheckIcon aria-hidden /> : <CopyIcon aria-hidden />}
        <span className="hidden sm:inline">{copied ? "Copied" : "Copy"}</span>
      </Button>
      {/* Long lines scroll inside the block (room on the right for the button), never the page. */}
      <pre
        className="overflow-x-auto p-3 pr-12 font-mono text-xs leading-relaxed sm:pr-24"
        tabIndex={0}
        aria-label={`${snippet.name} snippet`}
      >
        <code data-language={snippet.language}>{snippet.code}</code>
      </pre>
    </div>
  );
}
