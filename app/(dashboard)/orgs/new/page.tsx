import type { Metadata } from "next";
import { PageHeader } from "@/components/app/page-header";
import { CreateOrgForm } from "@/components/orgs/create-org-form";
import { Card, CardContent } from "@/components/ui/card";

export const metadata: Metadata = { title: "New organization" };

export default function NewOrgPage() {
  return (
    <>
      <PageHeader
        title="New organization"
        description="An organization keeps provider keys for a team. You become its owner; invite people next and share providers with them without showing the keys."
      />
      <Card className="max-w-xl">
        <CardContent className="pt-5">
          <CreateOrgForm />
        </CardContent>
      </Card>
    </>
  );
}
