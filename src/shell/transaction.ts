/**
 * The transaction runner of a context: every operation is one storage transaction, its writes
 * buffered and flushed in bulk at the end, its events kept in the adapter's log (when it has
 * one) and handed on only after the commit.
 *
 * @module
 */
import { AdapterInvalidError, ClosedError, isCustomerContextError, StorageFailureError } from "../errors.js";
import type { CustomerContextEvent } from "../schema/outputs.js";
import {
  type JsonValue,
  REQUIRED_ADAPTER_MEMBERS,
  REQUIRED_TRANSACTION_METHODS,
  type StorageAdapter,
  type StorageTransaction,
} from "../storage/port.js";
import type { ApplyEnv } from "./ingest.js";
import { WriteBuffer } from "./writeBuffer.js";

/** What {@link transactionRunner} needs of its context. */
export interface TransactionRunnerOptions {
  storage: StorageAdapter;
  /** Everything of the environment but the transaction, its write buffer and its events. */
  env: Omit<ApplyEnv, "tx" | "buffer" | "events">;
  /** True once the context is closed: then every operation fails with `closed`. */
  isClosed(): boolean;
  /** Called after a commit with the events of the transaction (delivery, observer refresh). */
  afterCommit(events: readonly CustomerContextEvent[], write: boolean): void;
}

/** Runs `fn` in one transaction, read-only unless `write`; see {@link transactionRunner}. */
export type TransactionRunner = <T>(write: boolean, fn: (env: ApplyEnv) => Promise<T>) => Promise<T>;

/**
 * The runner of one context. The first transaction checks that the adapter's transactions have
 * every required method. A failure that is not a customer-context error becomes a
 * `storage_failure`; nothing is delivered for a transaction that did not commit.
 */
export function transactionRunner(options: TransactionRunnerOptions): TransactionRunner {
  const { storage, env: base, isClosed, afterCommit } = options;
  let transactionChecked = false;
  return async function run<T>(write: boolean, fn: (env: ApplyEnv) => Promise<T>): Promise<T> {
    if (isClosed()) throw new ClosedError();
    const events: CustomerContextEvent[] = [];
    let result: T;
    try {
      result = await storage.transaction(
        async (tx) => {
          if (!transactionChecked) {
            checkTransaction(storage.name, tx);
            transactionChecked = true;
          }
          events.length = 0;
          // Writes go through a buffer: reads see them, and they reach the adapter in bulk at the end.
          const buffer = new WriteBuffer(tx, storage.name);
          const env: ApplyEnv = { ...base, tx: write ? buffer : tx, buffer, events };
          const value = await fn(env);
          if (write) {
            if (storage.capabilities.events) {
              for (const event of events) buffer.appendLater(event.type, event.at, storedEvent(event), namesOf(event));
            }
            await buffer.flush();
          }
          return value;
        },
        { readOnly: !write },
      );
    } catch (error) {
      if (isCustomerContextError(error)) throw error;
      throw new StorageFailureError(storage.name, error);
    }
    afterCommit(events, write);
    return result;
  };
}

/**
 * The form an event is kept in the adapter's event log: identifier values are left out, so that
 * erasing a profile (`profiles.forget`) leaves no personal data behind in the log. Subscribers
 * receive the full event.
 */
function storedEvent(event: CustomerContextEvent): JsonValue {
  // The erased profile's id is a hash of its identifiers: the log keeps only that an erasure happened.
  if (event.type === "profile.forgotten") return { type: event.type, at: event.at };
  if (event.type !== "identify.refused") return flatCopy(event) ?? (JSON.parse(JSON.stringify(event)) as JsonValue);
  return {
    ...event,
    refusals: event.refusals.map((r) => ({
      identifier: { type: r.identifier.type },
      reason: r.reason,
      ...(r.profileId !== undefined ? { profileId: r.profileId } : {}),
    })),
  };
}

/**
 * A copy of an event whose members are all strings (most events: ids and times), as the JSON
 * round trip would give it, without serialising; `null` for any other event.
 */
function flatCopy(event: CustomerContextEvent): JsonValue | null {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(event)) {
    if (typeof value !== "string") return null;
    out[key] = value;
  }
  return out;
}

/**
 * The ids an event names (profiles, conversations, interactions, presentations): the event log
 * indexes the event by them, so that `profiles.forget` erases it. A stored `profile.forgotten`
 * names nothing (its payload holds no id).
 */
function namesOf(event: CustomerContextEvent): string[] {
  const names: string[] = [];
  const add = (id: string | undefined) => {
    if (id !== undefined && id !== "") names.push(id);
  };
  switch (event.type) {
    case "profile.forgotten":
    case "offer.defined":
      break;
    case "profile.created":
      add(event.profileId);
      break;
    case "profile.merged":
      add(event.profileId);
      for (const id of event.absorbed) add(id);
      break;
    case "profile.split":
      add(event.profileId);
      for (const id of event.split) add(id);
      break;
    case "identify.refused":
      add(event.profileId);
      for (const r of event.refusals) add(r.profileId);
      break;
    case "interaction.recorded":
      add(event.interactionId);
      add(event.conversationId);
      add(event.profileId);
      break;
    case "conversation.created":
      add(event.conversationId);
      add(event.profileId);
      break;
    case "conversation.merged":
      add(event.conversationId);
      for (const id of event.absorbed) add(id);
      break;
    case "conversation.resolved":
      add(event.conversationId);
      break;
    case "consent.recorded":
      add(event.profileId);
      break;
    case "offer.presented":
      add(event.presentationId);
      add(event.profileId);
      break;
    case "offer.violation":
      add(event.violation.profileId);
      add(event.violation.presentationId);
      break;
  }
  return [...new Set(names)];
}

/** Throws one {@link AdapterInvalidError} listing every required member the adapter lacks. */
export function assertAdapter(adapter: StorageAdapter): void {
  const missing: string[] = [];
  for (const member of REQUIRED_ADAPTER_MEMBERS) {
    const value = (adapter as unknown as Record<string, unknown>)[member];
    if (value === undefined || value === null) missing.push(member);
    else if ((member === "transaction" || member === "close") && typeof value !== "function") missing.push(member);
  }
  const caps = (adapter as unknown as { capabilities?: Record<string, unknown> }).capabilities;
  if (caps && caps.transactions !== true) missing.push("capabilities.transactions");
  if (missing.length > 0) throw new AdapterInvalidError(String(adapter.name ?? "unnamed"), missing);
}

function checkTransaction(name: string, tx: StorageTransaction): void {
  const missing = REQUIRED_TRANSACTION_METHODS.filter(
    (m) => typeof (tx as unknown as Record<string, unknown>)[m] !== "function",
  ).map((m) => `transaction.${m}`);
  if (missing.length > 0) throw new AdapterInvalidError(name, missing);
}
