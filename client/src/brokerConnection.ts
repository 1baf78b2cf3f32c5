import * as vscode from 'vscode';
import { createBroker, type Broker } from 'tasklane/broker';
import { resolveBrokerUrl } from 'tasklane/config';
import type { TaskEvent, WorkerInfo } from 'tasklane/contract';
import type { Project } from './project.ts';
import { readSettings } from './settings.ts';

const PASSWORD_KEY = 'tasklane.brokerPassword';

/**
 * The editor's connection to the broker the workers use: the `tasklane.brokerUrl` setting (its
 * password kept in SecretStorage), else the config's broker, else the embedded one in the folder
 * (the runtime's own precedence, minus the extension host's environment). Carries the live events
 * the Runs and Workers views show. Only `displayUrl` (password removed) is ever shown or logged.
 */
export class BrokerConnection implements vscode.Disposable {
  broker: Broker | undefined;
  /** Why the last connection attempt failed. */
  error: string | undefined;
  private url: string | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly events = new vscode.EventEmitter<TaskEvent>();
  readonly onEvent = this.events.event;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private connecting: Promise<Broker> | undefined;

  constructor(private readonly project: Project, private readonly secrets: vscode.SecretStorage) {}

  get displayUrl(): string {
    return this.broker?.displayUrl ?? 'not connected';
  }

  /** The URL to hand to worker processes (TASKLANE_BROKER), password included. */
  async workerUrl(): Promise<string> {
    return this.url ?? this.resolveUrl();
  }

  async resolveUrl(): Promise<string> {
    const { brokerUrl } = readSettings(this.project.folder);
    if (!brokerUrl) return resolveBrokerUrl({ config: this.project.loaded, cwd: this.project.root, env: {} });
    const password = await this.secrets.get(PASSWORD_KEY);
    if (!password || !/^rediss?:\/\//.test(brokerUrl)) return resolveBrokerUrl({ explicit: brokerUrl, cwd: this.project.root, env: {} });
    const url = new URL(brokerUrl);
    url.password = password; // the setter percent-encodes what a URL cannot hold
    return url.href;
  }

  async setPassword(password: string | undefined): Promise<void> {
    if (password) await this.secrets.store(PASSWORD_KEY, password);
    else await this.secrets.delete(PASSWORD_KEY);
    await this.reconnect();
  }

  /** The connected broker; connects on first use. Throws with the reason when it cannot. */
  connect(): Promise<Broker> {
    this.connecting ??= this.open().catch((error: unknown) => {
      this.connecting = undefined;
      this.error = (error as Error).message;
      this.changed.fire();
      throw error;
    });
    return this.connecting;
  }

  async reconnect(): Promise<void> {
    await this.close();
    await this.connect().catch(() => undefined);
  }

  async workers(): Promise<WorkerInfo[]> {
    return this.broker ? this.broker.workers() : [];
  }

  private async open(): Promise<Broker> {
    const url = await this.resolveUrl();
    const broker = createBroker(url);
    await broker.connect();
    this.unsubscribe = await broker.subscribe((event) => this.events.fire(event));
    this.url = url;
    this.broker = broker;
    this.error = undefined;
    this.changed.fire();
    return broker;
  }

  async close(): Promise<void> {
    const pending = this.connecting;
    this.connecting = undefined;
    this.broker = undefined;
    this.url = undefined;
    if (!pending) return;
    const broker = await pending.catch(() => undefined);
    await this.unsubscribe?.().catch(() => undefined);
    this.unsubscribe = undefined;
    await broker?.close().catch(() => undefined);
    this.changed.fire();
  }

  dispose(): void {
    void this.close();
    this.events.dispose();
    this.changed.dispose();
  }
}
