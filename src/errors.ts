/**
 * Errors thrown by customer-context. Every error is a {@link CustomerContextError}
 * with a machine-readable `code` from a closed union, a human message and
 * structured `details`.
 *
 * @module
 */

/** The closed set of error codes. */
export type ErrorCode =
  | "invalid_input"
  | "not_found"
  | "conflict"
  | "refused"
  | "adapter_invalid"
  | "storage_failure"
  | "aborted"
  | "closed";

/**
 * What kind of problem an {@link InputIssue} is. The names follow zod's issue codes, so code that
 * already handles zod errors reads these the same way.
 */
export type InputIssueCode =
  | "invalid_type"
  | "invalid_value"
  | "invalid_format"
  | "too_small"
  | "too_big"
  | "not_multiple_of"
  | "unrecognized_key"
  | "invalid_union"
  | "custom";

/** A key on the way to the offending field: an object key or an array index. */
export type InputPathKey = string | number;

/** One problem found while validating an input: where it is, what kind of problem, and a sentence. */
export interface InputIssue {
  /** Keys from the input down to the offending field, e.g. `["identifiers", 0, "value"]`; `[]` for the input itself. */
  path: InputPathKey[];
  /** Machine-readable kind of problem. */
  code: InputIssueCode;
  /** One human sentence about the field, e.g. `"must not be empty"`. */
  message: string;
}

/**
 * Writes an issue path the way people read it: `identifiers[0].value`; `""` for the input itself.
 *
 * @example
 * ```ts
 * formatIssuePath(["identifiers", 0, "value"]); // "identifiers[0].value"
 * formatIssuePath([]); // ""
 * ```
 */
export function formatIssuePath(path: readonly InputPathKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? key : `.${key}`;
  }
  return out;
}

const BRAND = Symbol.for("customer-context.error");

/**
 * Base class of every error the library throws.
 *
 * @example
 * ```ts
 * try {
 *   await cc.identify({ identifers: [] } as never);
 * } catch (error) {
 *   if (isCustomerContextError(error) && error.code === "invalid_input") {
 *     console.log(error.details); // [{ path: ["identifers"], code: "unrecognized_key", message: 'unknown key "identifers"' }, ...]
 *   }
 * }
 * ```
 */
export class CustomerContextError<Details = unknown> extends Error {
  /** Machine-readable code. */
  readonly code: ErrorCode;
  /** Structured details; their shape depends on the code. */
  readonly details: Details;

  constructor(code: ErrorCode, message: string, details: Details, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CustomerContextError";
    this.code = code;
    this.details = details;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Plain JSON form, for logs and HTTP responses. */
  toJSON(): { name: string; code: ErrorCode; message: string; details: Details } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/**
 * An input failed validation; `details` lists every issue with its path and code. Nothing was written.
 *
 * @example
 * ```ts
 * const error = new InvalidInputError("identity options", [
 *   { path: ["defaultRegion"], code: "invalid_value", message: "must be a known region code" },
 * ]);
 * error.message; // "Invalid identity options: defaultRegion: must be a known region code"
 * ```
 */
export class InvalidInputError extends CustomerContextError<InputIssue[]> {
  constructor(what: string, issues: InputIssue[]) {
    const summary = issues
      .slice(0, 5)
      .map((issue) => (issue.path.length > 0 ? `${formatIssuePath(issue.path)}: ${issue.message}` : issue.message))
      .join("; ");
    super("invalid_input", `Invalid ${what}: ${summary}${issues.length > 5 ? "; …" : ""}`, issues);
    this.name = "InvalidInputError";
  }
}

/** Something the caller referred to does not exist. */
export class NotFoundError extends CustomerContextError<{ kind: string; id: string }> {
  constructor(kind: string, id: string) {
    super("not_found", `${kind} not found: ${id}`, { kind, id });
    this.name = "NotFoundError";
  }
}

/** The operation conflicts with the current state (for example a concurrent change). */
export class ConflictError<D = unknown> extends CustomerContextError<D> {
  constructor(message: string, details: D) {
    super("conflict", message, details);
    this.name = "ConflictError";
  }
}

/** The operation was refused by a rule (for example a merge that would break a limit). */
export class RefusedError<D = unknown> extends CustomerContextError<D> {
  constructor(message: string, details: D) {
    super("refused", message, details);
    this.name = "RefusedError";
  }
}

/** The storage adapter given to `createCustomerContext` does not implement the port. */
export class AdapterInvalidError extends CustomerContextError<{ missing: string[] }> {
  constructor(name: string, missing: string[]) {
    super("adapter_invalid", `Storage adapter "${name}" is missing: ${missing.join(", ")}`, { missing });
    this.name = "AdapterInvalidError";
  }
}

/** The storage adapter failed; the operation was rolled back. */
export class StorageFailureError extends CustomerContextError<{ adapter: string }> {
  constructor(adapter: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super("storage_failure", `Storage adapter "${adapter}" failed: ${reason}`, { adapter }, { cause });
    this.name = "StorageFailureError";
  }
}

/** The context was closed; no further operation is accepted. */
export class ClosedError extends CustomerContextError<Record<string, never>> {
  constructor() {
    super("closed", "The customer context is closed", {});
    this.name = "ClosedError";
  }
}

/**
 * Recognises a customer-context error, also one thrown by another installed copy of the library.
 *
 * @example
 * ```ts
 * const error = await cc.offers.present({ customer: [email], offerId: "no-such-offer", channel: "web", at: "2026-04-03T09:00:00Z", terms: {} }).catch((e) => e);
 * isCustomerContextError(error); // true
 * isCustomerContextError(error, "not_found"); // true
 * isCustomerContextError(new Error("not_found")); // false
 * ```
 */
export function isCustomerContextError(error: unknown, code?: ErrorCode): error is CustomerContextError {
  if (typeof error !== "object" || error === null) return false;
  if ((error as Record<symbol, unknown>)[BRAND] !== true) return false;
  return code === undefined || (error as CustomerContextError).code === code;
}
