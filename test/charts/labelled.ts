/** Plug-ins with names of their own by language, for the chart and report tests. */
import {
  buildModel,
  frame,
  lejre2034,
  parseScenario,
  runModel,
  type ServiceDefinition,
  type SimulationResult,
  type StrategyDefinition,
} from '../../src/index';

/** A strategy of one's own with a Danish name: a frame with a reserve pool. */
export const reserve: StrategyDefinition = {
  ...frame({ id: 'reserve', carryOver: { surplusCap: 0, deficitCap: 0 } }),
  label: 'Frame with a reserve pool',
  labels: { da: 'Ramme med reservepulje' },
};

/** The scenario's home care under another id, with a Danish name of its own. */
export function nightCare(): ServiceDefinition {
  const [homeCare] = buildModel(parseScenario(lejre2034())).services.filter((s) => s.id === 'home-care');
  return { ...homeCare!, id: 'night-care', label: 'Night care', labels: { da: 'Nattepleje' } };
}

/**
 * A run of the plug-ins above: its result names them as their definitions do (`labels`
 * included), which is what charts and reports read the names from.
 */
export function labelledRun(paths: { pathStart?: number; paths?: number } = {}): SimulationResult {
  const model = buildModel(parseScenario({ ...lejre2034(), paths: 40 }), {
    services: [nightCare()],
    replaceServices: true,
  });
  return runModel(model, [frame(), reserve], paths);
}
