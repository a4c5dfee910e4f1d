import type { CustomerContext } from "../../src/index.js";

/** Applies ingest-shaped items one by one through the context's methods. */
export async function applyItems(
  cc: CustomerContext,
  items: ReadonlyArray<{ kind: string } & Record<string, unknown>>,
) {
  for (const { kind, id: _key, ...input } of items) {
    switch (kind) {
      case "identify":
        await cc.identify(input as never);
        break;
      case "record":
        await cc.record(input as never);
        break;
      case "consent":
        await cc.consent(input as never);
        break;
      case "offer":
        await cc.offers.define({ id: _key, ...input } as never);
        break;
      case "present":
        await cc.offers.present(input as never);
        break;
      default:
        throw new Error(`no method for kind ${kind}`);
    }
  }
}
