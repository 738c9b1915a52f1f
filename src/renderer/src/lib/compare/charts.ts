// chart.js pieces the Compare page needs on top of the Runs page's line-chart set-up (bars with
// categories, scatter, filled bands). Registration is global and idempotent.
import { BarController, BarElement, CategoryScale, Filler, ScatterController } from 'chart.js';
import { Chart } from '../runs/chartTheme';

Chart.register(BarController, BarElement, CategoryScale, ScatterController, Filler);

export { Chart };
export { chartColours, onThemeChange, isDark } from '../runs/chartTheme';
