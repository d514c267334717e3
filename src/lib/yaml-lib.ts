// The `yaml` package, loaded on first use: the default run (the built-in policies, resolved at build time)
// never reads YAML, and loading the package is a noticeable share of a fresh process's start-up.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

export function yamlLib(): typeof Yaml {
  // In the CommonJS bundle `require` is the bundle's own (esbuild points 'yaml' at dist/lib/yaml.cjs); when
  // src/ runs as ES modules (tests) there is no `require`, so make one.
  lib ??= (typeof require === 'function' ? require('yaml') : createRequire(import.meta.url)('yaml')) as typeof Yaml;
  return lib;
}
