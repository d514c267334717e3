// The pipeline's boundaries, checked by `npm test` (npm run lint:deps):
//   lib < inventory < transport < policy < plan < probes < facts < evaluate < capture < score < report < diagnose < fleet < cli / action
// A stage imports only earlier stages; evaluate, score and report never reach the host; facts take plain
// parameters, not policy types; only the entry points (cli, action) import cli.
const STAGES = [
  'lib',
  'inventory',
  'transport',
  'policy',
  'plan',
  'probes',
  'facts',
  'evaluate',
  'capture',
  'score',
  'report',
  'diagnose',
  'fleet',
  '(cli|action)',
];
const dir = (name) => `^src/${name}/`;
// A check kind is one module per stage that knows it, in that stage's kinds/ folder, behind its registry.ts;
// kinds/shared/ and the policy's kit.ts are what the kinds of a stage share.
const KIND_MODULE = '^src/(policy|plan|evaluate|report/html)/kinds/(?!registry\\.ts$|kit\\.ts$)[^/]+\\.ts$';
const REGISTRY = '^src/(policy|plan|evaluate|report/html)/kinds/registry\\.ts$';

const laterStage = STAGES.slice(0, -1).map((stage, i) => ({
  name: `no-${stage.replace(/\W/g, '')}-to-later-stage`,
  comment: `${stage} may import only earlier stages (${STAGES.slice(0, i).join(', ') || 'none'})`,
  severity: 'error',
  from: { path: dir(stage) },
  to: { path: `^src/(${STAGES.slice(i + 1).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...laterStage,
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import each other in one direction only.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'only-entry-points-import-cli',
      severity: 'error',
      comment: 'cli is the outermost layer: nothing but cli itself and the GitHub Action entry imports it.',
      from: { path: '^src/', pathNot: '^src/(cli|action)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'pure-stages-reach-no-host',
      severity: 'error',
      comment:
        'evaluate, capture, score, report and diagnose are pure: no transport, no collector or probe; of facts and probes only the models (model.ts, *-model.ts) and the pure readings.',
      from: { path: '^src/(evaluate|capture|score|report|diagnose)/' },
      to: {
        path: ['^src/transport/', '^src/facts/', '^src/probes/'],
        pathNot: ['^src/facts/model\\.ts$', '^src/facts/readings/', '^src/probes/(cert-|net-|tls-)?model\\.ts$', '^src/probes/readings/'],
      },
    },
    {
      name: 'readings-are-pure',
      severity: 'error',
      comment: 'Pure readings of facts import the models, other readings and lib only: never a collector, probe or transport.',
      from: { path: '^src/(facts|probes)/readings/' },
      to: { path: '^src/', pathNot: ['^src/(facts|probes)/(cert-|net-|tls-)?model\\.ts$', '^src/(facts|probes)/readings/', '^src/lib/'] },
    },
    {
      name: 'facts-take-no-policy-types',
      severity: 'error',
      comment: 'Collectors and probes get plain parameters from the plan, never policy types.',
      from: { path: '^src/(facts|probes)/' },
      to: { path: '^src/policy/' },
    },
    {
      name: 'fact-families-stand-alone',
      severity: 'error',
      comment:
        'A fact family (src/facts/families/NAME) says what it needs and parses the answers: it reaches the transport contract, lib, the plan types, the facts and probe models, the readings and the shared readers beside it, never another family, the collect/probe runners or a probe.',
      from: { path: '^src/facts/families/([^/]+)' },
      to: {
        path: ['^src/facts/families/', '^src/facts/(collect|registry|probes|tls-listeners)\\.ts$', '^src/probes/'],
        pathNot: ['^src/facts/families/$1', '^src/probes/(cert-|net-|tls-)?model\\.ts$'],
      },
    },
    {
      name: 'only-the-registry-lists-families',
      severity: 'error',
      comment: 'src/facts/registry.ts is the one list of fact families: nothing else imports a family module.',
      from: { path: '^src/', pathNot: ['^src/facts/registry\\.ts$', '^src/facts/families/'] },
      to: { path: '^src/facts/families/' },
    },
    {
      name: 'kinds-reach-no-other-kind',
      severity: 'error',
      comment: 'A check kind module reaches its own stage and earlier ones (the stage rules), never another kind module.',
      from: { path: KIND_MODULE },
      to: { path: KIND_MODULE },
    },
    {
      name: 'only-registries-import-kinds',
      severity: 'error',
      comment: "A stage's registry (kinds/registry.ts) is the one list of its kinds: nothing else imports a kind module.",
      from: { path: '^src/', pathNot: REGISTRY },
      to: { path: KIND_MODULE },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'Every import resolves.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
