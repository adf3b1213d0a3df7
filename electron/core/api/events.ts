// The core's event bus: commands and sync publish, transports forward to renderers.
import { EventEmitter } from 'node:events';
import type { ApiEvents, EventName } from '../../shared/contract.ts';

export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    this.emitter.emit(event, payload);
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}
