/** Types shared by the provider emulator's server and its per-provider modules. */

/** One request as the emulator received it (the `/__emulator` control requests are not recorded). */
export type RecordedRequest = {
  /** Provider id whose mount matched, or "unknown". */
  provider: string;
  method: string;
  /** Path and query exactly as received, including the provider mount (`/openai/v1/models`). */
  path: string;
  /** Header names lower-cased, values as received (repeated headers joined with ", "). */
  headers: Record<string, string>;
  body: string;
  /** Date.now() when the body had been read. */
  at: number;
};

export type Emulator = {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  /** Copy of the request log, oldest first. */
  requests(): RecordedRequest[];
  clear(): void;
  /** Responses in flight, completed, and closed by the client before they were complete. */
  connections(): ConnectionReport;
  clearConnections(): void;
  /** Stops listening, drops open connections and pending slow replies. */
  close(): Promise<void>;
};

export type EmulatorOptions = {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Delay for keys containing `slow`. Default 15000. */
  slowMs?: number;
};

/** One piece of a streamed answer; `render` gets the send time (ms since the epoch, sub-ms). */
export type Frame = { render(sentAt: number): string | Uint8Array; paced?: boolean };

/** A streamed body: frames written in order, `intervalMs` apart between paced (content) frames. */
export type StreamBody = { frames: Frame[]; intervalMs: number };

/** What a provider module answers; the server writes it (after the `slow` delay, if any). */
export type Reply = {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** A streamed answer instead of `body` (SSE, AWS event stream). */
  stream?: StreamBody;
};

/** A response the client closed before it was complete. */
export type ClosedEarly = {
  provider: string;
  /** The credential the request carried (provider.credential), so a test finds its own. */
  credential?: string;
  method: string;
  path: string;
  /** When the request arrived and when the client closed it (ms since the epoch, sub-ms). */
  startedAt: number;
  closedAt: number;
  /** Frames written before the close (0 for an unstreamed answer). */
  framesSent: number;
};

/** Responses in flight, completed and closed early since the last reset. */
export type ConnectionReport = { open: number; completed: number; closedEarly: ClosedEarly[] };

/** A request as a provider module sees it: the mount is already stripped from `path`. */
export type ProviderRequest = {
  method: string;
  /** Path below the mount, without query, e.g. `/v1/models` for `/openai/v1/models`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
};

/** One emulated provider. Adding a provider = one module exporting one of these + a registry line. */
export type EmulatedProvider = {
  /** Provider id as in lib/providers/types.ts (`openai`, `qwen`, …). */
  id: string;
  /** Path prefix on the emulator standing in for the provider's host, e.g. `/openai`. */
  mount: string;
  /** What to type as API Host, relative to the emulator URL, e.g. `/openai/v1`. */
  apiHostPath: string;
  /** The credential the request carries (drives the scenario, and the `slow` delay). */
  credential(headers: Record<string, string>): string | undefined;
  handle(request: ProviderRequest): Reply | Promise<Reply>;
};
