/**
 * Auth.js (next-auth v5) with the Credentials provider and JWT sessions. `authorize` is the one
 * place a password is checked: it throttles failures per email and IP, and gives unknown emails
 * and wrong passwords the same answer in the same time.
 */
import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cache } from "react";
import { getDb } from "@/db/client";
import { log } from "@/lib/log";
import { baseAuthConfig } from "./config";
import { clientIp } from "./request-ip";
import { signInSchema } from "./schemas";
import { clearSignInFailures, recordSignInFailure, signInBlockedFor } from "./throttle";
import { verifyCredentials } from "./users";

export class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}

export class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
}

const nextAuth = NextAuth(() => ({
  ...baseAuthConfig(),
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) throw new InvalidCredentials();
        const { email } = parsed.data;
        const db = await getDb();
        const ip = clientIp(request.headers);
        if ((await signInBlockedFor(db, email, ip)) > 0) throw new TooManyAttempts();
        const user = await verifyCredentials(db, parsed.data);
        if (!user) {
          await recordSignInFailure(db, email, ip);
          throw new InvalidCredentials();
        }
        await clearSignInFailures(db, email);
        return user;
      },
    }),
  ],
  logger: {
    // Failed sign-ins are expected; log them without Auth.js's stack dump, and never the input.
    error(error: Error) {
      if (error instanceof CredentialsSignin) return;
      log.error("auth error", { error: error.name, reason: error.message.split("\n")[0] });
    },
    warn(code: string) {
      if (code !== "debug-enabled") log.warn("auth warning", { code });
    },
    debug() {},
  },
}));

export const { handlers, signIn, signOut } = nextAuth;

/** The current session, once per request. */
export const getSession = cache(() => nextAuth.auth());
