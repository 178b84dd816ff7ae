/**
 * The layers of lambdas/ and what each may import (README "Architecture"):
 *   domain/     pure rules: no I/O, no SDK, no Powertools, no other layer
 *   flows/      use cases written against flows/ports.ts: domain and ports only
 *   stores/     DynamoDB implementations of the storage ports
 *   aws/        SDK clients and adapters, and the environment contract
 *   runtime/    Lambda plumbing (middy, Powertools, clock, builtins shims)
 *   compose/    composition shared by functions
 *   functions/  one folder per Lambda: parse, compose once per container, call a flow
 * lib/ (the CDK app) may import only modules that load no SDK.
 */
const IO_BUILTINS = '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster|zlib|os|module|process|readline|stream|v8|vm)$';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Cycles hide which module owns a rule.', from: {}, to: { circular: true } },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'The domain does no I/O: no SDK, no Powertools, no middy, no other layer of lambdas/.',
      from: { path: '^lambdas/domain/' },
      to: { path: ['^lambdas/(aws|stores|flows|functions|runtime|compose)/', '@aws-sdk/', '@aws-lambda-powertools/', '@middy/', IO_BUILTINS] },
    },
    {
      name: 'domain-imports-no-io-builtins',
      severity: 'error',
      from: { path: '^lambdas/domain/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
    {
      name: 'flows-depend-on-ports',
      severity: 'error',
      comment: 'A flow depends on the ports (flows/ports.ts) and the domain, never on DynamoDB classes or AWS adapters.',
      from: { path: '^lambdas/flows/' },
      to: { path: ['^lambdas/(aws|stores|functions|runtime|compose)/', '@aws-sdk/', '@aws-lambda-powertools/', '@middy/'] },
    },
    {
      name: 'stores-implement-ports',
      severity: 'error',
      comment:
        "Stores know the domain, the ports (flows/ports.ts, or a capability's own flows/province-campaigns/ports.ts) and DynamoDB; not the flows, the adapters or the functions.",
      from: { path: '^lambdas/stores/' },
      to: { path: ['^lambdas/(aws|functions|compose)/', '^lambdas/flows/(?!ports\\.ts$|province-campaigns/ports\\.ts$)'] },
    },
    {
      name: 'aws-adapters-stay-adapters',
      severity: 'error',
      from: { path: '^lambdas/aws/' },
      to: { path: ['^lambdas/(stores|functions|compose)/', '^lambdas/flows/(?!ports\\.ts$|province-campaigns/ports\\.ts$)'] },
    },
    {
      name: 'runtime-is-plumbing',
      severity: 'error',
      from: { path: '^lambdas/runtime/' },
      to: { path: '^lambdas/(domain|flows|stores|aws|functions|compose)/' },
    },
    {
      name: 'functions-do-not-import-each-other',
      severity: 'error',
      comment: 'Each function folder is one Lambda; what two share lives in a layer below.',
      from: { path: '^lambdas/functions/([^/]+)/' },
      to: { path: '^lambdas/functions/', pathNot: '^lambdas/functions/$1/' },
    },
    {
      name: 'lib-loads-no-runtime-code',
      severity: 'error',
      comment: 'The CDK app imports names and contracts only: the domain, the table schema and the environment contract.',
      from: { path: '^lib/' },
      to: { path: '^lambdas/', pathNot: ['^lambdas/domain/', '^lambdas/stores/table-schema\\.ts$', '^lambdas/aws/environment\\.ts$'] },
    },
    {
      name: 'lib-contracts-load-no-sdk',
      severity: 'error',
      from: { path: ['^lambdas/stores/table-schema\\.ts$', '^lambdas/aws/environment\\.ts$'] },
      to: { path: ['@aws-sdk/', '^lambdas/(aws|stores|flows|functions|runtime|compose)/'], pathNot: ['^lambdas/stores/table-schema\\.ts$', '^lambdas/aws/environment\\.ts$'] },
    },
    {
      name: 'nothing-imports-a-handler',
      severity: 'error',
      comment: 'Handlers are entry points; only tests, the local run and the bench load them.',
      from: { path: '^(lambdas|lib|ops|scripts)/' },
      to: { path: '^lambdas/functions/[^/]+/handler\\.ts$' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: [
          '\\.d\\.ts$',
          '(^|/)\\.[^/]+\\.(c?js|json)$',
          '^lambdas/runtime/builtins/',
          '^lambdas/functions/[^/]+/handler\\.ts$',
          '^(bin|bench|scripts|ops|local)/',
          'vitest\\.config\\.ts$',
          'stryker',
        ],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.cjs', '.json'] },
    builtInModules: { add: [] },
  },
};
