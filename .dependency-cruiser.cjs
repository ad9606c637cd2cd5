// Architecture rules. `npm run lint:deps` checks them; there is no exceptions
// file, so a rule that fails is fixed in the code, not waived.

// Files allowed to import db/ and emails/: server-only modules (the Remix
// compiler never puts `*.server.*` in the browser bundle), the layers below the
// routes, and tests.
const serverOnly = ['\\.server\\.tsx?$', '^(db|emails|server|tests)/']

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-app-folder-cycles',
      severity: 'error',
      comment:
        'Folders under app/ depend on each other in one direction only (for example letters → delivery, never back). ' +
        'Move the shared piece down into the folder both use, or pass it in.',
      scope: 'folder',
      from: { path: '^app/' },
      to: { path: '^app/', circular: true },
    },
    {
      name: 'bench-peer-stands-alone',
      severity: 'error',
      comment:
        "The bench's peer (tests/load/peer, ADR 1300) is a separate, minimal Remix app measured beside Writ: " +
        'it imports only its own files and npm packages, never Writ code.',
      from: { path: '^tests/load/peer/' },
      to: { pathNot: ['^tests/load/peer/', 'node_modules'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'capabilities-not-import-routes',
      severity: 'error',
      comment:
        'Routes sit at the edge and may import capabilities; capabilities never import routes. ' +
        'Move what both need into the capability.',
      from: { path: '^app/', pathNot: '^app/routes/' },
      to: { path: '^app/routes/' },
    },
    {
      name: 'db-not-import-app',
      severity: 'error',
      comment:
        'db/ is the bottom layer. Move what it needs (record parsers, types) into db/ or pass it in.',
      from: { path: '^db/' },
      to: { path: '^app/' },
    },
    {
      name: 'only-tests-import-tests',
      severity: 'error',
      comment:
        'tests/ holds e2e, drills, fuzz, load, setup and fakes; product code never depends on it.',
      from: { pathNot: '^tests/' },
      to: { path: '^tests/' },
    },
    {
      name: 'db-and-emails-only-from-server',
      severity: 'error',
      comment:
        'db/ and emails/ reach the app only through *.server.ts(x) modules, so they never enter the browser bundle.',
      from: { pathNot: serverOnly },
      to: { path: '^(db|emails)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: {
      path: [
        // Stylesheets are imported as URLs and import nothing themselves.
        '\\.css$',
        // Test files sit beside the code they test and use tests/setup and tests/fakes.
        // Kept in the graph, they would join every folder they test into a cycle
        // through tests/setup → server → app/.
        '\\.test\\.tsx?$',
      ],
    },
    // Type-only imports count: a type from app/ in db/ couples them as much as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // enhanced-resolve reads package.json "imports" (#app/*, #db/*, #emails/*, #tests/*)
      // by default; tsConfig above resolves the same aliases through "paths".
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
}
