/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Classic compiler. Routes use the built-in v2 flat-routes convention in app/routes.
  appDirectory: 'app',
  assetsBuildDirectory: 'public/build',
  publicPath: '/build/',
  serverBuildPath: 'build/index.js',
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  ignoredRouteFiles: ['**/.*', '**/*.test.{ts,tsx}', '**/*.css'],
  // db/ and emails/ are reached through #db/* and #emails/* (tsconfig paths), so the
  // compiler bundles them into the server build; watch them in dev.
  watchPaths: ['./db/**/*.ts', './emails/**/*.tsx', './emails/**/*.ts'],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
}
