// The bench's peer (ADR 1300): a minimal Remix 2 petition app, built by the bench's peer step
// into .data/bench/peer-build (never into the repo). Classic compiler, like the root config.
/** @type {import('@remix-run/dev').AppConfig} */
export default {
  appDirectory: 'app',
  assetsBuildDirectory: '../../../.data/bench/peer-build/public/build',
  publicPath: '/build/',
  serverBuildPath: '../../../.data/bench/peer-build/index.js',
  serverModuleFormat: 'esm',
  serverPlatform: 'node',
  ignoredRouteFiles: ['**/.*'],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
}
