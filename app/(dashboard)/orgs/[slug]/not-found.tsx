import { Building2Icon } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/app/page-header";
import { Button } from "@/components/ui/button";

export default function OrgNotFound() {
  return (
    <EmptyState icon={<Building2Icon />} title="Organization not found">
      <p>It does not exist, or you are not a member. Ask an owner or admin for an invitation.</p>
      <div className="mt-4 flex flex-wrap justify-center gap-2">
        <Button asChild variant="outline">
          <Link href="/agent/models">Go to your models</Link>
        </Button>
        <Button asChild variant="ghost">
          <Link href="/orgs/new">New organization</Link>
        </Button>
      </div>
    </EmptyState>
  );
}
