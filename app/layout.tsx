import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/app/providers";
import { NONCE_HEADER } from "@/lib/csp";
import { inter } from "./fonts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "BYOK", template: "%s · BYOK" },
  description: "Keep your LLM provider keys in one vault and hand your agents the right model config.",
  icons: { icon: "/icon.svg" },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafafa" },
    { media: "(prefers-color-scheme: dark)", color: "#17181c" },
  ],
};

// Every page carries a per-request CSP nonce (proxy.ts), so none may be prerendered.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning className={inter.variable}>
      <body className="min-h-dvh font-sans">
        <Providers nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}
