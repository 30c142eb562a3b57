/**
 * The part of phoenix.js (the `phoenix` package, which ships no types) that
 * the recipe tests use, as its source (assets/js/phoenix/) defines it.
 */
declare module 'phoenix' {
  /** A message as phoenix.js decodes it. */
  export interface Message {
    readonly join_ref: string | null;
    readonly ref: string | null;
    readonly topic: string;
    readonly event: string;
    readonly payload: unknown;
  }

  /** The V2 JSON serializer (binary payloads aside): `[join_ref, ref, topic, event, payload]`. */
  export const Serializer: {
    encode(message: Message, callback: (encoded: string) => void): void;
    decode(raw: string, callback: (message: Message) => void): void;
  };

  export interface SocketOptions {
    /** The WebSocket class; constructed as `new transport(url, protocols)`. */
    readonly transport?: new (url: string, protocols?: string[]) => object;
    readonly params?: Record<string, string>;
    /** The default timeout of joins and pushes, in ms. @defaultValue `10000` */
    readonly timeout?: number;
    readonly heartbeatIntervalMs?: number;
    readonly reconnectAfterMs?: (tries: number) => number;
    readonly rejoinAfterMs?: (tries: number) => number;
    readonly logger?: (kind: string, message: string, data: unknown) => void;
  }

  export class Push {
    receive(status: 'ok' | 'error' | 'timeout', callback: (response: unknown) => void): this;
  }

  export class Channel {
    readonly state: 'closed' | 'errored' | 'joined' | 'joining' | 'leaving';
    join(timeout?: number): Push;
    leave(timeout?: number): Push;
    push(event: string, payload: object, timeout?: number): Push;
    on(event: string, callback: (payload: unknown, ref: string | null, joinRef: string | null) => void): number;
    onError(callback: (reason: unknown) => void): number;
    onClose(callback: (reason: unknown) => void): void;
  }

  export class Socket {
    constructor(endPoint: string, options?: SocketOptions);
    connect(): void;
    disconnect(callback?: () => void, code?: number, reason?: string): void;
    channel(topic: string, params?: object): Channel;
    onOpen(callback: () => void): string;
    onClose(callback: (event: unknown) => void): string;
    onError(callback: (error: unknown) => void): string;
    onMessage(callback: (message: Message) => void): string;
    isConnected(): boolean;
  }
}
