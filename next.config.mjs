// @ts-check

/**
 * Packages that must stay plain Node modules on the server: PGlite ships WASM and data files,
 * argon2 and sodium-native native binaries (loaded by path at run time, which a bundle would
 * break), and rate-limiter-flexible imports drizzle-orm dynamically (so both must resolve to
 * the same node_modules copy).
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "sodium-native", "postgres", "drizzle-orm", "rate-limiter-flexible"],
  // `next build` type-checks the project as `npm run typecheck` does. `.ci/run` sets
  // BYOK_BUILD_TYPECHECKED=1 only for the build that follows its own passing `tsc --noEmit`, so the
  // same check does not run twice; every other build (yours, a deployment's) still checks.
  typescript: { ignoreBuildErrors: process.env.BYOK_BUILD_TYPECHECKED === "1" },
  async headers() {
    return [
      {
        // Every path. "/(.*)" rather than "/:path*": Next matches this rule on every request, and
        // a named catch-all also splits the path into a parameter per segment that nothing uses.
        source: "/(.*)",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
          // Production is served over https (behind a proxy or not): browsers stay on it for two years.
          ...(process.env.NODE_ENV === "production"
            ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
            : []),
        ],
      },
      // Pages whose URL holds a one-time token (emailed links, invitations): never in a Referer
      // header, never indexed. Listed after the catch-all so their Referrer-Policy wins.
      ...["/reset-password/:token*", "/verify-email/:token*", "/invite/:token*"].map((source) => ({
        source,
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Robots-Tag", value: "noindex, nofollow" },
        ],
      })),
    ];
  },
};

export default nextConfig;
