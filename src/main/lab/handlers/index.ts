// All channel handlers, one file per domain. TypeScript checks that every contract channel has
// exactly one handler here.
import type { Handlers } from '../dispatch';
import type { LabContext } from '../lab';
import { annotationHandlers } from './annotations';
import { appHandlers } from './app';
import { datasetHandlers } from './datasets';
import { runHandlers } from './runs';
import { experimentHandlers } from './experiments';
import { reportHandlers } from './reports';
import { studentHandlers } from './students';

export function buildHandlers(ctx: LabContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...datasetHandlers(ctx),
    ...runHandlers(ctx),
    ...experimentHandlers(ctx),
    ...annotationHandlers(ctx),
    ...reportHandlers(ctx),
    ...studentHandlers(ctx),
  };
}
