import { memoryAdapter } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";

runAdapterConformance({ name: "memory", createAdapter: () => memoryAdapter() });
