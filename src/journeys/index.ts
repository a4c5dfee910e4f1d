export * from "./journeyMetrics.js";
export * from "./renderJourneySvg.js";
export * from "./renderTimelineSvg.js";
