// Small builders and assertions shared by the contract files.
import { expect } from "bun:test";
import { AppError } from "../../errors.ts";
import { hashToken, newId, randomToken } from "../../ids.ts";
import type { ErrorCode } from "../../protocol/errors.ts";
import type { NewSession, NewUser, Role, Storage, User } from "../port.ts";

export type GetStorage = () => Storage;

let seq = 0;
export function newUser(over: Partial<NewUser> = {}): NewUser {
  seq += 1;
  return {
    id: newId(),
    username: `user${seq}_${randomToken(4).replace(/[^a-zA-Z0-9]/g, "x")}`,
    displayName: `User ${seq}`,
    passwordHash: `hash-${seq}`,
    role: "member" as Role,
    createdAt: Date.now(),
    ...over,
  };
}

export async function addUser(s: Storage, over: Partial<NewUser> = {}): Promise<User> {
  return (await s.users.create(newUser(over))).value;
}

export function newSession(userId: string, over: Partial<NewSession> = {}): NewSession {
  const now = Date.now();
  return {
    id: newId(),
    userId,
    deviceName: "test device",
    ip: "192.0.2.1",
    createdAt: now,
    refreshHash: hashToken(randomToken()),
    refreshExpiresAt: now + 60_000,
    ...over,
  };
}

/** Asserts the promise rejects with an AppError carrying `code`; returns the error. */
export async function expectCode(p: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  let caught: unknown = null;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  return caught as AppError;
}

export function settle<T>(ps: Promise<T>[]) {
  return Promise.allSettled(ps);
}

export function rejectedCodes(results: PromiseSettledResult<unknown>[]): string[] {
  return results.filter((r) => r.status === "rejected").map((r) => ((r as PromiseRejectedResult).reason as AppError).code);
}
