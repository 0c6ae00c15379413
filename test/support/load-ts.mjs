// Lets a plain Node script (the scale suite, like the fault suite an .mjs run outside Jest) use
// test/support's TypeScript starters (Redis Cluster, PgBouncer, a streaming replica) as they are,
// compiled on load by @swc/core with the options Jest uses (jest.config.js), instead of copies.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

if (!require.extensions['.ts']) {
  const swc = require('@swc/core');
  // Registering the extension also makes extension-less imports ('./wait') resolve to .ts files.
  require.extensions['.ts'] = (module, filename) => {
    const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
      filename,
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
}

/** A test/support module (path relative to this directory, e.g. './redis-servers.ts'). */
export function supportModule(path) {
  return require(path);
}
