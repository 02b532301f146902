/**
 * The one line that reruns a single seed exactly as a campaign ran it.
 */
import type { CampaignSettings } from '../campaign/runCampaign.ts';

export function replayCommand(seed: string, settings: Pick<CampaignSettings, 'target' | 'overrides' | 'scenario'>): string {
  const parts = ['npm run fuzz --', `--seed ${seed}`, '--runs 1', `--profile ${settings.target.profile}`];
  if (settings.target.profile !== 'ideal') parts.push(`--isolation ${settings.target.isolation}`);
  for (const defect of settings.target.defects) parts.push(`--defect ${defect}`);
  for (const fault of settings.overrides.faults ?? []) parts.push(`--fault ${fault}`);
  if (settings.overrides.clientsCount !== undefined) parts.push(`--clients ${settings.overrides.clientsCount}`);
  if (settings.overrides.commandsPerClient !== undefined) parts.push(`--commands ${settings.overrides.commandsPerClient}`);
  if (settings.scenario !== undefined && settings.scenario !== 'default') parts.push(`--scenario ${settings.scenario}`);
  return parts.join(' ');
}
