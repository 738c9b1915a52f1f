// The student presets' shapes, shown as placeholders of the advanced overrides. They repeat
// src/main/lab/training/model.ts (PRESETS) because the renderer cannot import the Node-only core.
import type { ModelOverrides, PresetName } from '../../../../shared/types/runs';

export const PRESET_SHAPES: Record<PresetName, Required<ModelOverrides>> = {
  tiny: { layers: 2, width: 128, heads: 4, context: 256, dropout: 0.1 },
  small: { layers: 4, width: 256, heads: 4, context: 384, dropout: 0.1 },
  base: { layers: 6, width: 384, heads: 6, context: 512, dropout: 0.1 },
};

export function presetLabel(p: PresetName): string {
  const s = PRESET_SHAPES[p];
  return `${p} (${s.layers} × ${s.width}, ${s.heads} heads)`;
}
