/**
 * The part of the Auth.js configuration shared by the proxy and the server: pages, JWT sessions
 * and the claims we keep. No providers and no database here, so the proxy stays light.
 */
import type { NextAuthConfig } from "next-auth";
import { env } from "@/lib/env";
import { authSecret } from "./secret";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; email: string };
    /** The session version this cookie was issued under (lib/auth/session.ts compares it). */
    sessionVersion?: number;
  }
  interface User {
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** Session version at sign-in; cookies from before "Sign out of all devices" carry an older one. */
    sv?: number;
  }
}

export const SESSION_MAX_AGE_SECONDS = 14 * 24 * 60 * 60;

export function baseAuthConfig(): NextAuthConfig {
  return {
    secret: authSecret(),
    trustHost: env.AUTH_TRUST_HOST,
    pages: { signIn: "/login", error: "/login" },
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 24 * 60 * 60 },
    providers: [],
    callbacks: {
      // `sv` is set once, at sign-in, from the user row. Auth.js also runs this callback with
      // trigger "update" and `session` = whatever a browser POSTs to /api/auth/session: that data is
      // ignored on purpose, so no client can raise its cookie's version and revive a dead session.
      // A password change re-issues the cookie from server code (lib/auth/session-cookie.ts).
      jwt({ token, user }) {
        if (user?.id) {
          token.sub = user.id;
          token.sv = user.sessionVersion ?? 1;
        }
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        // Cookies issued before session versions existed count as version 1.
        session.sessionVersion = token.sv ?? 1;
        return session;
      },
    },
  };
}
