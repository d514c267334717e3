// The JSON fleet report: the fleet model as it is (schemas/fleet-report.schema.json), each host's full report
// inside; every other format can be rendered from it.
import type { FleetReport } from './model.js';

export function renderFleetJson(fleet: FleetReport): string {
  return `${JSON.stringify(fleet, null, 2)}\n`;
}
