// A small typed event hub: the lab emits, every transport (IPC windows, WebSocket clients,
// the CLI's progress printer) subscribes.
import type { EventName, EventPayload, LabEventMessage } from '../../shared/contract';

export type EventListener = (message: LabEventMessage) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const message = { name, payload } as LabEventMessage;
    for (const l of [...this.listeners]) {
      try {
        l(message);
      } catch {
        // a broken subscriber (e.g. a closed socket) must not stop the others or the emitter
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
