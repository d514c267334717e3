// Preloaded by bench/experiments.mjs (`node --import bench/exit-hook.mjs bin/plumbline.cjs ...`): when the event loop
// runs empty, exit at once with the exit code already set, instead of letting Node tear the whole heap down. Measures
// what an explicit process.exit() at the end of the CLI would save. (On Linux, writes to pipes and files are
// synchronous, so nothing written is lost.)
process.once('beforeExit', () => process.exit());
