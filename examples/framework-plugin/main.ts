/**
 * `npx tsx examples/framework-plugin/main.ts`: a pretend UI component renders a customer card from
 * the store. Three writes in one tick give one render; a redelivered message gives none.
 *
 * @module
 */
import { createCustomerContext, createCustomerStore } from "customer-context";

const cc = createCustomerContext();
const jan = { type: "email", value: "jan@kowalski.pl" };
const store = createCustomerStore(cc, { identifier: jan });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

let renders = 0;
function render(): void {
  renders++;
  const view = store.getSnapshot();
  if (view === undefined) console.log(`render ${renders}: loading…`);
  else if (view === null) console.log(`render ${renders}: unknown customer`);
  else {
    const channels = view.conversations.flatMap((c) => c.channels).join(", ");
    console.log(`render ${renders}: ${view.timeline.length} interaction(s), channels: ${channels}`);
  }
}

// A framework calls subscribe(onChange) and reads getSnapshot() when told to, like useSyncExternalStore.
render();
const unsubscribe = store.subscribe(render);
await settle();

const chat = (n: number) => ({
  channel: "chat",
  direction: "inbound" as const,
  at: `2026-04-02T10:0${n}:00Z`,
  customer: [jan],
  externalId: `chat-${n}`,
  text: `message ${n}`,
});
console.log("three writes in one tick…");
await Promise.all([
  cc.record(chat(1)),
  cc.record({ ...chat(2), channel: "email", externalId: "mail-2" }),
  cc.record({ ...chat(3), channel: "sms", customer: [jan, { type: "phone", value: "+48601234567" }] }),
]);
await settle();
console.log("a redelivered message…");
await cc.record(chat(1));
await settle();
console.log(`${renders} renders in all.`);
unsubscribe();
await cc.close();
