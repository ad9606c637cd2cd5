// `npm run build`, after `remix build`: compiles the deployment entrypoints (server/index.ts for
// `npm run serve`, server/worker.ts for `npm run worker`) into build/server/*.js, so that
// production runs plain Node: no TypeScript loader thread, no transform at start-up, and one
// copy fewer of the app's modules in memory (ADR 1303). Packages stay in node_modules, as in the
// Remix build. The queue worker's code is split into its own chunk, loaded only by the process
// that runs it. `npm start`, the CLIs and the tests still run the sources through tsx.
import * as esbuild from 'esbuild'

export async function bundleServer() {
  await esbuild.build({
    entryPoints: { index: 'server/index.ts', worker: 'server/worker.ts' },
    outdir: 'build/server',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    // packages and node: builtins; #app/#db/#emails and relative paths are the project's own
    packages: 'external',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  })
}

if (process.argv[1]?.endsWith('server/bundle.ts')) await bundleServer()
