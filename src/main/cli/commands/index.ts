// Every CLI command. Add new ones here.
import type { Command } from '../command';
import { doctorCommand } from './doctor';
import { serveCommand } from './serve';

export const COMMANDS: readonly Command[] = [doctorCommand, serveCommand];
