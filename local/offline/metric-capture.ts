/**
 * Captures the metrics the real handlers publish during an offline run, instead of disabling them.
 *
 * Powertools Metrics 2.x has no output option for its EMF lines: every `Metrics` (and each
 * `singleMetric()`) writes them with a `Console` bound to `process.stdout`. So the capture taps
 * `process.stdout.write` while it is installed: an EMF line becomes data points and is kept off
 * the terminal; anything else passes through unchanged.
 *
 * One correction, and why: in AWS each function runs in its own process, so the shared
 * `lambda/shared/powertools.ts` singleton carries that function's `POWERTOOLS_SERVICE_NAME` as the
 * `service` dimension. Offline both handlers share one process and one singleton, created with
 * whichever function's environment was applied first. Each handler invocation therefore runs
 * inside {@link MetricCapture.within} (AsyncLocalStorage), and a record emitted there gets the
 * `service` of the function that emitted it, as its own process would have given it. Such
 * records are counted as `reattributed`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MetricPoint } from '../report';
import { parseEmfLine } from '../report';

type Write = typeof process.stdout.write;

/**
 * @example
 * const capture = MetricCapture.install();
 * await capture.within('policy', () => policyHandler(event, context));
 * capture.uninstall();
 * capture.points // every data point the handler published
 */
export class MetricCapture {
  readonly points: MetricPoint[] = [];
  /** EMF lines seen. */
  emfRecords = 0;
  /** EMF lines whose `service` was corrected to the emitting function's. */
  reattributed = 0;
  private readonly context = new AsyncLocalStorage<string>();
  private pending = '';
  private original: Write | undefined;

  private constructor(private readonly stream: NodeJS.WriteStream) {}

  /** Start tapping `stream` (default `process.stdout`). */
  static install(stream: NodeJS.WriteStream = process.stdout): MetricCapture {
    const capture = new MetricCapture(stream);
    const original = stream.write;
    capture.original = original;
    stream.write = function tapped(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const text =
        typeof chunk === 'string'
          ? chunk
          : chunk instanceof Uint8Array
            ? Buffer.from(chunk).toString('utf8')
            : undefined;
      const passed = text === undefined ? chunk : capture.take(text);
      if (passed === '') {
        // Nothing left to print; honour a write callback so callers waiting on it are released.
        const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
        callback?.();
        return true;
      }
      return (original as (...args: unknown[]) => boolean).call(this, passed, ...rest);
    } as Write;
    return capture;
  }

  /** Run `fn` as the function with Powertools service name `service`. */
  within<T>(service: string, fn: () => T): T {
    return this.context.run(service, fn);
  }

  /** Wrap a handler so every invocation runs {@link within} its service. */
  wrap<A extends unknown[], R>(service: string, handler: (...args: A) => R): (...args: A) => R {
    return (...args: A) => this.within(service, () => handler(...args));
  }

  /** Put the stream's own `write` back. Idempotent. */
  uninstall(): void {
    if (this.original === undefined) return;
    this.stream.write = this.original;
    this.original = undefined;
    if (this.pending !== '') {
      const rest = this.pending;
      this.pending = '';
      this.stream.write(rest);
    }
  }

  /** Keep EMF lines, return the text to print. A partial last line waits for the next write. */
  private take(text: string): string {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    // A line that cannot be EMF passes through at once, even without its newline yet.
    if (this.pending !== '' && !this.pending.startsWith('{')) {
      lines.push(this.pending);
      this.pending = '';
      return this.collect(lines, false);
    }
    return this.collect(lines, true);
  }

  private collect(lines: string[], endsWithNewline: boolean): string {
    const kept: string[] = [];
    for (const line of lines) {
      const points = parseEmfLine(line);
      if (points.length === 0 && !line.includes('"CloudWatchMetrics"')) {
        kept.push(line);
        continue;
      }
      this.emfRecords += 1;
      this.points.push(...this.attribute(points));
    }
    if (kept.length === 0) return '';
    return endsWithNewline ? `${kept.join('\n')}\n` : kept.join('\n');
  }

  private attribute(points: MetricPoint[]): MetricPoint[] {
    const service = this.context.getStore();
    if (
      service === undefined ||
      !points.some((p) => p.dimensions.service !== undefined && p.dimensions.service !== service)
    )
      return points;
    this.reattributed += 1;
    return points.map((p) =>
      p.dimensions.service === undefined ? p : { ...p, dimensions: { ...p.dimensions, service } },
    );
  }
}
