import { runAdapterConformance } from "../../src/testing/index.js";
import { dropPostgresSchema, freshPostgresAdapter } from "../setup/fresh-postgres.js";

runAdapterConformance({ name: "postgres", createAdapter: () => freshPostgresAdapter(), teardown: dropPostgresSchema });
