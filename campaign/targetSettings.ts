/**
 * Which in-process target a run uses, as the CLI and reports name it.
 */
import type { DefectName } from '../sim/defects.ts';
import { createIdealTarget, createPlacementTarget, type InProcessTarget, type Profile } from '../sim/inProcess/target.ts';
import type { Isolation } from '../sim/store/store.ts';

export interface TargetSettings {
  readonly profile: Profile;
  readonly isolation: Isolation;
  readonly defects: readonly DefectName[];
}

export function createTarget(settings: TargetSettings): InProcessTarget {
  return settings.profile === 'ideal' ? createIdealTarget() : createPlacementTarget(settings.isolation, new Set(settings.defects));
}

export function describeTarget(settings: TargetSettings): string {
  if (settings.profile === 'ideal') return 'sim profile=ideal';
  const defects = settings.defects.length === 0 ? 'none' : settings.defects.join(',');
  return `sim profile=${settings.profile} isolation=${settings.isolation} defects=${defects}`;
}
