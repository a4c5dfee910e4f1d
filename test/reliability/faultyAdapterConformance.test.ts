/** Without a fault armed, the fault injector is transparent: the wrapped adapter still passes the conformance suite. */
import { memoryAdapter } from "../../src/index.js";
import { faultyAdapter, runAdapterConformance } from "../../src/testing/index.js";

runAdapterConformance({ name: "faulty(memory), no fault", createAdapter: () => faultyAdapter(memoryAdapter()) });
