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
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  };
}
