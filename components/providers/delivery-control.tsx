"use client";

import { useId, useState, useTransition } from "react";
import { setDeliveryAction } from "@/app/(dashboard)/_actions/credentials";
import { Label } from "@/components/ui/label";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import { toast } from "@/components/ui/toaster";
import { DELIVERY_LABELS, usageLine, type Delivery, type GatewayUsageSummary } from "./delivery";

/**
 * "Agents receive": the key, or gateway only. Lives inside the provider card's form: the radios
 * are buttons without a name, so the card's Save never reads them. Changes at once, with a toast.
 */
export function DeliveryControl({
  orgSlug,
  credentialId,
  providerName,
  initial,
  usage,
}: {
  orgSlug: string | null;
  credentialId: string;
  providerName: string;
  initial: Delivery;
  usage: GatewayUsageSummary;
}) {
  const uid = useId();
  const [delivery, setDelivery] = useState<Delivery>(initial);
  const [pending, startTransition] = useTransition();

  function change(value: string) {
    const next: Delivery = value === "gateway" ? "gateway" : "key";
    const previous = delivery;
    setDelivery(next);
    startTransition(async () => {
      const result = await setDeliveryAction(orgSlug, credentialId, next);
      if (result.ok)
        toast.success(
          next === "gateway" ? `${providerName}: agents now go through the gateway` : `${providerName}: agents now receive the key`,
        );
      else {
        setDelivery(previous);
        toast.error(result.error);
      }
    });
  }

  return (
    <div className="grid gap-2 rounded-md border p-3">
      <p id={`${uid}-label`} className="text-sm font-medium">
        Agents receive
      </p>
      {/* Not disabled while saving: a disabled radio would drop the keyboard user's focus. Changes
          are sent in order, so the last choice wins. */}
      <RadioGroup aria-labelledby={`${uid}-label`} value={delivery} onValueChange={change} aria-busy={pending}>
        {(["key", "gateway"] as const).map((value) => (
          <div key={value} className="flex items-start gap-2">
            <RadioGroupItem value={value} id={`${uid}-${value}`} />
            <Label htmlFor={`${uid}-${value}`} className="leading-5 font-normal">
              {DELIVERY_LABELS[value]}
            </Label>
          </div>
        ))}
      </RadioGroup>
      <p className="text-xs text-muted-foreground" aria-live="polite">
        {delivery === "gateway"
          ? usageLine(usage)
          : orgSlug
            ? "A released key cannot be metered or taken back: whoever fetched it keeps it, even after leaving."
            : "Agents using your tokens get the key itself."}
      </p>
    </div>
  );
}
