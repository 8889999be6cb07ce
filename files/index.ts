// files/: writing output files safely (atomic writes), shared by cli/ and viz/; Node only.
export { closeQuietly, tempPathFor, writeAll, writeFileAtomic } from "./atomic.js";
