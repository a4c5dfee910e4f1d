import type { InputIssue } from "../errors.js";
import {
  checkOptionalBoolean,
  checkOptionalString,
  checkOptionalStrings,
  checkOptionsObject,
  isObject,
  MAX_ISSUES,
  throwIfIssues,
  wrongType,
} from "./_lib/check.js";
import { breakCycles, describeForest } from "./_lib/forest.js";
import { firstId, normalizeId, parseIds } from "./_lib/messageIdSyntax.js";
import { scanSubject } from "./_lib/scanSubject.js";
import { subjectPatterns } from "./_lib/subjectPatterns.js";
import { compare, toTime } from "./_lib/time.js";
import { DEFAULT_SUBJECT_PREFIXES } from "./baseSubject.js";
import type { MessageHeaders } from "./messageId.js";

/** One email to thread. `id` is the caller's own stable id; header fields are raw values. */
export interface ThreadableMessage extends MessageHeaders {
  /** The caller's id for this message; returned in {@link EmailThread}. Should be unique. */
  id: string;
  /** Subject as sent; used by the subject step. `null` means absent. */
  subject?: string | null | undefined;
  /** When it was sent: a `Date` or a date string. Invalid dates sort after all valid ones. */
  date: string | Date;
}

/** Options of {@link threadEmails}. */
export interface ThreadEmailsOptions {
  /**
   * The subject step: group the messages of the root set that no header links to anything (no
   * usable References or In-Reply-To, and no message referring to them) by base subject, as JWZ
   * and RFC 5256 do. Default `true`; `false` turns the step off.
   */
  subjectMerge?: boolean | undefined;
  /**
   * Prune phantom containers (stand-ins for referenced messages that are not in the input).
   * Only the choice of `root` depends on it; see {@link threadEmails}. Default `true`.
   */
  prunePhantoms?: boolean | undefined;
  /** Reply/forward prefixes for base subjects; replaces the default list (see `baseSubject`). */
  subjectPrefixes?: readonly string[] | undefined;
}

/** One thread: the caller ids of its messages. */
export interface EmailThread {
  /** The caller id of the top-most real message of the thread. */
  root: string;
  /** Caller ids of every message in the thread, by date (ties by id). */
  messages: string[];
}

/**
 * Threads emails by their headers (RFC 5256 REFERENCES, the JWZ algorithm), then groups the
 * messages no header links by base subject.
 *
 * - Message-ids are normalised (see `normalizeMessageId`); an invalid id counts as absent, and so
 *   does `null` in `messageId`, `inReplyTo`, `references` or `subject`.
 * - A message's parent is the last valid References id; In-Reply-To (its first valid id) is used
 *   only when References holds no valid id. Consecutive References ids link ancestor to child
 *   unless the child already has a parent; a message's own headers override such links, also when
 *   it has none (then it is a root until a later message's References give it a parent).
 * - Messages are linked in canonical order: by date, then id. Self-references are ignored. As in
 *   JWZ, a link that would close a loop is not made, and the message (or phantom) it would have
 *   given a parent is the top of its thread: the tree is the one JWZ builds in that order.
 * - For a duplicate Message-ID the first message in input order owns it; later ones are
 *   treated as messages without that id.
 * - Missing ancestors become phantom containers that hold their known descendants together.
 *   With `prunePhantoms` (default) they are pruned, and `root` is the earliest message that has
 *   no real message above it. With `prunePhantoms: false` they stay in the tree, and `root` is
 *   the real message closest to the tree's top counting phantom levels (ties: earliest).
 *   Membership is the same either way.
 * - The subject step (`subjectMerge`, default on) works on the root set. A message is *unlinked*
 *   when it has no usable References or In-Reply-To and no other message refers to it, whether or
 *   not it has a Message-ID. An unlinked message joins a header-threaded thread whose root has the
 *   same base subject (compared case-insensitively): the one that started last at or before the
 *   message's date, or else the earliest one. With no such thread, unlinked messages with the same
 *   base subject form one thread, rooted at the earliest one that is not a reply (`Re:`), else
 *   the earliest. Empty base subjects never merge. Header-threaded threads are never merged with
 *   each other by subject.
 * - Threads are ordered by their earliest message's date (ties by root id), messages by date
 *   (ties by id). The result does not depend on input order except for duplicate Message-IDs.
 *
 * Runs in O(n log n) for n messages plus the total length of their headers and subjects.
 *
 * @param messages - The emails to thread.
 * @param options - `subjectMerge`, `prunePhantoms` and `subjectPrefixes`.
 * @returns The threads; every message appears in exactly one of them.
 * @throws {InvalidInputError} naming the field when `messages` is not an array of messages (an
 *   object with a string `id`, a `date`, and string or absent headers) or an option has the wrong
 *   type.
 *
 * @example
 * ```ts
 * threadEmails([
 *   { id: "m1", messageId: "<a@x>", subject: "Loan", date: "2026-04-01T09:00:00Z" },
 *   { id: "m2", messageId: "<b@x>", inReplyTo: "<a@x>", subject: "Re: Loan", date: "2026-04-01T10:00:00Z" },
 *   { id: "m3", messageId: "<c@x>", inReplyTo: null, subject: "RE: loan", date: "2026-04-02T08:00:00Z" },
 *   { id: "m4", messageId: "<d@x>", subject: "Other", date: "2026-04-01T11:00:00Z" },
 * ]);
 * // [ { root: "m1", messages: ["m1", "m2", "m3"] }, { root: "m4", messages: ["m4"] } ]
 * ```
 */
export function threadEmails(messages: readonly ThreadableMessage[], options?: ThreadEmailsOptions): EmailThread[] {
  checkInput(messages, options);
  const n = messages.length;
  if (n === 0) return [];
  const prune = options?.prunePhantoms ?? true;
  const subjectMerge = options?.subjectMerge ?? true;

  // Canonical order: containers 0..n-1 are the messages sorted by (date, id, input position),
  // so nothing below depends on input order except Message-ID ownership.
  const inputTimes = new Float64Array(n);
  for (let i = 0; i < n; i++) inputTimes[i] = toTime((messages[i] as ThreadableMessage).date);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const byTime = compare(inputTimes[a] as number, inputTimes[b] as number);
    if (byTime !== 0) return byTime;
    const byId = compare((messages[a] as ThreadableMessage).id, (messages[b] as ThreadableMessage).id);
    return byId !== 0 ? byId : a - b;
  });
  const rank = new Int32Array(n);
  const times = new Float64Array(n);
  const sorted: ThreadableMessage[] = new Array(n);
  for (let r = 0; r < n; r++) {
    const i = order[r] as number;
    rank[i] = r;
    times[r] = inputTimes[i] as number;
    sorted[r] = messages[i] as ThreadableMessage;
  }

  // Message-ID ownership: first in input order wins.
  const ownIds: (string | null)[] = new Array(n);
  const containerOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const raw = (messages[i] as ThreadableMessage).messageId;
    const own = typeof raw === "string" ? firstId(raw) : null;
    ownIds[rank[i] as number] = own;
    if (own !== null && !containerOf.has(own)) containerOf.set(own, rank[i] as number);
  }

  // Links, in canonical order. Phantoms get container numbers from n upwards. `stamp` records
  // when each link was made, so that a loop can be cut where JWZ refuses to close it.
  const parentLinks: number[] = new Array(n).fill(-1);
  const stamps: number[] = new Array(n).fill(0);
  let clock = 0;
  const refCount = new Int32Array(n);
  // Every message's path (its referenced containers, oldest first), kept for the exact replay.
  const paths: number[] = [];
  const pathStart = new Int32Array(n + 1);
  // Containers whose link a message's own headers withdrew or replaced.
  const withdrawn: number[] = [];
  const phantomIds: string[] = [];
  const containerFor = (id: string): number => {
    let k = containerOf.get(id);
    if (k === undefined) {
      k = parentLinks.length;
      parentLinks.push(-1);
      stamps.push(0);
      containerOf.set(id, k);
      phantomIds.push(id);
    }
    return k;
  };
  // Raw header value -> its container (one valid id) or containers (several, or none). The same
  // raw ids recur in many References headers, so most of them are normalised only once.
  const resolved = new Map<string, number | number[]>();
  const resolve = (raw: string): number | number[] => {
    let found = resolved.get(raw);
    if (found === undefined) {
      const single = normalizeId(raw);
      found = single !== null ? containerFor(single) : parseIds(raw).map(containerFor);
      resolved.set(raw, found);
    }
    return found;
  };
  const path: number[] = [];
  for (let c = 0; c < n; c++) {
    const message = sorted[c] as ThreadableMessage;
    const own = ownIds[c] as string | null;
    const self = own === null ? -1 : (containerOf.get(own) as number);
    path.length = 0;
    const references = message.references;
    if (references !== undefined && references !== null) {
      for (const entry of references) {
        const found = resolve(entry);
        if (typeof found === "number") {
          if (found !== self) path.push(found);
        } else {
          for (const k of found) if (k !== self) path.push(k);
        }
      }
    }
    const inReplyTo = message.inReplyTo;
    if (path.length === 0 && typeof inReplyTo === "string") {
      const found = resolve(inReplyTo);
      const first = typeof found === "number" ? found : found.length > 0 ? (found[0] as number) : -1;
      if (first !== -1 && first !== self) path.push(first);
    }
    if (path.length > 1) dedupeKeepLast(path);
    refCount[c] = path.length;
    for (const k of path) paths.push(k);
    pathStart[c + 1] = paths.length;
    if (path.length === 0) {
      // As in JWZ, a message's own (empty) headers win too: it is a root, whatever other messages'
      // References said about it before. Later References may still give it a parent.
      if (parentLinks[c] !== -1) withdrawn.push(c);
      parentLinks[c] = -1;
      continue;
    }
    // Consecutive References ids link ancestor -> child unless the child already has a parent.
    for (let j = 1; j < path.length; j++) {
      const child = path[j] as number;
      if (parentLinks[child] === -1) {
        parentLinks[child] = path[j - 1] as number;
        stamps[child] = ++clock;
      }
    }
    // The message's own headers win over links that other messages' References made; a link
    // that is already there keeps the time it was made.
    const parentOfC = path[path.length - 1] as number;
    if (parentLinks[c] !== parentOfC) {
      if (parentLinks[c] !== -1) withdrawn.push(c);
      parentLinks[c] = parentOfC;
      stamps[c] = ++clock;
    }
  }
  const count = parentLinks.length;
  const parent = Int32Array.from(parentLinks);

  // In each loop, cut the link made last: the one JWZ refuses as closing the loop. Where no link
  // was refused and none withdrawn, this is exactly what JWZ builds. Where one was, a refusal can
  // change what later links JWZ makes, so those components are replayed literally below.
  const cuts = breakCycles(parent, count, (a, b) => (stamps[a] as number) > (stamps[b] as number));
  if (cuts.length > 0 || withdrawn.length > 0) replayJwz(parent, count, n, paths, pathStart, [...cuts, ...withdrawn]);
  const { root: treeRoot, depth, realAbove } = describeForest(parent, count, n);

  // Which containers something hangs from: an unlinked message has no parent and no child.
  const hasChild = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const up = parent[k] as number;
    if (up !== -1) hasChild[up] = 1;
  }

  // Header threads: one per tree that holds a real message, except unlinked single messages
  // when the subject step will place them.
  const threadOf = new Int32Array(n).fill(-1);
  const threadRoot: number[] = [];
  const threadOfTree = new Map<number, number>();
  const unlinked: number[] = [];
  for (let c = 0; c < n; c++) {
    if (parent[c] === -1 && hasChild[c] === 0) {
      unlinked.push(c);
      continue;
    }
    const tree = treeRoot[c] as number;
    let t = threadOfTree.get(tree);
    if (t === undefined) {
      t = threadRoot.length;
      threadOfTree.set(tree, t);
      threadRoot.push(c);
    } else {
      const current = threadRoot[t] as number;
      // Ascending c: the first candidate wins ties (earliest by date, then id).
      const better = prune
        ? realAbove[c] === 0 && realAbove[current] === 1
        : (depth[c] as number) < (depth[current] as number);
      if (better) threadRoot[t] = c;
    }
    threadOf[c] = t;
  }

  if (unlinked.length > 0) {
    if (subjectMerge) {
      assignBySubject(unlinked, threadRoot, threadOf, times, sorted, options?.subjectPrefixes);
    } else {
      for (const c of unlinked) {
        threadOf[c] = threadRoot.length;
        threadRoot.push(c);
      }
    }
  }

  // Members in canonical order; threads by first member's date, then root id.
  const members: number[][] = threadRoot.map(() => []);
  for (let c = 0; c < n; c++) (members[threadOf[c] as number] as number[]).push(c);
  const threadOrder = threadRoot.map((_, t) => t);
  threadOrder.sort((a, b) => {
    const byTime = compare(
      times[(members[a] as number[])[0] as number] as number,
      times[(members[b] as number[])[0] as number] as number,
    );
    if (byTime !== 0) return byTime;
    const ra = threadRoot[a] as number;
    const rb = threadRoot[b] as number;
    const byId = compare((sorted[ra] as ThreadableMessage).id, (sorted[rb] as ThreadableMessage).id);
    return byId !== 0 ? byId : ra - rb;
  });
  return threadOrder.map((t) => ({
    root: (sorted[threadRoot[t] as number] as ThreadableMessage).id,
    messages: (members[t] as number[]).map((c) => (sorted[c] as ThreadableMessage).id),
  }));
}

/**
 * JWZ's linking, literally, for the components (containers connected by any header) that hold a
 * `dirty` container: messages in canonical order; a References link is made when the child has no
 * parent and it closes no loop; a message's own link replaces its parent unless it closes a loop.
 * The loop check walks up the tree, so this costs the depth of the trees it touches per link; it
 * only runs for components with a loop or a withdrawn link, which well-formed mail never has.
 */
function replayJwz(
  parent: Int32Array,
  count: number,
  n: number,
  paths: readonly number[],
  pathStart: Int32Array,
  dirty: readonly number[],
): void {
  const set = new Int32Array(count);
  for (let k = 0; k < count; k++) set[k] = k;
  const find = (k: number): number => {
    let root = k;
    while (set[root] !== root) root = set[root] as number;
    while (set[k] !== root) {
      const next = set[k] as number;
      set[k] = root;
      k = next;
    }
    return root;
  };
  for (let c = 0; c < n; c++) {
    for (let i = pathStart[c] as number; i < (pathStart[c + 1] as number); i++) {
      const a = find(c);
      const b = find(paths[i] as number);
      if (a !== b) set[a] = b;
    }
  }
  const replay = new Uint8Array(count);
  for (const k of dirty) replay[find(k)] = 1;
  for (let k = 0; k < count; k++) if (replay[find(k)] === 1) parent[k] = -1;
  const closesLoop = (up: number, child: number): boolean => {
    for (let at = up; at !== -1; at = parent[at] as number) if (at === child) return true;
    return false;
  };
  for (let c = 0; c < n; c++) {
    if (replay[find(c)] !== 1) continue;
    const start = pathStart[c] as number;
    const end = pathStart[c + 1] as number;
    for (let i = start + 1; i < end; i++) {
      const child = paths[i] as number;
      const up = paths[i - 1] as number;
      if (parent[child] === -1 && !closesLoop(up, child)) parent[child] = up;
    }
    parent[c] = -1;
    if (end > start) {
      const up = paths[end - 1] as number;
      if (!closesLoop(up, c)) parent[c] = up;
    }
  }
}

/** Rejects anything but an array of messages and an options object, naming the field. */
function checkInput(messages: unknown, options: unknown): void {
  const issues: InputIssue[] = [];
  if (!Array.isArray(messages)) {
    wrongType(issues, ["messages"], "an array of messages", messages);
  } else {
    for (let i = 0; i < messages.length && issues.length < MAX_ISSUES; i++) {
      const m: unknown = messages[i];
      if (!isObject(m)) {
        wrongType(issues, ["messages", i], "an object", m);
        continue;
      }
      if (typeof m.id !== "string") wrongType(issues, ["messages", i, "id"], "a string", m.id);
      if (typeof m.date !== "string" && !(m.date instanceof Date)) {
        wrongType(issues, ["messages", i, "date"], "a Date or a date string", m.date);
      }
      checkOptionalString(issues, ["messages", i, "messageId"], m.messageId);
      checkOptionalString(issues, ["messages", i, "inReplyTo"], m.inReplyTo);
      checkOptionalString(issues, ["messages", i, "subject"], m.subject);
      checkOptionalStrings(issues, ["messages", i, "references"], m.references, true);
    }
  }
  checkOptionsObject(issues, options, (o) => {
    checkOptionalBoolean(issues, ["options", "subjectMerge"], o.subjectMerge);
    checkOptionalBoolean(issues, ["options", "prunePhantoms"], o.prunePhantoms);
    checkOptionalStrings(issues, ["options", "subjectPrefixes"], o.subjectPrefixes);
  });
  throwIfIssues("threadEmails input", issues);
}

/**
 * The subject step: gives every unlinked message (ascending canonical order) a thread in
 * `threadOf`, adding new threads to `threadRoot` as needed.
 */
function assignBySubject(
  unlinked: readonly number[],
  threadRoot: number[],
  threadOf: Int32Array,
  times: Float64Array,
  sorted: readonly ThreadableMessage[],
  subjectPrefixes: readonly string[] | undefined,
): void {
  const patterns = subjectPatterns(subjectPrefixes ?? DEFAULT_SUBJECT_PREFIXES);
  const scans = new Map<string, { key: string; reply: boolean }>();
  const scanOf = (subject: string | null | undefined): { key: string; reply: boolean } => {
    if (typeof subject !== "string" || subject.length === 0) return NO_SUBJECT;
    let scan = scans.get(subject);
    if (scan === undefined) {
      const { base, reply } = scanSubject(subject, patterns);
      scan = { key: base.toLowerCase(), reply };
      scans.set(subject, scan);
    }
    return scan;
  };

  // Header threads by their root's base subject; each list sorted by (start, root id).
  const wanted = new Set<string>();
  for (const c of unlinked) {
    const { key } = scanOf((sorted[c] as ThreadableMessage).subject);
    if (key.length > 0) wanted.add(key);
  }
  const headerThreads = threadRoot.length;
  const start = new Float64Array(headerThreads).fill(Number.POSITIVE_INFINITY);
  const seen = new Uint8Array(headerThreads);
  for (let c = 0; c < threadOf.length; c++) {
    const t = threadOf[c] as number;
    if (t >= 0 && seen[t] === 0) {
      seen[t] = 1;
      start[t] = times[c] as number;
    }
  }
  const candidates = new Map<string, number[]>();
  if (wanted.size > 0) {
    for (let t = 0; t < headerThreads; t++) {
      const { key } = scanOf((sorted[threadRoot[t] as number] as ThreadableMessage).subject);
      if (!wanted.has(key)) continue;
      const list = candidates.get(key);
      if (list === undefined) candidates.set(key, [t]);
      else list.push(t);
    }
    for (const list of candidates.values()) {
      list.sort((a, b) => {
        const byTime = compare(start[a] as number, start[b] as number);
        if (byTime !== 0) return byTime;
        return (
          compare(
            (sorted[threadRoot[a] as number] as ThreadableMessage).id,
            (sorted[threadRoot[b] as number] as ThreadableMessage).id,
          ) || a - b
        );
      });
    }
  }

  // Subject groups of unlinked messages alone: rooted at the earliest non-reply, else the earliest.
  const ownGroups = new Map<string, number>();
  const rootIsReply: boolean[] = [];
  for (const c of unlinked) {
    const { key, reply } = scanOf((sorted[c] as ThreadableMessage).subject);
    const list = key.length > 0 ? candidates.get(key) : undefined;
    if (list !== undefined) {
      threadOf[c] = list[latestAtOrBefore(list, start, times[c] as number)] as number;
      continue;
    }
    const existing = key.length > 0 ? ownGroups.get(key) : undefined;
    if (existing !== undefined) {
      threadOf[c] = existing;
      if (rootIsReply[existing] === true && !reply) {
        threadRoot[existing] = c;
        rootIsReply[existing] = false;
      }
      continue;
    }
    const t = threadRoot.length;
    threadRoot.push(c);
    rootIsReply[t] = reply;
    threadOf[c] = t;
    if (key.length > 0) ownGroups.set(key, t);
  }
}

const NO_SUBJECT = Object.freeze({ key: "", reply: false });

/** Index in `list` (sorted by `start`) of the last thread starting at or before `time`, else 0. */
function latestAtOrBefore(list: readonly number[], start: Float64Array, time: number): number {
  let lo = 0;
  let hi = list.length; // first index whose start is after `time`
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((start[list[mid] as number] as number) <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : lo - 1;
}

/**
 * Removes earlier occurrences of repeated containers in place, keeping each at its last position
 * (the same rule `referencedIds` applies to ids).
 */
function dedupeKeepLast(path: number[]): void {
  let repeated = false;
  if (path.length > 16) {
    repeated = new Set(path).size !== path.length;
  } else {
    for (let i = 1; i < path.length && !repeated; i++) {
      for (let j = 0; j < i; j++) {
        if (path[j] === path[i]) {
          repeated = true;
          break;
        }
      }
    }
  }
  if (!repeated) return;
  const seen = new Set<number>();
  let write = path.length;
  for (let i = path.length - 1; i >= 0; i--) {
    const k = path[i] as number;
    if (seen.has(k)) continue;
    seen.add(k);
    path[--write] = k;
  }
  path.splice(0, write);
}
