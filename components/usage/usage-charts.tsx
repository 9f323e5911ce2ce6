"use client";

import { useId, useState } from "react";
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import type { DailyTotals, Stack, StackBy } from "@/lib/usage/types";
import { colorOf } from "./palette";

const STACK_LABELS: Record<StackBy, string> = { credential: "Credential", model: "Model", member: "Member" };

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

/** "2026-12-05" → "Dec 5" (UTC: the days are UTC days). */
function shortDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

const axis = { stroke: "var(--border)", tick: { fill: "var(--muted-foreground)", fontSize: 12 } };
const tooltip = {
  contentStyle: {
    background: "var(--popover)",
    color: "var(--popover-foreground)",
    border: "1px solid var(--border)",
    borderRadius: 8,
    fontSize: 12,
  },
  labelStyle: { color: "var(--popover-foreground)", fontWeight: 600 },
  cursor: { fill: "var(--muted)", opacity: 0.6 },
};

function StackedBars({ title, description, stack, data }: { title: string; description: string; stack: Stack; data: Stack["requests"] }) {
  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent>
        <div className="h-64 w-full" role="img" aria-label={`${title}, stacked, per day`}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: -8 }}>
              <CartesianGrid vertical={false} stroke="var(--border)" />
              <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} {...axis} />
              <YAxis allowDecimals={false} tickFormatter={(v: number) => compact.format(v)} width={48} {...axis} />
              <Tooltip {...tooltip} labelFormatter={(day) => shortDay(String(day))} formatter={(value) => whole.format(Number(value))} />
              <Legend wrapperStyle={{ fontSize: 12, color: "var(--muted-foreground)" }} />
              {stack.keys.map((key, i) => (
                <Bar key={key.id} dataKey={key.id} name={key.label} stackId="usage" fill={colorOf(i)} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      </CardContent>
    </Card>
  );
}

/** Requests and tokens per day, stacked by credential, model or member (a radio group), and the error rate. */
export function UsageCharts({ stacks, daily }: { stacks: Partial<Record<StackBy, Stack>>; daily: DailyTotals[] }) {
  const options = (Object.keys(STACK_LABELS) as StackBy[]).filter((by) => stacks[by]);
  const [by, setBy] = useState<StackBy>(options[0] ?? "credential");
  const uid = useId();
  const stack = stacks[by];
  if (!stack) return null;

  return (
    <section aria-label="Charts" className="grid gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <span id={`${uid}-stack`} className="text-sm font-medium">
          Stack by
        </span>
        <RadioGroup
          aria-labelledby={`${uid}-stack`}
          value={by}
          onValueChange={(value) => setBy(value as StackBy)}
          className="flex flex-wrap gap-1 rounded-md bg-muted p-1"
        >
          {options.map((option) => (
            <label
              key={option}
              className="flex cursor-pointer items-center gap-2 rounded-sm px-2.5 py-1 text-xs font-medium has-[[data-state=checked]]:bg-card has-[[data-state=checked]]:shadow-sm"
            >
              <RadioGroupItem value={option} className="mt-0" />
              {STACK_LABELS[option]}
            </label>
          ))}
        </RadioGroup>
      </div>
      <div className="grid gap-4 xl:grid-cols-2">
        <StackedBars title="Requests per day" description={`Stacked by ${by}.`} stack={stack} data={stack.requests} />
        <StackedBars title="Tokens per day" description={`Input and output tokens, stacked by ${by}.`} stack={stack} data={stack.tokens} />
      </div>
      <Card className="min-w-0">
        <CardHeader>
          <CardTitle>Error rate per day</CardTitle>
          <CardDescription>Share of requests answered with a status of 400 or more (BYOK’s own 502 and 504 included).</CardDescription>
        </CardHeader>
        <CardContent>
          <div className="h-48 w-full" role="img" aria-label="Error rate per day">
            <ResponsiveContainer width="100%" height="100%">
              <AreaChart data={daily} margin={{ top: 4, right: 8, bottom: 0, left: -8 }}>
                <CartesianGrid vertical={false} stroke="var(--border)" />
                <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} {...axis} />
                <YAxis domain={[0, "auto"]} tickFormatter={(v: number) => percent.format(v)} width={48} {...axis} />
                <Tooltip
                  {...tooltip}
                  labelFormatter={(day) => shortDay(String(day))}
                  formatter={(value, _name, item) => {
                    const point = item.payload as DailyTotals;
                    return `${percent.format(Number(value))} (${whole.format(point.errors)} of ${whole.format(point.requests)})`;
                  }}
                />
                <Area
                  type="monotone"
                  dataKey="errorRate"
                  name="Error rate"
                  stroke="var(--destructive)"
                  fill="var(--destructive)"
                  fillOpacity={0.2}
                  isAnimationActive={false}
                />
              </AreaChart>
            </ResponsiveContainer>
          </div>
        </CardContent>
      </Card>
    </section>
  );
}
