import { KeyRoundIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/app/page-header";

export const metadata: Metadata = { title: "Tokens" };

export default function TokensPage() {
  return (
    <>
      <PageHeader title="Tokens" description="Agent tokens let your programs fetch their model configuration." />
      <EmptyState icon={<KeyRoundIcon />} title="No tokens yet">
        Token management arrives here soon.
      </EmptyState>
    </>
  );
}
