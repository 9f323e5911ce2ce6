import { describe, expect, it } from "vitest";
import { describeError } from "./log";

describe("describeError", () => {
  it("never repeats a database error's query parameters", () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_email_lower_key"'), { code: "23505" });
    const error = new Error('Failed query: insert into "users" values ($1, $2, $3)\nparams: Ada,ada@example.com,$argon2id$secret-hash', {
      cause,
    });
    const line = describeError(error);
    expect(line).toBe('Error 23505: duplicate key value violates unique constraint "users_email_lower_key"');
    expect(describeError(new Error("plain\nparams: sk-secret"))).toBe("Error: plain");
  });

  it("never repeats the password of a connection string", () => {
    expect(describeError(new Error('relation "users" does not exist at postgres://admin:hunter2@db:5432/byok'))).toBe(
      'Error: relation "users" does not exist at postgres://***@db:5432/byok',
    );
    expect(describeError("connect to smtps://mailer:s3cret@smtp.example.com:465 failed")).toBe(
      "connect to smtps://***@smtp.example.com:465 failed",
    );
  });
});
