// node.mjs: the ES module face of node.cjs.
import cjs from "./node.cjs";

export const EventSource = cjs.EventSource;
export default EventSource;
