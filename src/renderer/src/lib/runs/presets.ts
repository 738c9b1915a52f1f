// The student presets' labels; their shapes (shown as placeholders of the advanced overrides) are
// the catalogue's (src/shared/catalogue.ts), which the trainer reads too.
import { PRESET_SHAPES, type PresetName } from '../../../../shared/catalogue';

export { PRESET_SHAPES };

export function presetLabel(p: PresetName): string {
  const s = PRESET_SHAPES[p];
  return `${p} (${s.layers} × ${s.width}, ${s.heads} heads)`;
}
