// Preloaded with `--import` by bench/memory.mjs: every 500 ms appends the process's RSS, V8 heap
// (total, used, old and new space) and external memory, in MB, as one JSON line to
// $MEMORY_PROBE_FILE.
import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const file = process.env.MEMORY_PROBE_FILE;
if (file) {
  const mb = (n) => Math.round(n / 1048576);
  setInterval(() => {
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_size)]),
    );
    const line = {
      rss: mb(m.rss),
      heapTotal: mb(m.heapTotal),
      heapUsed: mb(m.heapUsed),
      external: mb(m.external),
      newSpace: spaces.new_space,
      oldSpace: spaces.old_space,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 500).unref();
}
