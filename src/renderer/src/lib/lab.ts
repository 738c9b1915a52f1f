// The app-wide lab client (one per window).
import { createClient, type LabClient } from './client';

export const lab: LabClient = createClient();
