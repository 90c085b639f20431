// One colour per state, shared by the DOT graph and the SVG plot (and their legends).
import { STATE_NAMES, type StateName } from './service-json.js';

export interface StateStyle {
  fill: string;
  /** Text colour readable on `fill`. */
  text: string;
}

export const STATE_STYLES: Readonly<Record<StateName, StateStyle>> = {
  inactive: { fill: '#d9d9d9', text: '#000000' },
  blocked: { fill: '#fee08b', text: '#000000' },
  starting: { fill: '#9ecae1', text: '#000000' },
  ready: { fill: '#a1d99b', text: '#000000' },
  stopping: { fill: '#fdae6b', text: '#000000' },
  backoff: { fill: '#fc9272', text: '#000000' },
  failed: { fill: '#cb181d', text: '#ffffff' },
  unknown: { fill: '#ffffff', text: '#000000' },
};

/** Legend order: DESIGN §4's states (unknown is only drawn when used). */
export const LEGEND_STATES: readonly StateName[] = STATE_NAMES;
