import { DELIVERY_LABELS, type Delivery } from "./delivery";

/** "Agents receive: …", for read-only cards (members cannot change it). */
export function DeliveryText({ delivery }: { delivery: Delivery }) {
  return (
    <p className="text-sm">
      <span className="text-muted-foreground">Agents receive: </span>
      {DELIVERY_LABELS[delivery]}
    </p>
  );
}
