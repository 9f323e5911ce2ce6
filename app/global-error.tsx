"use client";

/** Last-resort error page when the root layout itself fails. Plain HTML: no providers are loaded. */
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", display: "grid", placeItems: "center", minHeight: "100dvh" }}>
        <main style={{ textAlign: "center", maxWidth: 420 }}>
          <h1 style={{ fontSize: 20 }}>BYOK is having trouble</h1>
          <p style={{ color: "#555" }}>Something went wrong on our side. Please try again in a moment.</p>
          <button type="button" onClick={reset} style={{ padding: "8px 16px" }}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
