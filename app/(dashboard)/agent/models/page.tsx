import { BotIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/app/page-header";

export const metadata: Metadata = { title: "Models" };

export default function ModelsPage() {
  return (
    <>
      <PageHeader
        title="Models"
        description="Add your provider keys. BYOK checks each one against the provider and keeps it encrypted; your agents get the default."
      />
      <EmptyState icon={<BotIcon />} title="No providers yet">
        Provider cards arrive here soon.
      </EmptyState>
    </>
  );
}
