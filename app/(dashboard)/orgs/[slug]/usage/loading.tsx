import { UsageSkeleton } from "@/components/usage/usage-skeleton";

export default function OrgUsageLoading() {
  return <UsageSkeleton />;
}
