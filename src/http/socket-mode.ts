import { type App, type CustomRoute, type Logger, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';

export type SocketModeOptions = {
  appToken: string;
  customRoutes: CustomRoute[];
  logger: Logger;
  /** For the Socket Mode client's own calls (apps.connections.open): the same Slack URL and timeout. */
  clientOptions: WebClientOptions;
  /** The HTTP server's limits on slow clients, as HTTP mode's (HTTP_TIMEOUTS in src/app.ts). */
  serverLimits: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
};

/**
 * Socket Mode with our HTTP routes (intake API, health) on the port given at start. Bolt's
 * SocketModeReceiver serves custom routes on `installerOptions.port` fixed when it is built
 * (3000 unless told), and App's `port` option does not reach it (SLACK.md); so the receiver is
 * built when the port is known, in `start(port)`, and everything else is delegated to it.
 */
export class PortSocketModeReceiver implements Receiver {
  #app: App | undefined;
  #inner: SocketModeReceiver | undefined;
  readonly #options: SocketModeOptions;

  constructor(options: SocketModeOptions) {
    this.#options = options;
  }

  init(app: App): void {
    this.#app = app;
  }

  /** Listens for HTTP on `port` at once, then connects to Slack; resolves when connected. */
  async start(port: number): Promise<unknown> {
    if (!this.#app) throw new Error('the receiver was started before App.init');
    const inner = new SocketModeReceiver({
      appToken: this.#options.appToken,
      customRoutes: this.#options.customRoutes,
      logger: this.#options.logger,
      installerOptions: { port, clientOptions: this.#options.clientOptions },
    });
    inner.init(this.#app);
    // Bolt builds the server with Node's defaults (a minute for headers, five for a request) and
    // takes no server options in Socket Mode; Node reads these limits when it starts listening.
    // A private field of Bolt's (test/integration/socket-mode.test.ts fails if it goes).
    // biome-ignore lint/complexity/useLiteralKeys: the field is private in Bolt's types
    const server = inner['httpServer'];
    if (server) Object.assign(server, this.#options.serverLimits);
    this.#inner = inner;
    return inner.start();
  }

  async stop(): Promise<unknown> {
    return this.#inner?.stop();
  }
}
